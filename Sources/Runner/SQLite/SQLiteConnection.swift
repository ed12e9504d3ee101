import CSQLite
import Foundation

/// One connection to a SQLite database file, through the system libsqlite3.
///
/// Not thread-safe: a connection belongs to one runner on one thread.
public final class SQLiteConnection {
  /// How a connection opens its file.
  public enum Mode: Sendable {
    /// Never writes and never creates the file.
    case readOnly
    /// Reads and writes; creates the file when it is missing.
    case readWriteCreate
  }

  let handle: OpaquePointer
  /// The file, as given.
  public let path: String

  /// Opens `path`.
  ///
  /// - Parameters:
  ///   - busyTimeout: How long a statement waits for another process's lock before failing.
  /// - Throws: ``RunnerError`` when the file cannot be opened or is not a SQLite database.
  public init(path: String, mode: Mode, busyTimeout: Duration = .seconds(5)) throws {
    let flags: Int32 =
      switch mode {
      case .readOnly: SQLITE_OPEN_READONLY
      case .readWriteCreate: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
      }
    let milliseconds = Int32(clamping: busyTimeout.milliseconds)
    var db: OpaquePointer
    do {
      db = try Self.open(path, flags: flags, busyTimeout: milliseconds)
    } catch RunnerError.sqlite(_, let code, _, _) where code == SQLITE_READONLY | (3 << 8) {
      // SQLITE_READONLY_ROLLBACK: a process died inside a transaction; its journal must be rolled back before anyone
      // can read. That needs a writable handle (it restores the last committed state and
      // changes nothing else); then read-only again.
      sqlite3_close_v2(try Self.open(path, flags: SQLITE_OPEN_READWRITE, busyTimeout: milliseconds))
      db = try Self.open(path, flags: flags, busyTimeout: milliseconds)
    }
    handle = db
    self.path = path
  }

  /// Opens `path` and reads its schema, which is what notices a file that is not a database.
  private static func open(_ path: String, flags: Int32, busyTimeout: Int32) throws -> OpaquePointer {
    var handle: OpaquePointer?
    let status = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
    guard let db = handle else { throw RunnerError.cannotOpen(path: path, reason: "out of memory") }
    guard status == SQLITE_OK else {
      let message = String(cString: sqlite3_errmsg(db))
      sqlite3_close_v2(db)
      throw RunnerError.cannotOpen(path: path, reason: message)
    }
    sqlite3_extended_result_codes(db, 1)
    sqlite3_busy_timeout(db, busyTimeout)
    var statement: OpaquePointer?
    var code = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &statement, nil)
    if code == SQLITE_OK {
      code = sqlite3_step(statement)
      if code == SQLITE_ROW { code = SQLITE_OK }
    }
    sqlite3_finalize(statement)
    guard code == SQLITE_OK else {
      let message = String(cString: sqlite3_errmsg(db))
      sqlite3_close_v2(db)
      switch code & 0xFF {
      case SQLITE_NOTADB: throw RunnerError.notADatabase(path: path)
      case SQLITE_BUSY, SQLITE_LOCKED: throw RunnerError.locked(path: path, reason: message)
      default: throw RunnerError.sqlite(path: path, code: code, message: message, sql: nil)
      }
    }
    return db
  }

  private var isOpen = true
  /// The descriptor holding the runner's `flock` on the file (see ``session(path:timeout:waiting:)``),
  /// or -1.
  var runLock: Int32 = -1

  /// Closes the connection (also done on deinit), then releases the run lock; statements
  /// must be finalized first.
  public func close() {
    guard isOpen else { return }
    isOpen = false
    // Close SQLite first: closing another descriptor of the file while SQLite holds its
    // POSIX locks would drop them.
    sqlite3_close_v2(handle)
    if runLock >= 0 {
      Foundation.close(runLock)
      runLock = -1
    }
  }

  deinit { close() }

  /// The number of rows the last INSERT, UPDATE or DELETE changed.
  public var changes: Int { Int(sqlite3_changes(handle)) }

  /// True when no transaction is open.
  public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

  /// The error SQLite reported last, as a runner error for `sql`.
  func failure(_ status: Int32, sql: String? = nil) -> RunnerError {
    let message = String(cString: sqlite3_errmsg(handle))
    switch status & 0xFF {
    case SQLITE_NOTADB:
      return .notADatabase(path: path)
    case SQLITE_BUSY, SQLITE_LOCKED:
      return .locked(path: path, reason: message)
    case SQLITE_READONLY:
      return .readOnly(path: path, reason: message)
    default:
      return .sqlite(path: path, code: status, message: message, sql: sql)
    }
  }

  /// Prepares one statement.
  public func prepare(_ sql: String) throws -> SQLiteStatement {
    var statement: OpaquePointer?
    let status = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
    guard status == SQLITE_OK, let statement else { throw failure(status, sql: sql) }
    return SQLiteStatement(connection: self, handle: statement, sql: sql)
  }

  /// Runs one or more statements that take no parameters and return no rows worth reading.
  /// - Returns: The number of rows the last of them inserted, updated or deleted.
  @discardableResult public func execute(_ sql: String) throws -> Int {
    let status = sqlite3_exec(handle, sql, nil, nil, nil)
    guard status == SQLITE_OK else { throw failure(status, sql: sql) }
    return changes
  }

  /// The first column of the first row of `sql`, as an integer.
  public func scalarInt(_ sql: String, _ values: [SQLiteValue] = []) throws -> Int64? {
    let statement = try prepare(sql)
    try statement.bind(values)
    return try statement.step() ? statement.int(0) : nil
  }

  /// The first column of every row of `sql`, as text.
  public func column(_ sql: String, _ values: [SQLiteValue] = []) throws -> [String] {
    let statement = try prepare(sql)
    try statement.bind(values)
    var result = [String]()
    while try statement.step() { result.append(statement.text(0) ?? "") }
    return result
  }

  /// True when `table` exists in the main schema.
  public func tableExists(_ table: String) throws -> Bool {
    try scalarInt("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", [.text(table)]) ?? 0 > 0
  }
}

/// A value bound to a statement parameter.
public enum SQLiteValue: Sendable, Equatable {
  case text(String)
  case integer(Int64)
  case real(Double)
  case null
}

/// A prepared statement.
public final class SQLiteStatement {
  let connection: SQLiteConnection
  let handle: OpaquePointer
  let sql: String

  init(connection: SQLiteConnection, handle: OpaquePointer, sql: String) {
    self.connection = connection
    self.handle = handle
    self.sql = sql
  }

  deinit { sqlite3_finalize(handle) }

  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  /// Binds `values` to parameters 1…n.
  public func bind(_ values: [SQLiteValue]) throws {
    for (offset, value) in values.enumerated() {
      let index = Int32(offset + 1)
      let status: Int32 =
        switch value {
        case .text(let text): sqlite3_bind_text(handle, index, text, -1, Self.transient)
        case .integer(let number): sqlite3_bind_int64(handle, index, number)
        case .real(let number): sqlite3_bind_double(handle, index, number)
        case .null: sqlite3_bind_null(handle, index)
        }
      guard status == SQLITE_OK else { throw connection.failure(status, sql: sql) }
    }
  }

  /// Advances to the next row: true when there is one, false when the statement is done.
  public func step() throws -> Bool {
    let status = sqlite3_step(handle)
    switch status {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default: throw connection.failure(status, sql: sql)
    }
  }

  /// Column `index` of the current row as text (nil for NULL).
  public func text(_ index: Int32) -> String? {
    guard let pointer = sqlite3_column_text(handle, index) else { return nil }
    return String(cString: pointer)
  }

  /// Column `index` of the current row as an integer.
  public func int(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }
}

// MARK: - Catalog queries

extension SQLiteConnection {
  /// Every row of `sql`, each column as text (nil for NULL).
  public func rows(_ sql: String, _ values: [SQLiteValue] = []) throws -> [[String?]] {
    let statement = try prepare(sql)
    try statement.bind(values)
    let width = sqlite3_column_count(statement.handle)
    var result = [[String?]]()
    while try statement.step() { result.append((0..<width).map { statement.text($0) }) }
    return result
  }

  /// What SQLite records about one column of a table in the main schema.
  public struct ColumnMetadata: Sendable, Equatable {
    /// The declared type, as written (nil when the column has none).
    public var declaredType: String?
    /// The name of the column's default collating sequence (`BINARY` unless declared).
    public var collation: String
    /// True for `NOT NULL`.
    public var notNull: Bool
    /// True when the column is part of the primary key.
    public var primaryKey: Bool
    /// True for `INTEGER PRIMARY KEY AUTOINCREMENT`.
    public var autoincrement: Bool
  }

  /// `sqlite3_table_column_metadata` for `table`.`column` (the only place SQLite exposes a
  /// column's collation).
  public func columnMetadata(table: String, column: String) throws -> ColumnMetadata {
    var type: UnsafePointer<CChar>?
    var collation: UnsafePointer<CChar>?
    var notNull: Int32 = 0
    var primaryKey: Int32 = 0
    var autoincrement: Int32 = 0
    let status = sqlite3_table_column_metadata(
      handle, "main", table, column, &type, &collation, &notNull, &primaryKey, &autoincrement)
    guard status == SQLITE_OK else { throw failure(status, sql: "column metadata of \(table).\(column)") }
    return ColumnMetadata(
      declaredType: type.map { String(cString: $0) }, collation: collation.map { String(cString: $0) } ?? "BINARY",
      notNull: notNull != 0, primaryKey: primaryKey != 0, autoincrement: autoincrement != 0)
  }
}
