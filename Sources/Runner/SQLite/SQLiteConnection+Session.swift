import CSQLite
import Foundation
import Project

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension SQLiteConnection {
  /// A writable connection plus the runner's process lock on the database file.
  ///
  /// The runner commits revisions in groups (`BEGIN IMMEDIATE` … `COMMIT`), so SQLite's write
  /// lock is released between groups. The process lock (`flock` on the database file, which
  /// does not interact with SQLite's own `fcntl` locks) is held until the connection closes,
  /// so a second `revgraph` process waits until the first has finished and then plans from
  /// its result.
  /// - Parameter waiting: Called once when another process holds the lock.
  /// - Throws: ``RunnerError/locked(path:reason:)`` when another runner keeps the lock
  ///   longer than `timeout`.
  static func session(path: String, timeout: Duration, waiting: (String) -> Void = { _ in }) throws
    -> SQLiteConnection
  {
    let connection = try SQLiteConnection(path: path, mode: .readWriteCreate, busyTimeout: timeout)
    // Foreign keys stay off even where SQLite is built to turn them on: a table rebuild drops
    // and recreates a parent table inside the revision's transaction (where the pragma
    // cannot change), and with them on that DROP would cascade into the children's rows.
    // Rebuilds end with PRAGMA foreign_key_check instead.
    try connection.execute("PRAGMA foreign_keys = OFF")
    guard path != ":memory:" else { return connection }
    try Self.checkWritable(path, connection)
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw RunnerError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
    connection.runLock = descriptor
    let deadline = ContinuousClock.now + timeout
    var told = false
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      guard errno == EWOULDBLOCK || errno == EINTR else {
        throw RunnerError.cannotOpen(path: path, reason: "lock: " + String(cString: strerror(errno)))
      }
      guard ContinuousClock.now < deadline else {
        throw RunnerError.locked(
          path: path, reason: "another revgraph process is migrating it; waited \(timeout.secondsText) s")
      }
      if !told {
        told = true
        waiting("another revgraph process is migrating it")
      }
      try? Task.checkCancellation()
      usleep(20_000)
    }
    return connection
  }
}

extension SQLiteConnection {
  /// Refuses, before anything runs, a database this user cannot write: SQLite opens a
  /// read-only file read-only without a word, and writes its rollback journal beside the
  /// file, so both the file and its directory must be writable.
  /// - Throws: ``RunnerError/readOnly(path:reason:)``.
  static func checkWritable(_ path: String, _ connection: SQLiteConnection) throws {
    let name = DisplayPath.relative(path)
    if sqlite3_db_readonly(connection.handle, "main") == 1 || access(path, W_OK) != 0 {
      throw RunnerError.readOnly(path: name, reason: "the file is read-only for this user")
    }
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    if access(directory, W_OK) != 0 {
      throw RunnerError.readOnly(
        path: name,
        reason: "its directory \(DisplayPath.relative(directory)) is not writable for this user, and SQLite "
          + "writes its journal there")
    }
  }
}

extension SQLiteConnection: DatabaseConnection {
  func registerForInterrupt() { RunInterrupt.register(sqlite: handle) }

  @discardableResult func executeAll(_ statements: [String], expectingOneRow: Set<Int>) throws -> [Int] {
    var counts = [Int]()
    for (index, statement) in statements.enumerated() {
      let count = try execute(statement)
      if expectingOneRow.contains(index), count != 1 { throw RowCountMismatch(index: index, count: count) }
      counts.append(count)
    }
    return counts
  }

  var displayName: String { DisplayPath.relative(path) }

  var dialect: SQLDialect { .sqlite }

  var inTransaction: Bool { !isAutocommit }

  func rows(_ sql: String, _ parameters: [String]) throws -> [[String?]] {
    try rows(sql, parameters.map(SQLiteValue.text))
  }

  func beginWrite() throws { try execute("BEGIN IMMEDIATE") }

  func tableExists(_ name: TableName) throws -> Bool {
    let catalog = name.schema.map { Bookkeeping.quote($0) + ".sqlite_schema" } ?? "sqlite_schema"
    return try scalarInt("SELECT count(*) FROM \(catalog) WHERE type = 'table' AND name = ?", [.text(name.name)]) ?? 0
      > 0
  }
}
