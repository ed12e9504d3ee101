// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "revgraph",
  products: [
    .executable(name: "revgraph", targets: ["revgraph"]),
    .library(name: "Graph", targets: ["Graph"]),
    .library(name: "Project", targets: ["Project"]),
    .library(name: "Runner", targets: ["Runner"]),
    .library(name: "Merge", targets: ["Merge"]),
    .library(name: "Schema", targets: ["Schema"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    // The pure revision-graph model: loading headers, validation, resolution, plans.
    .target(name: "Graph", dependencies: ["CStatFS"]),
    // fstatfs from the C library (not in Swift's Glibc module), for the header cache.
    .systemLibrary(name: "CStatFS"),
    // Project discovery: revgraph.toml, alembic.ini, pyproject.toml.
    .target(
      name: "Project",
      dependencies: [
        "Graph", .product(name: "TOMLKit", package: "TOMLKit"), .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    // The system libsqlite3 (Debian: libsqlite3-dev).
    .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    // libpq, PostgreSQL's client library (Debian: libpq-dev).
    .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
    // Applies plans to databases (a driver each for SQLite and PostgreSQL): version and log
    // tables, locking, offline SQL.
    .target(
      name: "Runner",
      dependencies: ["Graph", "Project", "CSQLite", "CLibPQ"]
    ),
    // Team workflow: merge planning, check findings, conflict analysis, rebase planning.
    .target(
      name: "Merge", dependencies: ["Graph", "Project"],
      exclude: ["README.md"]),
    // Autogenerate: compares SQLite schemas through the catalog and writes the migration.
    .target(name: "Schema", dependencies: ["Graph", "Project", "Runner"], exclude: ["README.md"]),
    .executableTarget(
      name: "revgraph",
      dependencies: [
        "Graph", "Project", "Runner", "Merge", "Schema",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Graph fixtures and seeded random histories shared by the test targets.
    .target(name: "TestSupport", dependencies: ["Graph", "Project"], path: "Tests/Support"),
    .testTarget(name: "GraphTests", dependencies: ["Graph", "Project", "TestSupport"], resources: [.copy("Golden")]),
    .testTarget(name: "ProjectTests", dependencies: ["Project"]),
    .testTarget(name: "RunnerTests", dependencies: ["Runner", "Graph", "Project", "TestSupport"]),
    .testTarget(name: "MergeTests", dependencies: ["Merge", "Graph", "Project", "TestSupport"]),
    .testTarget(name: "SchemaTests", dependencies: ["Schema", "Runner", "TestSupport"]),
    .testTarget(name: "revgraphTests", dependencies: ["revgraph", "Project", "TestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
