// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "revgraph",
  products: [
    .executable(name: "revgraph", targets: ["revgraph"]),
    .library(name: "Graph", targets: ["Graph"]),
    .library(name: "Project", targets: ["Project"]),
    .library(name: "Merge", targets: ["Merge"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
  ],
  targets: [
    // The pure revision-graph model: loading headers, validation, resolution, plans.
    .target(name: "Graph"),
    // Project discovery: revgraph.toml, alembic.ini, pyproject.toml.
    .target(
      name: "Project",
      dependencies: ["Graph", .product(name: "TOMLKit", package: "TOMLKit")]
    ),
    // Team workflow: merge planning, check findings, conflict analysis, rebase planning.
    .target(name: "Merge", dependencies: ["Graph", "Project"], exclude: ["README.md"]),
    .executableTarget(
      name: "revgraph",
      dependencies: [
        "Graph", "Project", "Merge",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "GraphTests", dependencies: ["Graph"]),
    .testTarget(name: "ProjectTests", dependencies: ["Project"]),
    .testTarget(name: "MergeTests", dependencies: ["Merge", "Graph", "Project"]),
    .testTarget(name: "revgraphTests", dependencies: ["revgraph"]),
  ],
  swiftLanguageModes: [.v6]
)
