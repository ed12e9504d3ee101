import Foundation
import Project
import TestSupport
import Testing

@testable import Graph

/// The runner through the built binary: the tutorial flow, kill -9 and concurrent processes.
@Suite(.serialized) struct RunnerCLITests {
  static var binary: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("revgraph")
  }

  /// Starts revgraph in `directory` without waiting for it (`path`: a replacement PATH;
  /// `database`: the database, as REVGRAPH_DATABASE).
  static func start(_ arguments: [String], in directory: URL, path: String? = nil, database: String? = nil) throws
    -> (Process, Pipe, Pipe)
  {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    if path != nil || database != nil {
      var environment = ProcessInfo.processInfo.environment
      if let path { environment["PATH"] = path }
      if let database { environment["REVGRAPH_DATABASE"] = database }
      process.environment = environment
    }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    return (process, out, err)
  }

  /// Runs the sqlite3 shell on `database`, returning its output lines.
  static func query(_ database: URL, _ sql: String) throws -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [database.path, sql]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readAllRetryingInterrupts()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "sqlite3 \(sql)")
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  @Test("init, revision, upgrade, current, history -i, downgrade -1, verify through the binary")
  func tutorialFlow() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-flow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let (status, out, _) = try CLITests.run(["init", "migrations"], in: root)
    #expect(status == 0 && out.contains("Created revgraph.toml"))
    #expect(try CLITests.run(["init", "migrations"], in: root).0 != 0)
    let (s1, written, _) = try CLITests.run(["revision", "-m", "create users", "--rev-id", "a1"], in: root)
    #expect(s1 == 0 && written.hasSuffix("migrations/versions/a1_create_users.sql\n"))
    let file = root.appendingPathComponent("migrations/versions/a1_create_users.sql")
    var text = try String(contentsOf: file, encoding: .utf8)
    text = text.replacingOccurrences(
      of: "-- +upgrade\n", with: "-- +upgrade\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n")
    text = text.replacingOccurrences(of: "-- +downgrade\n", with: "-- +downgrade\nDROP TABLE users;\n")
    try text.write(to: file, atomically: true, encoding: .utf8)
    #expect(try CLITests.run(["revision", "-m", "second", "--rev-id", "b2"], in: root).0 == 0)
    let (s2, _, err2) = try CLITests.run(["revision", "-m", "x", "--head", "a1"], in: root)
    #expect(s2 == 1 && err2.contains("--splice"))
    #expect(try CLITests.run(["current"], in: root).1 == "")
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("app.db").path))
    let (s3, up, _) = try CLITests.run(["upgrade", "heads"], in: root)
    #expect(s3 == 0 && up.contains("Running upgrade  -> a1, create users") && up.contains("app.db is now at b2"))
    #expect(try CLITests.run(["current"], in: root).1 == "b2 (head)\n")
    #expect(
      try CLITests.run(["history", "-i"], in: root).1
        == "a1 -> b2 (head) (current), second\n<base> -> a1, create users\n")
    let (s4, down, _) = try CLITests.run(["downgrade", "-1", "--format", "json"], in: root)
    #expect(s4 == 0 && down.contains("\"version_table\": [\"a1\"]"))
    #expect(try CLITests.run(["verify"], in: root).0 == 0)
    // An empty FROM is an empty version table: the stamp inserts its row.
    let (s7, stampSQL, _) = try CLITests.run(["stamp", "--sql", ":a1"], in: root)
    #expect(s7 == 0 && stampSQL.contains("INSERT INTO \"revgraph_version\" (version_num) VALUES ('a1');"))
    try text.replacingOccurrences(of: "PRIMARY KEY", with: "PRIMARY KEY, name TEXT").write(
      to: file, atomically: true, encoding: .utf8)
    let (s5, report, _) = try CLITests.run(["verify"], in: root)
    #expect(s5 == 1 && report.contains("changed: a1"))
    let (s6, _, err6) = try CLITests.run(["upgrade", "heads", "--url", "sqlite:///other.db", "--plan"], in: root)
    #expect(s6 == 0 && err6.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("other.db").path))
  }

  /// Work enough per revision that kills land inside revisions, and a whole run spans several
  /// of the runner's commits (one per 200 ms): 20,000 rows into a new table.
  static func heavyBody(_ driver: TestDriver) -> (RevisionRecord) -> (upgrade: String, downgrade: String?) {
    { record in
      switch driver {
      case .sqlite:
        (
          """
          CREATE TABLE "t_\(record.id)" (x INTEGER, y TEXT);
          WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
          INSERT INTO "t_\(record.id)" SELECT i, hex(randomblob(16)) FROM n;
          """,
          "DROP TABLE \"t_\(record.id)\";"
        )
      case .postgresql:
        (
          """
          CREATE TABLE "t_\(record.id)" (x INTEGER, y TEXT);
          INSERT INTO "t_\(record.id)" SELECT i, md5(random()::text) FROM generate_series(1, 20000) AS i;
          """,
          "DROP TABLE \"t_\(record.id)\";"
        )
      }
    }
  }

  /// A linear history of `count` revisions `r000`, `r001`, ….
  static func linearRecords(_ count: Int) -> [RevisionRecord] {
    (0..<count).map { i in
      RevisionRecord(
        id: String(format: "r%03d", i), downRevisions: i == 0 ? [] : [String(format: "r%03d", i - 1)], branchLabels: [],
        dependsOn: [], message: "step \(i)", path: "")
    }
  }

  /// Checks that a linear history's database is at a revision boundary: its one row is the
  /// last revision whose table exists, every table before it exists, the last one is complete,
  /// and `revgraph current` agrees. Returns the number of revisions applied.
  static func checkBoundary(
    _ project: NativeProject, _ db: TestDatabase, _ records: [RevisionRecord], _ context: String
  ) throws -> Int {
    let (currentStatus, current, currentErrors) = try CLITests.run(["current"], in: project.root, database: db.url)
    #expect(currentStatus == 0, "\(context): \(currentErrors)")
    let tables = try db.tables()
    let applied = NativeProject.revisions(fromTables: tables)
    // Stopped before the first commit: the version table may be missing.
    let rows = tables.contains("revgraph_version") ? try db.query("SELECT version_num FROM revgraph_version") : []
    // A linear history: the row is the last applied revision, and every table is complete.
    #expect(rows == (applied.last.map { [$0] } ?? []), "\(context)")
    #expect(current.split(separator: "\n").map { String($0.prefix { $0 != " " }) } == rows, "\(context)")
    #expect(applied == Array(records.prefix(applied.count).map(\.id)), "\(context)")
    if let last = applied.last {
      #expect(try db.query("SELECT count(*) FROM \"t_\(last)\"") == ["20000"], "\(context)")
    }
    return applied.count
  }

  /// After faults: a rerun finishes, and every revision ran exactly once.
  static func checkFinished(_ project: NativeProject, _ db: TestDatabase, count: Int) throws {
    let (status, _, errors) = try CLITests.run(["upgrade", "heads"], in: project.root, database: db.url)
    #expect(status == 0, "\(errors)")
    #expect(try db.query("SELECT version_num FROM revgraph_version") == ["r\(count - 1)"])
    let logged = try db.query(
      "SELECT count(*), count(DISTINCT revision) FROM revgraph_version_log WHERE direction = 'upgrade'")
    #expect(logged == ["\(count)|\(count)"])
  }

  /// A long upgrade killed with SIGKILL at random moments: the database always opens at a
  /// revision boundary that matches its tables, and a rerun finishes the job.
  @Test(arguments: TestDriver.allCases)
  func killedMidUpgrade(driver: TestDriver) throws {
    let count = 200
    let records = Self.linearRecords(count)
    let project = try NativeProject(records, name: "revgraph-crash", body: Self.heavyBody(driver))
    defer { project.remove() }
    guard let db = try TestDatabase.make(driver, in: project.root) else { return }
    defer { db.remove() }
    var rng = SplitMix64(seed: 42)
    var kills = 0
    var partial = 0
    // The kill delay adapts to the machine: it doubles while kills land before any commit.
    var delay: UInt32 = 10_000
    var lastApplied = 0
    for round in 0..<30 where lastApplied < count {
      let (process, _, _) = try Self.start(["upgrade", "heads"], in: project.root, database: db.url)
      usleep(UInt32.random(in: delay / 2...delay, using: &rng))
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        kills += 1
      }
      process.waitUntilExit()
      try db.waitForClientSessions()
      if driver == .sqlite && !FileManager.default.fileExists(atPath: project.database.path) {
        delay *= 2
        continue
      }
      let applied = try Self.checkBoundary(project, db, records, "round \(round)")
      if applied > 0 && applied < count { partial += 1 }
      if applied == lastApplied { delay = min(delay * 2, 2_000_000) }
      lastApplied = applied
    }
    #expect(kills > 0 && partial > 0, "kills \(kills), stopped part-way \(partial)")
    try Self.checkFinished(project, db, count: count)
  }

  /// Three processes upgrade one database at once: every revision runs exactly once.
  @Test(arguments: TestDriver.allCases)
  func concurrentUpgrades(driver: TestDriver) throws {
    var rng = SplitMix64(seed: 7)
    let records = RandomGraph.records(size: 60, rng: &rng)
    let project = try NativeProject(records, name: "revgraph-concurrent")
    defer { project.remove() }
    guard let db = try TestDatabase.make(driver, in: project.root) else { return }
    defer { db.remove() }
    let processes = try (0..<3).map { _ in
      try Self.start(["upgrade", "heads", "--format", "json"], in: project.root, database: db.url)
    }
    var applied = 0
    for (process, out, err) in processes {
      let output = String(decoding: out.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
      let errors = String(decoding: err.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "\(errors)")
      applied += output.components(separatedBy: "\"direction\": \"upgrade\", \"revision\"").count - 1
    }
    let graph = try project.graph()
    #expect(applied == graph.count)
    let logged = try db.query(
      "SELECT count(*), count(DISTINCT revision) FROM revgraph_version_log WHERE direction = 'upgrade'")
    #expect(logged == ["\(graph.count)|\(graph.count)"])
    let rows = try db.query("SELECT version_num FROM revgraph_version ORDER BY version_num")
    #expect(rows == (try graph.upgradePlan(to: "heads", from: []).finalVersionTable))
  }
}
