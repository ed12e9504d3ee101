import Foundation
import Project
import TestSupport
import Testing

@testable import Graph

/// The commands that read the database, through the binary, on each driver: what they report,
/// that they never write, and (PostgreSQL) that a password never appears in what they print.
@Suite(.serialized) struct DatabaseCommandsTests {
  /// Every command that only reads the database, with the exit status it has on a database
  /// at `r001` of `r000 <- r001 <- r002` whose files are unchanged.
  static let readCommands: [([String], Int32)] = [
    (["current"], 0), (["current", "-v"], 0), (["current", "--format", "json"], 0), (["current", "--check-heads"], 1),
    (["history", "-i"], 0), (["history", "-i", "--format", "json"], 0), (["show", "current"], 0),
    (["show", "current", "--format", "json"], 0), (["verify"], 0), (["verify", "--format", "json"], 0),
    (["check"], 0), (["check", "--format", "json"], 0), (["graph"], 0), (["upgrade", "heads", "--sql"], 0),
    (["downgrade", "r001:base", "--sql"], 0),
  ]

  /// What the database holds: its tables and every row of the bookkeeping tables (SQLite: also
  /// whether the file exists and its bytes).
  static func snapshot(_ db: TestDatabase) throws -> [String] {
    var lines = [String]()
    if let path = db.path {
      let data = FileManager.default.contents(atPath: path)
      lines.append("file: \(data.map { "\($0.count) bytes, \($0.hashValue)" } ?? "none")")
    }
    let tables = try db.tables()
    lines += tables.map { "table \($0)" }
    for table in tables where table.hasPrefix("revgraph_version") {
      lines += try db.query("SELECT * FROM \(table) ORDER BY 1").map { "\(table): \($0)" }
    }
    return lines
  }

  static func project() throws -> NativeProject {
    try NativeProject(RunnerCLITests.linearRecords(3), name: "revgraph-readers")
  }

  @Test("read commands leave an empty database empty: no table, no file", arguments: TestDriver.allCases)
  func emptyDatabase(driver: TestDriver) throws {
    let project = try Self.project()
    defer { project.remove() }
    guard let db = try TestDatabase.make(driver, in: project.root) else { return }
    defer { db.remove() }
    for (arguments, _) in Self.readCommands {
      let (status, out, errors) = try CLITests.run(arguments, in: project.root, database: db.url)
      #expect(!errors.contains("Fatal error"), "\(arguments): \(errors)")
      if arguments == ["current"] {
        #expect(status == 0 && out.isEmpty && errors.contains("(at base)"), "\(errors)")
      }
      #expect(try db.tables() == [], "\(arguments) created a table")
      if let path = db.path { #expect(!FileManager.default.fileExists(atPath: path), "\(arguments) made \(path)") }
    }
  }

  @Test("read commands report the database and change nothing in it", arguments: TestDriver.allCases)
  func readers(driver: TestDriver) throws {
    let project = try Self.project()
    defer { project.remove() }
    guard let db = try TestDatabase.make(driver, in: project.root) else { return }
    defer { db.remove() }
    let (upgraded, _, upgradeErrors) = try CLITests.run(["upgrade", "r001"], in: project.root, database: db.url)
    try #require(upgraded == 0, "\(upgradeErrors)")
    let before = try Self.snapshot(db)
    var outputs = [String: String]()
    for (arguments, expected) in Self.readCommands {
      let (status, out, errors) = try CLITests.run(arguments, in: project.root, database: db.url)
      #expect(status == expected, "\(arguments): \(out) \(errors)")
      outputs[arguments.joined(separator: " ")] = out + errors
    }
    #expect(try Self.snapshot(db) == before)
    #expect(outputs["current"] == "r001\n")
    #expect(outputs["current --format json"]?.contains(#""version_table": ["r001"]"#) == true)
    #expect(outputs["history -i"]?.contains("r000 -> r001 (current), step 1") == true, "\(outputs["history -i"] ?? "")")
    #expect(outputs["show current"]?.contains("Rev: r001") == true)
    #expect(outputs["verify"]?.contains("verify ok: 2 verified, 0 changed, 0 missing") == true)
    #expect(outputs["current --check-heads"]?.contains("it is at r001; the heads are r002") == true)
    #expect(outputs["upgrade heads --sql"]?.contains("r001") == true)
    // graph draws the applied revisions (filled) and marks the current one.
    let graph = outputs["graph"] ?? ""
    #expect(graph.contains("\"r001\" [label=\"r001\\nstep 1\\n(current)\""), "\(graph)")
    #expect(!graph.contains("\"r002\" [label=\"r002\\nstep 2\\n(current)"), "\(graph)")

    // An applied revision edited: verify and check name it, still without writing.
    try project.write(
      RunnerCLITests.linearRecords(3)[0],
      body: ("CREATE TABLE \"t_r000\" (x INTEGER, y INTEGER);", "DROP TABLE \"t_r000\";"))
    let (verifyStatus, verifyOut, _) = try CLITests.run(["verify"], in: project.root, database: db.url)
    #expect(verifyStatus != 0 && verifyOut.contains("changed: r000"), "\(verifyOut)")
    let (checkStatus, checkOut, checkErrors) = try CLITests.run(
      ["check", "--format", "json"], in: project.root, database: db.url)
    #expect(checkStatus == 7 && checkOut.contains("changed-applied-revision"), "\(checkOut) \(checkErrors)")
    #expect(try Self.snapshot(db) == before)
  }

  static let password = "Pa55-w0rd-xyzzy"

  /// The server's URL with the password and `database`.
  static func urlWithPassword(database: String) throws -> String? {
    guard let server = TestDatabase.serverURL else { return nil }
    let url = TestDatabase.url(server, database: database)
    guard let at = url.range(of: "@") else { return nil }
    return url.replacingCharacters(in: at, with: ":\(password)@")
  }

  @Test("a password is never printed: every command, text and JSON, success and failure")
  func passwordNeverShown() throws {
    let project = try Self.project()
    defer { project.remove() }
    guard let db = try TestDatabase.make(.postgresql, in: project.root), let name = db.name,
      let good = try Self.urlWithPassword(database: name),
      let missing = try Self.urlWithPassword(database: "no_such_db_\(name)")
    else { return }
    defer { db.remove() }
    let refused = "postgresql://postgres:\(Self.password)@127.0.0.1:1/\(name)"
    let keyValue = "host=127.0.0.1 port=1 dbname=\(name) user=postgres password=\(Self.password)"
    let writes: [[String]] = [
      ["upgrade", "r001"], ["upgrade", "heads"], ["downgrade", "-1"], ["stamp", "r002"], ["stamp", "--purge", "r001"],
      ["downgrade", "base"], ["upgrade", "heads", "--format", "json"],
    ]
    for url in [good, missing, refused, keyValue] {
      for arguments in Self.readCommands.map(\.0) + writes {
        for way in ["environment", "--url"] {
          let (status, out, errors) =
            way == "--url"
            ? try CLITests.run(arguments + ["--url", url], in: project.root)
            : try CLITests.run(arguments, in: project.root, database: url)
          let context = "\(arguments) \(way) \(url.replacingOccurrences(of: Self.password, with: "<password>"))"
          #expect(!(out + errors).contains(Self.password), "\(context): \(out) \(errors)")
          #expect(!errors.contains("Fatal error"), "\(context): \(errors)")
          // An offline script with an explicit start never connects; check and graph are about
          // the files: they still run and say why they could not read the database.
          let connects = !arguments.contains("r001:base")
          let tolerant = arguments.first == "check" || arguments.first == "graph"
          if url != good && connects {
            #expect((status == 0) == tolerant, "\(context)")
            let said = out + errors
            if url == missing { #expect(said.contains("the server has no database"), "\(context): \(said)") }
            if url != missing { #expect(said.contains("cannot connect to database"), "\(context): \(said)") }
          }
          if arguments.first == "check" && url != good {
            #expect(out.contains("applied revisions were not compared with their files: "), "\(context): \(out)")
          }
        }
      }
    }
    // Nor in anything the runner stored.
    let stored = try db.query("SELECT * FROM revgraph_version_log") + db.query("SELECT * FROM revgraph_version")
    #expect(!stored.isEmpty)
    #expect(!stored.joined().contains(Self.password))
  }

  @Test("the createdb command an unknown database's message suggests makes it, and the run then works")
  func unknownDatabaseSuggestion() throws {
    let project = try Self.project()
    defer { project.remove() }
    guard let server = TestDatabase.serverURL else { return }
    let name = "revgraph_created_" + UUID().uuidString.prefix(8).lowercased()
    let url = TestDatabase.url(server, database: name)
    defer { _ = try? TestDatabase.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    let (status, _, errors) = try CLITests.run(["upgrade", "heads"], in: project.root, database: url)
    #expect(status != 0)
    let suggestion = try #require(
      errors.range(of: "create it (").map { errors[$0.upperBound...].prefix { $0 != ")" } }, "\(errors)")
    #expect(suggestion.hasPrefix("createdb ") && suggestion.hasSuffix(name), "\(suggestion)")
    // PostgreSQL's client programs: on PATH, or in the Debian directory.
    let path = ((15...17).map { "/usr/lib/postgresql/\($0)/bin" } + ["/usr/bin", "/bin"]).joined(separator: ":")
    let (created, createErrors) = try TestDatabase.run(
      "/usr/bin/env", ["PATH=\(path)", "/bin/sh", "-c", String(suggestion)])
    #expect(created == 0, "\(suggestion): \(createErrors)")
    let (rerun, _, rerunErrors) = try CLITests.run(["upgrade", "heads"], in: project.root, database: url)
    #expect(rerun == 0, "\(rerunErrors)")
    #expect(try TestDatabase.psql(url, "SELECT version_num FROM revgraph_version") == ["r002"])
  }

  @Test(
    "version_table_schema: both tables in that schema; a missing one is named with the fix",
    arguments: TestDriver.allCases)
  func versionTableSchema(driver: TestDriver) throws {
    let project = try Self.project()
    defer { project.remove() }
    guard let db = try TestDatabase.make(driver, in: project.root) else { return }
    defer { db.remove() }
    let config = project.root.appendingPathComponent("revgraph.toml")
    let plain = try String(contentsOf: config, encoding: .utf8)
    try (plain + "version_table_schema = \"ops\"\n").write(to: config, atomically: true, encoding: .utf8)
    let (status, _, errors) = try CLITests.run(["upgrade", "heads"], in: project.root, database: db.url)
    #expect(status != 0)
    switch driver {
    case .postgresql:
      // The fix the message names.
      let fix = try #require(
        errors.range(of: "create it (").map { errors[$0.upperBound...].prefix { $0 != ")" } }, "\(errors)")
      #expect(fix == "CREATE SCHEMA \"ops\";")
      #expect(try db.feed(String(fix)).status == 0)
      let (rerun, _, rerunErrors) = try CLITests.run(["upgrade", "heads"], in: project.root, database: db.url)
      #expect(rerun == 0, "\(rerunErrors)")
      #expect(try db.query("SELECT version_num FROM ops.revgraph_version") == ["r002"])
      #expect(try db.query("SELECT count(*) FROM ops.revgraph_version_log") == ["3"])
      #expect(try db.tables() == ["t_r000", "t_r001", "t_r002"])
      let (current, out, _) = try CLITests.run(["current"], in: project.root, database: db.url)
      #expect(current == 0 && out == "r002 (head)\n")
      #expect(try CLITests.run(["downgrade", "r000"], in: project.root, database: db.url).0 == 0)
      #expect(try db.query("SELECT version_num FROM ops.revgraph_version") == ["r000"])
      let (offline, script, _) = try CLITests.run(["upgrade", "heads", "--sql"], in: project.root, database: db.url)
      #expect(offline == 0 && script.contains("\"ops\".\"revgraph_version\""), "\(script)")
    case .sqlite:
      #expect(errors.contains("SQLite has no schemas") && errors.contains("remove version_table_schema"), "\(errors)")
      try plain.write(to: config, atomically: true, encoding: .utf8)
      let (rerun, _, rerunErrors) = try CLITests.run(["upgrade", "heads"], in: project.root, database: db.url)
      #expect(rerun == 0, "\(rerunErrors)")
    }
  }

  @Test("a read-only PostgreSQL database: reads work, writes are refused with the fix, and the fix works")
  func readOnlyDatabase() throws {
    let project = try Self.project()
    defer { project.remove() }
    guard let db = try TestDatabase.make(.postgresql, in: project.root), let name = db.name,
      let server = TestDatabase.serverURL
    else { return }
    defer { db.remove() }
    _ = try TestDatabase.psql(server, "ALTER DATABASE \(name) SET default_transaction_read_only = on")
    let (current, _, currentErrors) = try CLITests.run(["current"], in: project.root, database: db.url)
    #expect(current == 0 && currentErrors.contains("(at base)"), "\(currentErrors)")
    let (status, _, errors) = try CLITests.run(["upgrade", "heads"], in: project.root, database: db.url)
    #expect(status != 0)
    #expect(errors.contains("refuses writes") && errors.contains("read-only transaction"), "\(errors)")
    #expect(try db.tables() == [])
    let fix = try #require(
      errors.range(of: "as its owner: ").map { errors[$0.upperBound...].prefix { $0 != ")" } }, "\(errors)")
    #expect(fix == "ALTER DATABASE \"\(name)\" SET default_transaction_read_only = off")
    _ = try TestDatabase.psql(server, String(fix))
    let (rerun, _, rerunErrors) = try CLITests.run(["upgrade", "heads"], in: project.root, database: db.url)
    #expect(rerun == 0, "\(rerunErrors)")
  }

  /// Runs the binary as a user who is not the files' owner: `nobody` through runuser when
  /// this is root (root may write any file), else as this user.
  static func runUnprivileged(_ arguments: [String], in directory: URL) throws -> (Int32, String, String) {
    guard getuid() == 0 else { return try CLITests.run(arguments, in: directory) }
    // A copy `nobody` can run: the build directory may sit in a directory only root may enter.
    let copies = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-unprivileged-\(UUID())")
    try FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: copies) }
    let binary = copies.appendingPathComponent("revgraph")
    try FileManager.default.copyItem(at: RunnerCLITests.binary, to: binary)
    chmod(copies.path, 0o755)
    chmod(binary.path, 0o755)
    return try launch(
      URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", "nobody", "--", binary.path] + arguments, in: directory,
      environment: ProcessInfo.processInfo.environment)
  }

  /// Runs `executable` in `directory` with `environment`: its exit status, standard output
  /// and standard error.
  static func launch(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String])
    throws -> (Int32, String, String)
  {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readAllRetryingInterrupts()
    let stderr = err.fileHandleForReading.readAllRetryingInterrupts()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
  }

  @Test("a SQLite file or directory this user cannot write: its own error before anything runs")
  func readOnlySQLite() throws {
    let project = try Self.project()
    defer {
      chmod(project.root.path, 0o755)
      project.remove()
    }
    let (upgraded, _, upgradeErrors) = try CLITests.run(["upgrade", "r000"], in: project.root)
    try #require(upgraded == 0, "\(upgradeErrors)")
    let file = project.database.path
    let before = try Data(contentsOf: project.database)
    // The file read-only (and, as root, owned by another user than the one running).
    chmod(file, 0o444)
    let (status, out, errors) = try Self.runUnprivileged(["upgrade", "heads"], in: project.root)
    #expect(status != 0, "\(out)")
    #expect(errors.contains("database app.db is read-only: the file is read-only for this user"), "\(errors)")
    #expect(!errors.contains("statement"), "\(errors)")
    let (_, json, _) = try Self.runUnprivileged(["upgrade", "heads", "--format", "json"], in: project.root)
    #expect(json.contains(#""kind": "read-only""#), "\(json)")
    // The directory read-only: SQLite could not write its journal.
    chmod(file, 0o666)
    chmod(project.root.path, 0o555)
    let (dirStatus, _, dirErrors) = try Self.runUnprivileged(["upgrade", "heads"], in: project.root)
    #expect(dirStatus != 0)
    #expect(dirErrors.contains("its directory") && dirErrors.contains("is not writable"), "\(dirErrors)")
    chmod(project.root.path, 0o755)
    #expect(try Data(contentsOf: project.database) == before)
    // Reading still works, and once writable the upgrade goes on.
    let (current, currentOut, _) = try Self.runUnprivileged(["current"], in: project.root)
    #expect(current == 0 && currentOut.hasPrefix("r000"), "\(currentOut)")
    let (rerun, _, rerunErrors) = try CLITests.run(["upgrade", "heads"], in: project.root)
    #expect(rerun == 0, "\(rerunErrors)")
  }

  @Test(
    "rebase refused because the branch is applied: the downgrades it advises revert only that branch",
    arguments: TestDriver.allCases)
  func rebaseAdvice(driver: TestDriver) throws {
    let records = Fixture.records("p<base, a1<p, a2<a1, b1<p")
    let project = try NativeProject(records, name: "revgraph-rebase-advice")
    defer { project.remove() }
    guard let db = try TestDatabase.make(driver, in: project.root) else { return }
    defer { db.remove() }
    #expect(try CLITests.run(["upgrade", "heads"], in: project.root, database: db.url).0 == 0)
    let (status, _, errors) = try CLITests.run(["rebase", "a1", "--onto", "b1"], in: project.root, database: db.url)
    #expect(status != 0)
    // Every `revgraph downgrade …` the message names, run as written.
    let commands = errors.components(separatedBy: "`").filter { $0.hasPrefix("revgraph downgrade ") }
    #expect(commands == ["revgraph downgrade a2@-2"], "\(errors)")
    for command in commands {
      let arguments = command.split(separator: " ").dropFirst().map(String.init)
      let (ran, _, ranErrors) = try CLITests.run(arguments, in: project.root, database: db.url)
      #expect(ran == 0, "\(command): \(ranErrors)")
    }
    // Only the rebased branch was reverted: b1 is still applied.
    #expect(try db.tables().filter { $0.hasPrefix("t_") } == ["t_b1", "t_p"])
    #expect(try db.query("SELECT version_num FROM revgraph_version") == ["b1"])
    let (rebased, _, rebaseErrors) = try CLITests.run(
      ["rebase", "a1", "--onto", "b1"], in: project.root, database: db.url)
    #expect(rebased == 0, "\(rebaseErrors)")
    #expect(try CLITests.run(["upgrade", "heads"], in: project.root, database: db.url).0 == 0)
    #expect(try db.query("SELECT version_num FROM revgraph_version") == ["a2"])
  }

  /// Runs the binary in `directory` with `environment` added (and REVGRAPH_DATABASE as given
  /// there, or removed).
  static func run(_ arguments: [String], in directory: URL, environment extra: [String: String]) throws
    -> (Int32, String, String)
  {
    var environment = ProcessInfo.processInfo.environment
    environment["REVGRAPH_DATABASE"] = nil
    for (key, value) in extra { environment[key] = value }
    return try launch(RunnerCLITests.binary, arguments, in: directory, environment: environment)
  }

  @Test("libpq's conventions: PGHOST/PGPORT/PGUSER/PGDATABASE with an empty URL, and a PGSERVICEFILE service")
  func libpqConventions() throws {
    let project = try Self.project()
    defer { project.remove() }
    guard let db = try TestDatabase.make(.postgresql, in: project.root), let name = db.name,
      let server = TestDatabase.serverURL, let components = URLComponents(string: server),
      let host = components.host, let port = components.port
    else { return }
    defer { db.remove() }
    let variables = ["PGHOST": host, "PGPORT": String(port), "PGUSER": "postgres", "PGDATABASE": name]
    let (status, _, errors) = try Self.run(
      ["upgrade", "r001", "--url", "postgresql://"], in: project.root, environment: variables)
    #expect(status == 0, "\(errors)")
    #expect(try db.query("SELECT version_num FROM revgraph_version") == ["r001"])
    // A service file names the same database; the project names the service.
    let services = project.root.appendingPathComponent("pg_service.conf")
    try "[revgraph_test]\nhost=\(host)\nport=\(port)\nuser=postgres\ndbname=\(name)\n".write(
      to: services, atomically: true, encoding: .utf8)
    let config = project.root.appendingPathComponent("revgraph.toml")
    let plain = try String(contentsOf: config, encoding: .utf8)
    try plain.replacingOccurrences(of: "database = \"sqlite:///app.db\"", with: "database = \"service=revgraph_test\"")
      .write(to: config, atomically: true, encoding: .utf8)
    let (current, out, currentErrors) = try Self.run(
      ["current"], in: project.root, environment: ["PGSERVICEFILE": services.path])
    #expect(current == 0 && out == "r001\n", "\(out) \(currentErrors)")
    let (upgraded, _, upgradeErrors) = try Self.run(
      ["upgrade", "heads"], in: project.root, environment: ["PGSERVICEFILE": services.path])
    #expect(upgraded == 0, "\(upgradeErrors)")
    #expect(try db.query("SELECT version_num FROM revgraph_version") == ["r002"])
  }
}
