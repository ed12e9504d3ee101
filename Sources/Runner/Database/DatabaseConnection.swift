/// One open connection to a migrated database: all the runner asks of a driver.
///
/// The runner (``MigrationRunner``, ``Bookkeeping``, verification) talks to databases only
/// through this protocol; the SQLite driver (``SQLiteConnection``) and the PostgreSQL driver
/// (`PostgreSQLConnection`) implement it. A connection opened by
/// ``DatabaseLocation/openSession(lockingFor:timeout:waiting:)`` also holds the run lock until it is
/// closed. Not thread-safe: a connection belongs to one runner on one thread.
protocol DatabaseConnection: AnyObject {
  /// The database as messages name it: the file path, or the URL with its password hidden.
  var displayName: String { get }
  /// How this database's SQL is written (bookkeeping DDL, statement splitting).
  var dialect: SQLDialect { get }
  /// True while a transaction is open (also while it has failed and waits for a rollback).
  var inTransaction: Bool { get }
  /// Runs one statement that takes no parameters.
  /// - Returns: The number of rows it inserted, updated or deleted.
  /// - Throws: ``RunnerError``.
  @discardableResult func execute(_ sql: String) throws -> Int
  /// Runs `statements` (each taking no parameters) in order, stopping at the first that
  /// fails; PostgreSQL sends them in one round trip. A statement whose index is in
  /// `expectingOneRow` (an UPDATE or DELETE) must change exactly one row: otherwise the rest do
  /// not run and ``RowCountMismatch`` is thrown.
  /// - Returns: The rows each statement inserted, updated or deleted.
  /// - Throws: ``RowCountMismatch``, ``RunnerError``.
  @discardableResult func executeAll(_ statements: [String], expectingOneRow: Set<Int>) throws -> [Int]
  /// The rows of a query whose parameters (`?` for SQLite, `$1`… for PostgreSQL: see
  /// ``SQLDialect/parameter(_:)``) are `parameters`, each column as text (nil for NULL).
  /// - Throws: ``RunnerError``.
  func rows(_ sql: String, _ parameters: [String]) throws -> [[String?]]
  /// Begins the transaction a run writes in (SQLite: `BEGIN IMMEDIATE`, which takes the
  /// write lock; PostgreSQL: `BEGIN`).
  /// - Throws: ``RunnerError``.
  func beginWrite() throws
  /// Runs the statements of `script` (a revision's section) one at a time, in order.
  /// - Parameter refuse: Called with each statement's text before it runs; a non-nil answer
  ///   stops the script with that message (the runner refuses transaction control).
  /// - Returns: The number of statements run.
  /// - Throws: ``ScriptFailure`` naming the line of the statement that failed.
  func executeScript(_ script: String, refuse: ((String) -> String?)?) throws(ScriptFailure) -> Int
  /// True when the table exists (`name` as ``TableName``, looked up as the database resolves
  /// an unqualified name).
  /// - Throws: ``RunnerError``.
  func tableExists(_ name: TableName) throws -> Bool
  /// Makes this connection the one ``RunInterrupt/request()`` cancels.
  func registerForInterrupt()
  /// Closes the connection and releases its run lock (also done when it is deallocated).
  func close()
}

/// A table, optionally in a schema (Alembic's `version_table_schema`).
public struct TableName: Sendable, Equatable, Hashable {
  /// The schema, or nil for the database's default (`search_path` on PostgreSQL, `main` on
  /// SQLite).
  public var schema: String?
  /// The table's own name.
  public var name: String

  public init(_ name: String, schema: String? = nil) {
    self.name = name
    self.schema = schema
  }

  /// The name as SQL: each part double-quoted, `"schema"."table"`.
  public var quoted: String { (schema.map { Bookkeeping.quote($0) + "." } ?? "") + Bookkeeping.quote(name) }

  /// The name in messages: `schema.table`.
  public var display: String { (schema.map { $0 + "." } ?? "") + name }

  /// A table beside this one (the same schema), named `name + suffix`.
  public func appending(_ suffix: String) -> TableName { TableName(name + suffix, schema: schema) }
}

/// Where a statement of a revision's section failed, as the driver saw it.
public struct ScriptFailure: Error, Sendable {
  /// The 1-based line, within the script, of the error: where the database locates it (a
  /// syntax error's position), else where the failing statement starts.
  public var line: Int
  /// The statement's text (at most a few hundred characters).
  public var statement: String
  /// The database's message.
  public var message: String
  /// SQLite's (extended) result code; 0 when the runner itself refused the statement, and
  /// for PostgreSQL.
  public var code: Int32
  /// PostgreSQL's SQLSTATE (nil for SQLite and for refusals).
  public var sqlstate: String?
  /// PostgreSQL's detail and hint lines, when the server sent them.
  public var detail: String?
  public var hint: String?
  /// True when the connection ended while the statement ran (the server rolled back the
  /// open transaction).
  public var connectionLost: Bool

  public init(
    line: Int, statement: String, message: String, code: Int32 = 0, sqlstate: String? = nil, detail: String? = nil,
    hint: String? = nil, connectionLost: Bool = false
  ) {
    self.line = line
    self.statement = statement
    self.message = message
    self.code = code
    self.sqlstate = sqlstate
    self.detail = detail
    self.hint = hint
    self.connectionLost = connectionLost
  }

  /// A statement's text as messages show it: trimmed, at most 300 characters.
  static func excerpt(_ statement: String) -> String {
    let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.count > 300 ? String(trimmed.prefix(300)) + " …" : trimmed
  }
}

extension DatabaseConnection {
  /// ``executeAll(_:expectingOneRow:)`` with no row expectations.
  @discardableResult func executeAll(_ statements: [String]) throws -> [Int] {
    try executeAll(statements, expectingOneRow: [])
  }
}

/// A statement of ``DatabaseConnection/executeAll(_:expectingOneRow:)`` that had to change
/// exactly one row changed `count` (the statements after it did not run).
struct RowCountMismatch: Error, Sendable {
  var index: Int
  var count: Int
}
