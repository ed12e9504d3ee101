/// Why a schema could not be loaded, compared or migrated.
public enum SchemaError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The declared schema file does not exist.
  case missingSchemaFile(path: String, configured: Bool)
  /// A statement of the declared schema file failed in SQLite.
  case declaredSchemaFailed(path: String, line: Int, statement: String, message: String)
  /// A revision failed while the migrations were replayed in memory.
  case replayFailed(revision: String, path: String, line: Int, statement: String, message: String)
  /// A revision to replay is an Alembic script.
  case notReplayable(revision: String, path: String)
  /// A `--rename-table` or `--rename-column` that does not fit the schemas.
  case invalidRename(option: String, reason: String)
  /// The generated script did not produce the target schema (a revgraph bug or a schema
  /// SQLite cannot reach by these means); the differences that remained.
  case inexact(direction: String, remaining: [String], script: String)

  /// The stable kind used in JSON output.
  public var kind: String {
    switch self {
    case .missingSchemaFile: "missing-schema"
    case .declaredSchemaFailed: "invalid-schema"
    case .replayFailed: "replay-failed"
    case .notReplayable: "not-runnable"
    case .invalidRename: "invalid-rename"
    case .inexact: "inexact-migration"
    }
  }

  public var description: String {
    switch self {
    case .missingSchemaFile(let path, let configured):
      return "no declared schema at \(path): "
        + (configured
          ? "create it or fix the 'schema' key in revgraph.toml"
          : "write the CREATE TABLE/INDEX/VIEW/TRIGGER statements the database should have into schema.sql "
            + "beside revgraph.toml, or name the file with schema = \"path\" in revgraph.toml")
    case .declaredSchemaFailed(let path, let line, let statement, let message):
      return "\(path):\(line): \(message)\n  in: \(statement)"
    case .replayFailed(let revision, let path, let line, let statement, let message):
      return "\(path):\(line): revision \(revision) fails when the migrations are replayed on an empty database: "
        + "\(message)\n  in: \(statement)"
    case .notReplayable(let revision, let path):
      return "cannot replay \(revision): \(path) is an Alembic Python script; autogenerate needs native .sql revisions"
    case .invalidRename(let option, let reason):
      return "\(option): \(reason)"
    case .inexact(let direction, let remaining, let script):
      return "the generated \(direction) would not reach its target schema (nothing was written); still different:\n"
        + remaining.map { "  \($0)" }.joined(separator: "\n")
        + "\nthe script that was tried:\n" + script
        + "\nwrite this change by hand; this is a revgraph bug, please report it with this message and both schemas"
    }
  }
}
