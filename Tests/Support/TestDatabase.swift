import Foundation
import Project

/// The database drivers the runner's tests run on: each test that touches a database is
/// parameterized over both.
public enum TestDriver: String, CaseIterable, Sendable {
  case sqlite
  case postgresql
}

/// A fresh, empty database of one driver for one test, queried through the driver's shell
/// (`sqlite3`, `psql`), independently of revgraph.
///
/// SQLite: the file `app.db` in the project's directory (not created until something writes
/// it). PostgreSQL: a database of its own (`revgraph_t_…`) on the test server named by
/// `REVGRAPH_TEST_POSTGRESQL_URL` (`scripts/test.sh` starts one), dropped by ``remove()``.
public struct TestDatabase: Sendable {
  public let driver: TestDriver
  /// The database setting, as `--url`, `REVGRAPH_DATABASE` or `database =` take it: the
  /// file's absolute path, or the database's URL.
  public let url: String
  /// The SQLite file, nil for PostgreSQL.
  public let path: String?
  /// The PostgreSQL database's name (nil for SQLite).
  public let name: String?

  /// Said once per test run, by the first PostgreSQL test skipped.
  private static let skipNotice: Void = FileHandle.standardError.write(
    Data(
      ("NOTICE: REVGRAPH_TEST_POSTGRESQL_URL is not set: every PostgreSQL test is skipped "
        + "(scripts/test.sh starts a server and sets it)\n").utf8))

  /// The URL of the PostgreSQL test server's maintenance database, or nil.
  public static var serverURL: String? {
    ProcessInfo.processInfo.environment["REVGRAPH_TEST_POSTGRESQL_URL"].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// The test server's data directory (for `pg_ctl restart`), or nil.
  public static var serverDirectory: String? {
    ProcessInfo.processInfo.environment["REVGRAPH_TEST_POSTGRESQL_DIR"].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// A new database of `driver` for a test whose files are in `root`; nil, after a notice on
  /// standard error, when the driver's server is not available.
  public static func make(_ driver: TestDriver, in root: URL) throws -> TestDatabase? {
    switch driver {
    case .sqlite:
      let path = root.appendingPathComponent("app.db").path
      return TestDatabase(driver: .sqlite, url: path, path: path, name: nil)
    case .postgresql:
      guard let server = serverURL else {
        _ = skipNotice
        return nil
      }
      let name = "revgraph_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
      _ = try psql(server, "CREATE DATABASE \(name)")
      return TestDatabase(driver: .postgresql, url: Self.url(server, database: name), path: nil, name: name)
    }
  }

  /// A database on a PostgreSQL server the caller made (and removes).
  public init(postgresql url: String) {
    self.init(driver: .postgresql, url: url, path: nil, name: nil)
  }

  private init(driver: TestDriver, url: String, path: String?, name: String?) {
    self.driver = driver
    self.url = url
    self.path = path
    self.name = name
  }

  /// The repository's scripts/postgres.sh (this file is Tests/Support/…).
  static var serverScript: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("scripts/postgres.sh").path
  }

  /// Starts a throwaway server of its own in `directory` (scripts/postgres.sh start); its URL.
  public static func startServer(in directory: String) throws -> String {
    guard let url = try shell("/bin/bash", [serverScript, "start", directory]).last else {
      throw ShellFailure(command: "scripts/postgres.sh start \(directory)", status: 0, errors: "no URL printed")
    }
    return url
  }

  /// Restarts the server in `directory` (scripts/postgres.sh restart: `pg_ctl restart -m fast`),
  /// waiting until it accepts connections again.
  public static func restartServer(in directory: String) throws {
    _ = try shell("/bin/bash", [serverScript, "restart", directory])
  }

  /// Stops the server in `directory` and removes the directory (scripts/postgres.sh stop).
  public static func stopServer(in directory: String) {
    _ = try? shell("/bin/bash", [serverScript, "stop", directory])
  }

  /// `server` (a `postgresql://…/db` URL) with its database replaced by `database`.
  public static func url(_ server: String, database: String) -> String {
    var base = server
    var query = ""
    if let mark = base.firstIndex(of: "?") {
      query = String(base[mark...])
      base = String(base[..<mark])
    }
    guard let scheme = base.range(of: "://"), let slash = base[scheme.upperBound...].firstIndex(of: "/") else {
      return base + "/" + database + query
    }
    return String(base[..<slash]) + "/" + database + query
  }

  /// Drops the PostgreSQL database (a SQLite file goes with the project's directory).
  public func remove() {
    guard let name, let server = Self.serverURL else { return }
    _ = try? Self.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
  }

  /// Waits (up to `timeout` seconds) until no revgraph session is connected to this database.
  ///
  /// A client killed with SIGKILL leaves its server session running until the server notices:
  /// a COMMIT the client sent just before it died still lands. Reads taken before that compare
  /// two different moments; tests of a killed run wait here first. SQLite: nothing to wait for.
  public func waitForClientSessions(timeout: Double = 30) throws {
    guard driver == .postgresql, let name, let server = Self.serverURL else { return }
    let deadline = Date().addingTimeInterval(timeout)
    let sql =
      "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(name)' AND application_name = 'revgraph'"
    while try Self.psql(server, sql) != ["0"] {
      guard Date() < deadline else {
        throw ShellFailure(command: sql, status: 0, errors: "revgraph sessions still connected after \(timeout) s")
      }
      usleep(20_000)
    }
  }

  /// True when the database holds a table named `table` (in its default schema).
  public func hasTable(_ table: String) throws -> Bool { try tables().contains(table) }

  /// The names of the tables in the default schema (`main`, `public`), sorted; none when the
  /// SQLite file does not exist.
  public func tables() throws -> [String] {
    switch driver {
    case .sqlite:
      guard let path, FileManager.default.fileExists(atPath: path) else { return [] }
      return try query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    case .postgresql:
      return try query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")
    }
  }

  /// The rows of `sql`, one line each, columns joined by `|` (the shells' default output).
  public func query(_ sql: String) throws -> [String] {
    switch driver {
    case .sqlite:
      return try Self.shell("/usr/bin/sqlite3", [path ?? "", sql])
    case .postgresql:
      return try Self.psql(url, sql)
    }
  }

  /// Runs `psql` on `url`: unaligned, tuples only, stopping at the first error.
  public static func psql(_ url: String, _ sql: String) throws -> [String] {
    try shell(psqlPath, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
  }

  /// Feeds `script` to the driver's shell on this database (`sqlite3 -bail`, `psql -v
  /// ON_ERROR_STOP=1`), from a file; returns the exit status and what it said on standard error.
  public func feed(_ script: String) throws -> (status: Int32, errors: String) {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-feed-\(UUID().uuidString).sql")
    try script.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    switch driver {
    case .sqlite:
      return try Self.run("/usr/bin/sqlite3", ["-bail", path ?? "", ".read '\(file.path)'"])
    case .postgresql:
      return try Self.run(Self.psqlPath, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file.path])
    }
  }

  /// psql: on PATH or in PostgreSQL's Debian directory.
  static var psqlPath: String {
    for candidate in ["/usr/bin/psql", "/usr/local/bin/psql"] + (15...17).map({ "/usr/lib/postgresql/\($0)/bin/psql" })
    where FileManager.default.isExecutableFile(atPath: candidate) {
      return candidate
    }
    return "/usr/bin/psql"
  }

  /// Runs `executable` with `arguments`; its output lines.
  /// - Throws: ``ShellFailure`` when it exits non-zero.
  public static func shell(_ executable: String, _ arguments: [String]) throws -> [String] {
    let (status, errors, output) = try execute(executable, arguments)
    guard status == 0 else {
      throw ShellFailure(command: ([executable] + arguments).joined(separator: " "), status: status, errors: errors)
    }
    return output.split(separator: "\n").map(String.init)
  }

  /// Runs `executable`; its exit status and standard error.
  public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, errors: String) {
    let (status, errors, _) = try execute(executable, arguments)
    return (status, errors)
  }

  private static func execute(_ executable: String, _ arguments: [String]) throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Standard error is read on another thread, so neither pipe can fill while the other is read.
    final class Box: @unchecked Sendable { var data = Data() }
    let errors = Box()
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      errors.data = err.fileHandleForReading.readAllRetryingInterrupts()
      done.signal()
    }
    let data = out.fileHandleForReading.readAllRetryingInterrupts()
    done.wait()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: errors.data, as: UTF8.self), String(decoding: data, as: UTF8.self)
    )
  }

  /// A shell command that failed.
  public struct ShellFailure: Error, CustomStringConvertible {
    public var command: String
    public var status: Int32
    public var errors: String
    public var description: String { "\(command) exited \(status): \(errors)" }
  }
}
