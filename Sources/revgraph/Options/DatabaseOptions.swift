import ArgumentParser
import Foundation
import Graph
import Project
import Runner

/// `--url` and `--lock-timeout`: which database the runner uses and how long it waits.
struct DatabaseOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The database: a path or sqlite:///path (default: REVGRAPH_DATABASE, then 'database' in the config).",
      valueName: "url"))
  var url: String?

  @Option(
    help: ArgumentHelp(
      "Seconds to wait for another process's lock (default: 'lock_timeout' in the config, else 30).",
      valueName: "seconds"))
  var lockTimeout: Double?

  @Option(
    help: ArgumentHelp(
      "With --sql: the SQL to write (sqlite, postgresql) when no database is configured (default: the database's).",
      valueName: "dialect"))
  var dialect: SQLDialect?

  func validate() throws {
    if let lockTimeout, !(lockTimeout >= 0) { throw ValidationError("--lock-timeout must be 0 or more seconds") }
  }

  /// The database setting in force and the directory relative paths start from, or nil.
  func setting(_ project: ProjectConfig) -> (String, String)? {
    let cwd = FileManager.default.currentDirectoryPath
    if let url { return (url, cwd) }
    if let env = ProcessInfo.processInfo.environment["REVGRAPH_DATABASE"], !env.isEmpty { return (env, cwd) }
    return project.database.map { ($0, URL(fileURLWithPath: project.configPath).deletingLastPathComponent().path) }
  }

  /// The runner for the configured database.
  /// - Throws: ``RunnerError/noDatabase`` when none is configured.
  func runner(_ project: ProjectConfig, _ graph: RevisionGraph) throws -> MigrationRunner {
    guard let (setting, directory) = setting(project) else { throw RunnerError.noDatabase }
    var timeout = lockTimeout
    if timeout == nil, let text = project.settings["lock_timeout"] {
      guard let value = Double(text), value >= 0 else {
        throw RunnerError.invalidRequest(
          "\(project.configPath): lock_timeout must be a number of seconds, not '\(text)'")
      }
      timeout = value
    }
    return MigrationRunner(
      graph: graph, location: try DatabaseLocation(setting, relativeTo: directory),
      versionTable: project.versionTable, versionTableSchema: project.versionTableSchema,
      lockTimeout: .milliseconds(Int64((timeout ?? 30) * 1000)), versionLocations: project.versionLocations)
  }

  /// The dialect of an offline script: `--dialect`, else the configured database's, else
  /// SQLite.
  /// - Throws: ``RunnerError/invalidURL(_:reason:)`` for a database setting that names no
  ///   database revgraph knows.
  func offlineDialect(_ project: ProjectConfig) throws -> SQLDialect {
    if let dialect { return dialect }
    guard let (setting, directory) = setting(project) else { return .sqlite }
    return try DatabaseLocation(setting, relativeTo: directory).dialect
  }

  /// An offline script writer for `graph` in the dialect of ``offlineDialect(_:)``.
  func offlineScript(
    _ project: ProjectConfig, _ graph: RevisionGraph, contents: RevisionFileContents? = nil,
    preparation: OfflineScript.Preparation? = nil
  ) throws -> OfflineScript {
    OfflineScript(
      graph: graph, versionTable: project.versionTable, versionTableSchema: project.versionTableSchema,
      dialect: try offlineDialect(project), contents: contents, preparation: preparation)
  }

  /// Whether the configured database is known to hold no revision: its file does not exist,
  /// or its version table is missing or empty. Read without waiting for a lock; any failure
  /// answers false (the read that counts, ``currentRows(_:_:from:)``, reports it).
  func isKnownEmpty(_ project: ProjectConfig) -> Bool {
    guard let (setting, directory) = setting(project),
      let location = try? DatabaseLocation(setting, relativeTo: directory)
    else { return false }
    // A missing file (or an in-memory database) is an empty table.
    guard location.exists else { return true }
    let bookkeeping = Bookkeeping(
      versionTable: project.versionTable, schema: project.versionTableSchema, dialect: location.dialect)
    return (try? location.readRows(of: bookkeeping, timeout: .zero))??.isEmpty ?? false
  }

  /// The version table to plan from: `--from` when given, else the database's rows (read
  /// only; a missing file is an empty table), else nil when no database is configured.
  func currentRows(_ project: ProjectConfig, _ graph: RevisionGraph, from: RevisionList?) throws -> [String]? {
    if let from { return from.ids }
    guard setting(project) != nil else { return nil }
    let runner = try runner(project, graph)
    return try runner.knownRows(runner.readRows() ?? [])
  }

  /// The ids `target` names (`show`, `resolve`); `current` is the database's rows (or `--from`).
  func resolve(_ target: String, _ project: ProjectConfig, _ graph: RevisionGraph, from: RevisionList?) throws
    -> [String]
  {
    let current = target.contains("current") ? try currentRows(project, graph, from: from) : from?.ids
    if target == "current" { return try graph.currentRevisions(current ?? [], allowingOverlap: true).map(graph.id) }
    return try graph.resolve(target, current: current)
  }
}

extension SQLDialect: ExpressibleByArgument {}
