import CLibPQ
import Foundation
import Project

/// One connection to a PostgreSQL database through libpq. Not thread-safe.
final class PostgreSQLConnection {
  let url: PostgreSQLURL
  private var handle: OpaquePointer?

  /// What the server (or libpq) said about a failed command.
  struct Failure: Error, Sendable, Equatable {
    var sqlstate: String?
    var message: String
    var detail: String?
    var hint: String?
    /// 1-based character position in the statement, for syntax errors.
    var position: Int?
    /// True when the connection ended (server gone, session terminated, network dropped).
    var connectionLost: Bool
  }

  /// libpq's transaction state.
  enum TransactionStatus: Sendable { case idle, active, inTransaction, inFailedTransaction, unknown }

  /// Connects (the setting expanded by libpq, so its environment variables, `~/.pgpass` and
  /// service files apply); `readOnly` sessions refuse every write.
  /// - Throws: ``RunnerError`` classified from libpq's message.
  init(url: PostgreSQLURL, readOnly: Bool) throws {
    self.url = url
    let keywords = ["dbname", "fallback_application_name"]
    let values = [url.conninfo, "revgraph"]
    let connection = withCStrings(keywords) { keys in
      withCStrings(values) { vals in PQconnectdbParams(keys, vals, 1) }
    }
    handle = connection
    guard let connection, PQstatus(connection) == CONNECTION_OK else {
      let message = connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
      let needsPassword = connection.map { PQconnectionNeedsPassword($0) != 0 } ?? false
      let server = connection.map { connection in
        Server(
          host: PQhost(connection).map { String(cString: $0) }, port: PQport(connection).map { String(cString: $0) },
          user: PQuser(connection).map { String(cString: $0) })
      }
      close()
      throw Self.connectionError(message, needsPassword: needsPassword, url: url, server: server ?? Server())
    }
    PQsetNoticeProcessor(connection, { _, _ in }, nil)
    do {
      _ = try command("SET client_min_messages = warning")
      if readOnly { _ = try command("SET default_transaction_read_only = on") }
    } catch {
      close()
      throw self.error(error, sql: nil)
    }
  }

  deinit { close() }

  /// libpq's cancel object for this connection (freed by its holder), nil when closed.
  func cancelHandle() -> OpaquePointer? { handle.flatMap { PQgetCancel($0) } }

  func close() {
    if let handle { PQfinish(handle) }
    handle = nil
  }

  var transactionStatus: TransactionStatus {
    guard let handle else { return .unknown }
    switch PQtransactionStatus(handle) {
    case PQTRANS_IDLE: return .idle
    case PQTRANS_ACTIVE: return .active
    case PQTRANS_INTRANS: return .inTransaction
    case PQTRANS_INERROR: return .inFailedTransaction
    default: return .unknown
    }
  }

  var isConnected: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

  /// Runs `sql` (simple protocol); the number of rows the last command changed.
  func command(_ sql: String) throws(Failure) -> Int {
    let result = try run { PQexec($0, sql) }
    defer { PQclear(result) }
    return Int(String(cString: PQcmdTuples(result))) ?? 0
  }

  /// The rows of `sql` with text parameters `$1`…, each column as text (nil for NULL).
  func query(_ sql: String, _ parameters: [String]) throws(Failure) -> [[String?]] {
    let result = try run { connection in
      withCStrings(parameters) { values in
        PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
      }
    }
    defer { PQclear(result) }
    var rows = [[String?]]()
    for row in 0..<PQntuples(result) {
      rows.append(
        (0..<PQnfields(result)).map { column in
          PQgetisnull(result, row, column) != 0 ? nil : String(cString: PQgetvalue(result, row, column))
        })
    }
    return rows
  }

  /// Sends `sql` (several statements, simple protocol) in one round trip; the rows each
  /// statement changed, in order (`succeeded` is called after each). The server stops at the
  /// first statement that fails (the rest are skipped) and that failure is thrown.
  func commands(_ sql: String, each succeeded: () -> Void = {}) throws(Failure) -> [Int] {
    guard let handle, PQstatus(handle) == CONNECTION_OK else {
      throw Failure(message: "the connection is closed", connectionLost: true)
    }
    guard PQsendQuery(handle, sql) == 1 else {
      throw Failure(message: Self.trimmed(String(cString: PQerrorMessage(handle))), connectionLost: !isConnected)
    }
    var counts = [Int]()
    var failure: Failure?
    // Every result is read, so that the connection is ready for the next command.
    while let result = PQgetResult(handle) {
      if failure == nil {
        do {
          let checked = try check(result, handle)
          counts.append(Int(String(cString: PQcmdTuples(checked))) ?? 0)
          PQclear(checked)
          succeeded()
        } catch {
          failure = error
        }
      } else {
        PQclear(result)
      }
    }
    if let failure { throw failure }
    return counts
  }

  /// Runs one libpq call and checks its result.
  private func run(_ call: (OpaquePointer) -> OpaquePointer?) throws(Failure) -> OpaquePointer {
    guard let handle, PQstatus(handle) == CONNECTION_OK else {
      throw Failure(message: "the connection is closed", connectionLost: true)
    }
    let result = call(handle)
    guard let result else {
      throw Failure(message: Self.trimmed(String(cString: PQerrorMessage(handle))), connectionLost: !isConnected)
    }
    return try check(result, handle)
  }

  /// `result` when it succeeded; else it is cleared and its failure thrown.
  private func check(_ result: OpaquePointer, _ handle: OpaquePointer) throws(Failure) -> OpaquePointer {
    switch PQresultStatus(result) {
    case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
      return result
    case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
      _ = PQputCopyEnd(handle, "revgraph does not feed COPY data")
      while let next = PQgetResult(handle) { PQclear(next) }
      PQclear(result)
      throw Failure(
        message: "COPY … FROM STDIN / TO STDOUT is not supported in a revision (use INSERT)",
        connectionLost: false)
    default:
      func field(_ code: Character) -> String? {
        PQresultErrorField(result, Int32(code.asciiValue ?? 0)).map { String(cString: $0) }
      }
      let sqlstate = field("C")
      let failure = Failure(
        sqlstate: sqlstate, message: field("M") ?? Self.trimmed(String(cString: PQerrorMessage(handle))),
        detail: field("D"), hint: field("H"), position: field("P").flatMap { Int($0) },
        connectionLost: !isConnected || sqlstate?.hasPrefix("08") == true
          || ["57P01", "57P02", "57P03"].contains(sqlstate ?? ""))
      PQclear(result)
      throw failure
    }
  }

  /// A failure as the runner's error.
  func error(_ failure: Failure, sql: String?) -> RunnerError {
    let name = url.displayName
    var text = failure.message
    if let detail = failure.detail { text += " (\(detail))" }
    if let hint = failure.hint { text += " (hint: \(hint))" }
    if failure.connectionLost { return .connectionLost(database: name, reason: "(\(text))") }
    switch failure.sqlstate {
    case "42501": return .permissionDenied(database: name, reason: text)
    case "25006":
      let database = handle.flatMap { PQdb($0) }.map { String(cString: $0) } ?? ""
      return .readOnlySession(database: name, name: database, reason: text)
    case "55P03", "40P01": return .locked(path: name, reason: text)
    default: return .postgresql(database: name, sqlstate: failure.sqlstate ?? "", message: text, sql: sql)
    }
  }

  /// Where libpq tried to connect: its host (or socket directory), port and role.
  struct Server: Sendable, Equatable {
    var host: String?
    var port: String?
    var user: String?
  }

  /// libpq's connection failure as the runner's error; `server` is where libpq tried.
  static func connectionError(_ raw: String, needsPassword: Bool, url: PostgreSQLURL, server: Server) -> RunnerError {
    // libpq may quote part of the setting (an invalid percent-encoding, say): never its password.
    let message = url.scrub(trimmed(raw))
    let name = url.displayName
    if let range = message.range(of: "database \""), message.contains("does not exist") {
      let rest = message[range.upperBound...]
      let database = String(rest.prefix { $0 != "\"" })
      return .unknownDatabase(database: name, name: database, create: createCommand(database, on: server))
    }
    if needsPassword || message.contains("password authentication failed") || message.contains("no password supplied")
      || (message.contains("role \"") && message.contains("does not exist")) || message.contains("pg_hba.conf")
      || message.contains("authentication")
    {
      return .authenticationFailed(database: name, reason: message)
    }
    return .connectionFailed(database: name, reason: message)
  }

  /// The `createdb` command that makes `database` on `server` (the password, if one is
  /// needed, comes from PGPASSWORD or ~/.pgpass, as for revgraph).
  static func createCommand(_ database: String, on server: Server) -> String {
    var words = ["createdb"]
    if let host = server.host, !host.isEmpty { words += ["-h", host] }
    if let port = server.port, !port.isEmpty { words += ["-p", port] }
    if let user = server.user, !user.isEmpty { words += ["-U", user] }
    words.append(database)
    return words.map(ShellWord.quoted).joined(separator: " ")
  }

  /// libpq's message on one line: its lines trimmed and joined with "; ".
  static func trimmed(_ text: String) -> String {
    text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      .joined(separator: "; ")
  }
}

/// Calls `body` with `strings` as a C array of C strings.
private func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
  let copies = strings.map { strdup($0) }
  defer { copies.forEach { free($0) } }
  let pointers = copies.map { UnsafePointer($0) } + [nil]
  return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
