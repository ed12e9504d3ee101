import Foundation
import Project

extension PostgreSQLConnection: DatabaseConnection {
  func registerForInterrupt() { RunInterrupt.register(postgresql: cancelHandle()) }

  var displayName: String { url.displayName }

  var dialect: SQLDialect { .postgresql }

  var inTransaction: Bool {
    switch transactionStatus {
    case .inTransaction, .inFailedTransaction, .active: true
    case .idle, .unknown: false
    }
  }

  @discardableResult func execute(_ sql: String) throws -> Int {
    do {
      return try command(sql)
    } catch {
      throw self.error(error, sql: sql)
    }
  }

  /// One simple-protocol query holding every statement: the server runs them in order and
  /// skips the rest after one fails (inside the run's transaction, which that failure aborts).
  /// A statement that must change one row runs as `WITH c AS (… RETURNING 1) SELECT …` whose
  /// result is cast to an integer only when the count is right, so that a wrong count is an
  /// error of the server's, which stops the rest.
  @discardableResult func executeAll(_ statements: [String], expectingOneRow: Set<Int>) throws -> [Int] {
    guard !statements.isEmpty else { return [] }
    let sent = statements.enumerated().map { index, statement in
      expectingOneRow.contains(index)
        ? "WITH revgraph_changed AS (\(statement) RETURNING 1) SELECT (CASE count(*) WHEN 1 THEN '1' ELSE "
          + "'\(Self.mismatchMark)' || count(*) END)::integer FROM revgraph_changed" : statement
    }
    let sql = sent.joined(separator: ";\n")
    var completed = 0
    do {
      let counts = try commands(sql) { completed += 1 }
      // A guarded statement's result is one row (its count is the SELECT's): it changed one.
      return counts.enumerated().map { expectingOneRow.contains($0.offset) ? 1 : $0.element }
    } catch {
      if error.sqlstate == "22P02", let range = error.message.range(of: Self.mismatchMark) {
        let count = Int(error.message[range.upperBound...].prefix { $0.isNumber }) ?? 0
        throw RowCountMismatch(index: completed, count: count)
      }
      throw self.error(error, sql: sql)
    }
  }

  /// The text a guarded statement's failure carries.
  static let mismatchMark = "revgraph: rows changed: "

  func rows(_ sql: String, _ parameters: [String]) throws -> [[String?]] {
    do {
      return try query(sql, parameters)
    } catch {
      throw self.error(error, sql: sql)
    }
  }

  func beginWrite() throws { try execute("BEGIN") }

  /// Runs the statements of `script` one at a time (split by ``PostgreSQLStatements``, as psql
  /// splits them), so that a statement that cannot run in a transaction block runs on its own
  /// in a revision outside a transaction, and an error's position names its line.
  func executeScript(_ script: String, refuse: ((String) -> String?)?) throws(ScriptFailure) -> Int {
    let bytes = Array(script.utf8)
    var count = 0
    for statement in PostgreSQLStatements.split(bytes) {
      let text = String(decoding: bytes[statement.range], as: UTF8.self)
      if let problem = refuse?(text) {
        throw ScriptFailure(line: statement.line, statement: ScriptFailure.excerpt(text), message: problem)
      }
      do {
        _ = try command(text)
      } catch {
        let within = error.position.map { PostgreSQLStatements.line(ofCharacter: $0, in: bytes[statement.range]) } ?? 1
        throw ScriptFailure(
          line: statement.line + within - 1, statement: ScriptFailure.excerpt(text), message: error.message,
          sqlstate: error.sqlstate, detail: error.detail, hint: error.hint, connectionLost: error.connectionLost)
      }
      count += 1
    }
    return count
  }

  func tableExists(_ name: TableName) throws -> Bool {
    try rows("SELECT to_regclass($1) IS NOT NULL", [name.quoted]).first?.first == "t"
  }
}

extension PostgreSQLConnection {
  /// A writable connection holding the run lock: a session-level advisory lock
  /// (`pg_advisory_lock`) on ``lockKey(_:)`` of the version table, which the server releases
  /// when the session ends, however it ends.
  ///
  /// The lock is asked for with `pg_try_advisory_lock` every 50 ms until `timeout` has passed.
  /// - Parameter waiting: Called once, with the holder's process id, application name, client
  ///   and since when it is connected, when another session holds the lock.
  /// - Throws: ``RunnerError/locked(path:reason:)`` when the lock is not had in time, and the
  ///   connection's errors.
  static func session(
    url: PostgreSQLURL, lockingFor table: TableName, timeout: Duration, waiting: (String) -> Void
  ) throws -> PostgreSQLConnection {
    let connection = try PostgreSQLConnection(url: url, readOnly: false)
    let key = String(lockKey(table))
    let deadline = ContinuousClock.now + timeout
    var holder: String?
    while try connection.rows("SELECT pg_try_advisory_lock($1::bigint)", [key]).first?.first != "t" {
      if holder == nil {
        holder = try connection.lockHolder(table)
        waiting(holder ?? "another session")
      }
      guard ContinuousClock.now < deadline else {
        throw RunnerError.locked(
          path: url.displayName,
          reason: "another revgraph run holds its lock (\(holder ?? "another session")); waited "
            + "\(timeout.secondsText) s")
      }
      try? Task.checkCancellation()
      usleep(50_000)
    }
    return connection
  }

  /// The advisory lock key of a version table: the first 8 bytes of the SHA-256 of
  /// `revgraph:` and its qualified name, as a signed 64-bit integer. Runners of the same
  /// version table in the same database share it; advisory locks are per database.
  static func lockKey(_ table: TableName) -> Int64 {
    let hex = Checksum.sha256Hex(Array("revgraph:\(table.display)".utf8))
    return Int64(bitPattern: UInt64(hex.prefix(16), radix: 16) ?? 0)
  }

  /// Who holds the advisory lock of `table`: `pid N (application, client) since TIME`.
  func lockHolder(_ table: TableName) throws -> String? {
    let key = UInt64(bitPattern: Self.lockKey(table))
    let row = try rows(
      """
      SELECT a.pid::text, coalesce(nullif(a.application_name, ''), 'no application name'),
             coalesce(host(a.client_addr), 'local socket'),
             to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')
      FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid AND l.objsubid = 1
      """, [String(key >> 32), String(key & 0xFFFF_FFFF)]
    ).first
    guard let row, row.count == 4 else { return nil }
    return "pid \(row[0] ?? "?") (\(row[1] ?? ""), \(row[2] ?? "")) since \(row[3] ?? "?")"
  }
}
