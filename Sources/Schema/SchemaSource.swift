import Foundation
import Graph
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

  /// Replays the upgrade sections of every revision up to `target` (e.g. `heads`, or the
  /// parents of a new revision) on a new in-memory database.
  /// - Throws: ``SchemaError/replayFailed(revision:path:line:statement:message:)`` naming the
  ///   file and line of the statement that failed.
  public static func replay(_ graph: RevisionGraph, to target: String) throws -> SQLiteConnection {
    let connection = try memory()
    let plan = try graph.upgradePlan(to: target, from: [])
    for step in plan.steps {
      let record = graph.record(step.revision)
      guard record.format == .sql else { throw SchemaError.notReplayable(revision: record.id, path: record.path) }
      let script = try RevisionScript.load(record)
      do {
        try connection.executeScript(script.upgrade.sql)
      } catch {
        throw SchemaError.replayFailed(
          revision: record.id, path: record.path, line: script.upgrade.firstLine + error.line - 1,
          statement: error.statement, message: error.message)
      }
    }
    return connection
  }

  /// A new in-memory database holding `catalog`'s objects.
  static func database(_ catalog: SchemaCatalog) throws -> SQLiteConnection {
    let connection = try memory()
    for statement in catalog.statements { try connection.execute(statement) }
    return connection
  }
}
