import Foundation
import Project

/// Which database the runner migrates, from the database setting: a SQLite file (a path or
/// a SQLAlchemy-style `sqlite:///` URL) or a PostgreSQL database (a `postgresql://` URL in any
/// of its forms, or a libpq key/value string).
///
/// It opens connections through the driver of its kind; nothing above the runner needs to
/// know which kind that is.
public struct DatabaseLocation: Sendable, Equatable {
  /// The driver and what it needs to connect.
  enum Driver: Sendable, Equatable {
    /// A SQLite file (absolute, or `:memory:`).
    case sqlite(path: String)
    /// A PostgreSQL database.
    case postgresql(PostgreSQLURL)
  }

  let driver: Driver

  /// Parses `setting`.
  ///
  /// Accepted for SQLite: `sqlite:///relative.db`, `sqlite:////absolute.db`,
  /// `sqlite+driver:///…`, `sqlite:///:memory:` and plain paths. Relative paths are taken from
  /// `directory`.
  /// - Throws: ``RunnerError/invalidURL(_:reason:)`` for other schemes and malformed URLs.
  public init(_ setting: String, relativeTo directory: String) throws {
    if PostgreSQLURL.isPostgreSQL(setting) {
      driver = .postgresql(try PostgreSQLURL(setting))
      return
    }
    driver = .sqlite(path: try Self.sqlitePath(setting, relativeTo: directory))
  }

  /// The file a SQLite setting names.
  private static func sqlitePath(_ setting: String, relativeTo directory: String) throws -> String {
    var rest = Substring(setting)
    if let schemeEnd = setting.range(of: "://") {
      let scheme = setting[..<schemeEnd.lowerBound]
      guard scheme == "sqlite" || scheme.hasPrefix("sqlite+") else {
        throw RunnerError.invalidURL(
          PostgreSQLURL.redactURL(setting),
          reason: "revgraph runs migrations on SQLite and PostgreSQL (not '\(scheme)')")
      }
      rest = setting[schemeEnd.upperBound...]
      guard rest.isEmpty || rest.hasPrefix("/") else {
        throw RunnerError.invalidURL(setting, reason: "a SQLite URL has no host; write three slashes")
      }
      rest = rest.dropFirst()
      if rest.contains("?") {
        throw RunnerError.invalidURL(setting, reason: "query parameters are not supported")
      }
      // SQLAlchemy reads `sqlite://` and `sqlite:///` as an in-memory database: migrations
      // applied there vanish when the command ends, so an empty path is refused.
      if rest.isEmpty {
        throw RunnerError.invalidURL(
          setting,
          reason: "the path is empty (SQLAlchemy would use an in-memory database, which vanishes when the "
            + "command ends; write sqlite:///:memory: if that is really meant)")
      }
    }
    guard !rest.isEmpty else { throw RunnerError.invalidURL(setting, reason: "the path is empty") }
    if rest == ":memory:" || rest.hasPrefix("/") { return String(rest) }
    return URL(fileURLWithPath: String(rest), relativeTo: URL(fileURLWithPath: directory, isDirectory: true))
      .standardizedFileURL.path
  }

  /// The SQL dialect of this database.
  public var dialect: SQLDialect {
    switch driver {
    case .sqlite: .sqlite
    case .postgresql: .postgresql
    }
  }

  /// The database in messages: a file path relative to the current directory when it lies
  /// below it (else absolute), a URL with its password replaced by `***`.
  public var displayName: String {
    switch driver {
    case .sqlite(let path): DisplayPath.relative(path)
    case .postgresql(let url): url.displayName
    }
  }

  /// The SQLite file (absolute, or `:memory:`); nil for a server's database.
  public var path: String? {
    switch driver {
    case .sqlite(let path): path
    case .postgresql: nil
    }
  }

  /// False when the database is known not to exist yet: a SQLite file that is not there (an
  /// in-memory database always exists). A server's database is taken to exist; connecting
  /// says when it does not.
  public var exists: Bool {
    switch driver {
    case .sqlite(let path): path == ":memory:" || FileManager.default.fileExists(atPath: path)
    case .postgresql: true
    }
  }

  /// A read-only connection (it never writes, never creates anything), or nil when the
  /// database does not exist (``exists``).
  /// - Parameter timeout: How long a read waits for another connection's lock.
  /// - Throws: ``RunnerError`` when it cannot be opened.
  func openReadOnly(timeout: Duration) throws -> (any DatabaseConnection)? {
    guard exists else { return nil }
    switch driver {
    case .sqlite(let path): return try SQLiteConnection(path: path, mode: .readOnly, busyTimeout: timeout)
    case .postgresql(let url): return try PostgreSQLConnection(url: url, readOnly: true)
    }
  }

  /// The rows of `bookkeeping`'s version table, read through a read-only connection; nil when
  /// the database does not exist (it is never created here), empty when it has no version
  /// table.
  /// - Throws: ``RunnerError``.
  public func readRows(of bookkeeping: Bookkeeping, timeout: Duration) throws -> [String]? {
    guard let connection = try openReadOnly(timeout: timeout) else { return nil }
    defer { connection.close() }
    return try bookkeeping.rows(in: connection)
  }

  /// A writable connection (creating a SQLite file when missing) that holds the run lock
  /// until it is closed: a second runner on the same database waits for it.
  /// - Parameters:
  ///   - table: The version table the run lock is for (runners of one version table in one
  ///     database exclude each other).
  ///   - timeout: How long to wait for another runner's lock.
  ///   - waiting: Called once, with who holds the lock, when the runner has to wait.
  /// - Throws: ``RunnerError/locked(path:reason:)`` when the lock is not had in time, and the
  ///   driver's connection errors.
  func openSession(lockingFor table: TableName, timeout: Duration, waiting: (String) -> Void) throws
    -> any DatabaseConnection
  {
    switch driver {
    case .sqlite(let path): return try SQLiteConnection.session(path: path, timeout: timeout, waiting: waiting)
    case .postgresql(let url):
      return try PostgreSQLConnection.session(url: url, lockingFor: table, timeout: timeout, waiting: waiting)
    }
  }
}
