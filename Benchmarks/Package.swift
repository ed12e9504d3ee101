// swift-tools-version:6.0
import PackageDescription

// Benchmarks for revgraph, kept out of the root package so that `swift test` never builds
// them. Build in release mode: `swift build -c release --package-path Benchmarks`.
let package = Package(
  name: "revgraph-benchmarks",
  dependencies: [
    // The root package; only its Graph library is used.
    .package(name: "revgraph", path: "..")
  ],
  targets: [
    // Seeded, team-like histories, written as a native project and as an Alembic project.
    .target(name: "HistoryGenerator"),
    .executableTarget(name: "history-generator", dependencies: ["HistoryGenerator"]),
    // The Graph library in memory at 100k and 1M revisions: time and peak memory.
    .executableTarget(
      name: "graph-bench",
      dependencies: ["HistoryGenerator", .product(name: "Graph", package: "revgraph")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
