import Foundation

/// The runner's two tables: the version table (one row per current revision, Alembic's
/// layout) and the log table (one row per step applied, reverted or stamped), in one
/// database's dialect.
public struct Bookkeeping: Sendable, Equatable {
  /// The version table's name (`revgraph_version`, `alembic_version`, …).
  public var versionTable: String
  /// The schema both tables are in (`version_table_schema`), or nil for the default.
  public var schema: String?
  /// The SQL the statements are written in.
  public var dialect: SQLDialect
  /// The log table's name: the version table's with `_log` appended.
  public var logTable: String { versionTable + "_log" }
  /// The version table, with its schema.
  public var versionTableName: TableName { TableName(versionTable, schema: schema) }
  /// The log table, with its schema.
  public var logTableName: TableName { versionTableName.appending("_log") }

  public init(versionTable: String, schema: String? = nil, dialect: SQLDialect = .sqlite) {
    self.versionTable = versionTable
    self.schema = schema
    self.dialect = dialect
  }

  /// One change of a version-table row.
  public enum RowChange: Equatable, Sendable {
    case insert(String)
    case update(from: String, to: String)
    case delete(String)
  }

  /// The row changes that turn `old` into `new`: rows that go are deleted, except the last,
  /// which is updated to the first new row (Alembic's shape for moves and merges); other new
  /// rows are inserted.
  public static func changes(from old: [String], to new: [String]) -> [RowChange] {
    let newSet = Set(new), oldSet = Set(old)
    var removed = old.filter { !newSet.contains($0) }
    var added = new.filter { !oldSet.contains($0) }
    var result = [RowChange]()
    if let last = removed.last, let first = added.first {
      removed.removeLast()
      added.removeFirst()
      result += removed.map(RowChange.delete)
      result.append(.update(from: last, to: first))
    } else {
      result += removed.map(RowChange.delete)
    }
    result += added.map(RowChange.insert)
    return result
  }

  /// `CREATE TABLE IF NOT EXISTS` for both tables.
  public var createStatements: [String] {
    let version = versionTableName.quoted, log = logTableName.quoted
    return [
      """
      CREATE TABLE IF NOT EXISTS \(version) (
          version_num VARCHAR(32) NOT NULL,
          CONSTRAINT \(Self.quote(versionTable + "_pkc")) PRIMARY KEY (version_num)
      )
      """,
      """
      CREATE TABLE IF NOT EXISTS \(log) (
          \(dialect.logKeyColumn),
          revision VARCHAR(32) NOT NULL,
          direction VARCHAR(9) NOT NULL,
          checksum CHAR(64),
          started_at TEXT NOT NULL,
          duration_ms INTEGER,
          transactional INTEGER NOT NULL DEFAULT 1
      )
      """,
    ]
  }

  /// The SQL text of one row change (literal values, for offline scripts and for running).
  public func statement(_ change: RowChange) -> String {
    let table = versionTableName.quoted
    switch change {
    case .insert(let id):
      return "INSERT INTO \(table) (version_num) VALUES (\(Self.literal(id)))"
    case .update(let from, let to):
      return "UPDATE \(table) SET version_num = \(Self.literal(to)) WHERE version_num = \(Self.literal(from))"
    case .delete(let id):
      return "DELETE FROM \(table) WHERE version_num = \(Self.literal(id))"
    }
  }

  /// The SQL text of one log row. `startedAt` and `durationMs` are SQL expressions.
  public func logStatement(
    revision: String, direction: String, checksum: String?, startedAt: String, durationMs: String,
    transactional: Bool
  ) -> String {
    "INSERT INTO \(logTableName.quoted) (revision, direction, checksum, started_at, duration_ms, transactional) "
      + "VALUES (\(Self.literal(revision)), \(Self.literal(direction)), \(checksum.map(Self.literal) ?? "NULL"), "
      + "\(startedAt), \(durationMs), \(transactional ? 1 : 0))"
  }

  /// The version table's rows, in the table's order (see ``SQLDialect/versionRowOrder``);
  /// empty when the table does not exist.
  func rows(in connection: any DatabaseConnection) throws -> [String] {
    guard try connection.tableExists(versionTableName) else { return [] }
    return try connection.rows(
      "SELECT version_num FROM \(versionTableName.quoted) \(connection.dialect.versionRowOrder)", []
    ).map { $0.first.flatMap { $0 } ?? "" }
  }

  /// The version table's rows of a SQLite database (for tests and tools that open it
  /// themselves).
  public func rows(in connection: SQLiteConnection) throws -> [String] {
    try rows(in: connection as any DatabaseConnection)
  }

  /// Creates both tables when missing.
  /// - Throws: ``RunnerError/missingSchema(database:schema:dialect:)`` when
  ///   `version_table_schema` names a schema the database does not have.
  func create(in connection: any DatabaseConnection) throws {
    do {
      for statement in createStatements { try connection.execute(statement) }
    } catch let error as RunnerError {
      guard let schema, error.isMissingSchema else { throw error }
      throw RunnerError.missingSchema(database: connection.displayName, schema: schema, dialect: dialect)
    }
  }

  /// Applies `changes`, checking that each update and delete touches exactly one row (else
  /// nothing after it runs). `after` runs next, in the same round trip (PostgreSQL).
  func apply(_ changes: [RowChange], then after: [String] = [], in connection: any DatabaseConnection) throws {
    let statements = changes.map(statement)
    let checked = Set(
      changes.enumerated().compactMap { index, change -> Int? in
        if case .insert = change { return nil }
        return index
      })
    do {
      try connection.executeAll(statements + after, expectingOneRow: checked)
    } catch let mismatch as RowCountMismatch {
      let sql = mismatch.index < statements.count ? statements[mismatch.index] : ""
      throw RunnerError.versionTableChanged(
        database: connection.displayName,
        message: "the version table changed under the runner: expected one row, \(mismatch.count) matched "
          + "(in: \(sql))")
    }
  }

  /// A double-quoted SQL identifier.
  public static func quote(_ identifier: String) -> String { quoted(identifier, by: UInt8(ascii: "\"")) }

  /// A single-quoted SQL string literal.
  public static func literal(_ text: String) -> String { quoted(text, by: UInt8(ascii: "'")) }

  /// `text` between `mark`s, each `mark` inside doubled. `mark` is ASCII, and an ASCII byte in
  /// UTF-8 is always that character, so this works on bytes (Foundation's
  /// replacingOccurrences goes through NSString and cost more than the rest of an offline
  /// script).
  static func quoted(_ text: String, by mark: UInt8) -> String {
    let utf8 = text.utf8
    let quote = String(decoding: [mark], as: UTF8.self)
    guard utf8.contains(mark) else { return quote + text + quote }
    var out = [mark]
    out.reserveCapacity(utf8.count + 8)
    for byte in utf8 {
      out.append(byte)
      if byte == mark { out.append(mark) }
    }
    out.append(mark)
    return String(decoding: out, as: UTF8.self)
  }
}
