import Foundation
import Graph
import Project
import Runner

/// Where the two schemas come from: the declared schema file and the migrations replayed on
/// an empty in-memory database. Neither touches a real database.
public enum SchemaSource {
  /// An empty in-memory database.
  public static func memory() throws -> SQLiteConnection {
    try SQLiteConnection(path: ":memory:", mode: .readWriteCreate)
  }

  /// Loads the declared schema file `path` into a new in-memory database.
  /// - Throws: ``SchemaError/declaredSchemaFailed(path:line:statement:message:)`` naming the
  ///   line of the statement SQLite refused.
  public static func declared(path: String, displayPath: String? = nil) throws -> SQLiteConnection {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SchemaError.missingSchemaFile(path: displayPath ?? path, configured: true)
    }
    let connection = try memory()
    do {
      try connection.executeScript(String(decoding: data, as: UTF8.self))
    } catch {
      throw SchemaError.declaredSchemaFailed(
        path: displayPath ?? path, line: error.line, statement: error.statement, message: error.message)
    }
    return connection
  }

  /// Replays the upgrade sections of every revision up to each of `targets` in turn (e.g.
  /// `heads`, or the parents of a new revision) on a new in-memory database.
  /// - Throws: ``SchemaError/replayFailed(revision:path:line:statement:message:)`` naming the
  ///   file and line of the statement that failed.
  ///
  /// - Parameter excluding: A revision not to run (a new revision, planned but not yet
  ///   written: replaying up to it runs exactly its parents and dependencies).
  public static func replay(_ graph: RevisionGraph, to targets: [String], excluding: String? = nil) throws
    -> SQLiteConnection
  {
    let connection = try memory()
    var rows: [String] = []
    for target in targets {
      let plan = try graph.upgradePlan(to: target, from: rows)
      try replay(graph, plan.steps.filter { $0.id != excluding }, on: connection)
      rows = plan.finalVersionTable
    }
    return connection
  }

  /// Runs the steps' sections in `direction` (a revision without that section is skipped).
  /// - Parameter phase: Put before the message of a failure (which round of a replay it was).
  /// - Throws: ``SchemaError/replayFailed(revision:path:line:statement:message:)`` naming the
  ///   file and line of the statement that failed; ``SchemaError/notReplayable(revision:path:)``
  ///   for an Alembic script.
  static func replay(
    _ graph: RevisionGraph, _ steps: [Plan.Step], _ direction: Plan.Direction = .upgrade, phase: String? = nil,
    on connection: SQLiteConnection
  ) throws {
    for step in steps {
      let record = graph.record(step.revision)
      let script = try sqlScript(record)
      guard let section = direction == .upgrade ? script.upgrade : script.downgrade else { continue }
      do {
        try connection.executeScript(section.sql)
      } catch {
        throw SchemaError.replayFailed(
          revision: record.id, path: DisplayPath.relative(record.path), line: section.firstLine + error.line - 1,
          statement: error.statement, message: (phase.map { $0 + ": " } ?? "") + error.message)
      }
    }
  }

  /// A native revision's script; an Alembic one cannot be replayed.
  /// - Throws: ``SchemaError/notReplayable(revision:path:)``, and what reading the file throws.
  static func sqlScript(_ record: RevisionRecord) throws -> RevisionScript {
    guard record.format == .sql else {
      throw SchemaError.notReplayable(revision: record.id, path: DisplayPath.relative(record.path))
    }
    return try RevisionScript.load(record)
  }

  /// A new in-memory database holding `catalog`'s objects.
  static func database(_ catalog: SchemaCatalog) throws -> SQLiteConnection {
    let connection = try memory()
    for statement in catalog.statements { try connection.execute(statement) }
    return connection
  }
}

/// The schema the migrations produce next to the declared one.
public struct SchemaComparison: Sendable {
  /// The schema after replaying the migrations.
  public var head: SchemaCatalog
  /// The declared schema.
  public var declared: SchemaCatalog
  /// Head → declared.
  public var diff: SchemaDiff

  /// Replays `graph` up to each of `targets` in turn (e.g. `heads`, or a new revision with
  /// `excluding` naming it) and loads the declared schema file, both in memory.
  /// - Parameters:
  ///   - displayPath: How to name the schema file in messages.
  ///   - configured: Whether the file was named in the configuration (for the message when
  ///     it is missing).
  public init(
    graph: RevisionGraph, targets: [String], excluding: String? = nil, declaredPath: String, displayPath: String,
    configured: Bool
  ) throws {
    guard FileManager.default.fileExists(atPath: declaredPath) else {
      throw SchemaError.missingSchemaFile(path: displayPath, configured: configured)
    }
    let declared = try SchemaCatalog.read(try SchemaSource.declared(path: declaredPath, displayPath: displayPath))
    let replayed = try SchemaSource.replay(graph, to: targets, excluding: excluding)
    head = try SchemaCatalog.read(replayed)
    self.declared = declared
    diff = SchemaDiff(from: head, to: declared)
  }
}
