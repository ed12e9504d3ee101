import Foundation
import TestSupport
import Testing

@testable import Graph
@testable import Runner

/// The runner on real databases of both drivers, through the library.
@Suite struct MigrationRunnerTests {
  static func runner(
    _ project: NativeProject, _ db: TestDatabase, timeout: Duration = .seconds(5),
    commitInterval: Duration = .milliseconds(200)
  ) throws -> MigrationRunner {
    MigrationRunner(
      graph: try project.graph(), location: try DatabaseLocation(db.url, relativeTo: project.root.path),
      versionTable: "revgraph_version", lockTimeout: timeout, versionLocations: [project.versions.path],
      commitInterval: commitInterval)
  }

  /// Commit after every revision, and (practically) never before the end of the run.
  static let commitIntervals: [Duration] = [.zero, .seconds(3600)]

  /// Every driver with every commit interval.
  static let driversAndIntervals = TestDriver.allCases.flatMap { driver in commitIntervals.map { (driver, $0) } }

  /// The revisions whose `t_<id>` table exists, and the version table, read independently
  /// (through the driver's shell).
  static func state(_ db: TestDatabase) throws -> (applied: [String], rows: [String]) {
    let tables = try db.tables()
    let rows =
      tables.contains("revgraph_version")
      ? try db.query("SELECT version_num FROM revgraph_version ORDER BY version_num") : []
    return (NativeProject.revisions(fromTables: tables), rows)
  }

  /// Runs `body` with a new project for `records` and a new database of `driver`; skipped
  /// (with a notice) when the driver's server is not available.
  static func withProject(
    _ records: [RevisionRecord], _ driver: TestDriver, name: String = "revgraph-test",
    body: (RevisionRecord) -> (upgrade: String, downgrade: String?) = NativeProject.tableBody,
    _ test: (NativeProject, TestDatabase) throws -> Void
  ) throws {
    let project = try NativeProject(records, name: name, body: body)
    defer { project.remove() }
    guard let db = try TestDatabase.make(driver, in: project.root) else { return }
    defer { db.remove() }
    try test(project, db)
  }

  @Test(
    "upgrade heads, downgrade a branch, upgrade branch@head: tables and rows follow (D01, D07)",
    arguments: TestDriver.allCases)
  func branchedRoundTrip(driver: TestDriver) throws {
    try Self.withProject(Fixture.records(Fixture.branched), driver) {
      (project: NativeProject, db: TestDatabase) throws in
      let runner = try Self.runner(project, db)
      var events = [String]()
      let up = try runner.upgrade(to: "heads") { event in
        if case .didRun(let step) = event { events.append(step.revision ?? "") }
      }
      #expect(events == ["a", "b", "c2", "d2", "c1", "d1"])
      #expect(up.versionTable == ["d1", "d2"])
      #expect(try Self.state(db) == (["a", "b", "c1", "c2", "d1", "d2"], ["d1", "d2"]))
      let down = try runner.downgrade(to: "c1br@b")
      #expect(down.steps.map(\.revision) == ["d1", "c1"])
      #expect(try Self.state(db) == (["a", "b", "c2", "d2"], ["d2"]))
      _ = try runner.upgrade(to: "c1br@head")
      #expect(try Self.state(db) == (["a", "b", "c1", "c2", "d1", "d2"], ["d1", "d2"]))
      let again = try runner.upgrade(to: "heads")
      #expect(again.steps.isEmpty)
      // One log row per step, with the section's checksum.
      let log = try db.query("SELECT revision || ':' || direction FROM revgraph_version_log ORDER BY id")
      #expect(
        log == ["a", "b", "c2", "d2", "c1", "d1"].map { "\($0):upgrade" } + ["d1:downgrade", "c1:downgrade"]
          + ["c1:upgrade", "d1:upgrade"])
      let checksum = try db.query("SELECT checksum FROM revgraph_version_log WHERE revision = 'a'")
      let script = try RevisionScript.load(try project.graph().record(#require(project.graph().index(of: "a"))))
      #expect(checksum == [script.upgrade.checksum])
    }
  }

  @Test("relative targets count from the database's rows", arguments: TestDriver.allCases)
  func relativeFromDatabase(driver: TestDriver) throws {
    try Self.withProject(Fixture.records(Fixture.linear), driver) { (project: NativeProject, db: TestDatabase) throws in
      let runner = try Self.runner(project, db)
      _ = try runner.upgrade(to: "+2")
      #expect(try Self.state(db).rows == ["b"])
      _ = try runner.upgrade(to: "+2")
      #expect(try Self.state(db).rows == ["d"])
      _ = try runner.downgrade(to: "-3")
      #expect(try Self.state(db) == (["a"], ["a"]))
      _ = try runner.downgrade(to: "base")
      #expect(try Self.state(db) == ([], []))
    }
  }

  /// What each driver says of an INSERT into a missing table.
  static func missingTableMessage(_ driver: TestDriver, _ table: String) -> String {
    switch driver {
    case .sqlite: "no such table: \(table)"
    case .postgresql: "relation \"\(table)\" does not exist (SQLSTATE 42P01)"
    }
  }

  @Test(
    "a failing statement names file and line; the revision leaves nothing; earlier ones stay",
    arguments: driversAndIntervals)
  func failingStatement(driver: TestDriver, commitInterval: Duration) throws {
    let records = Fixture.records("a<base, b<a, c<b")
    let body: (RevisionRecord) -> (String, String?) = { record in
      record.id == "b"
        ? ("CREATE TABLE t_b (x INTEGER);\nINSERT INTO t_b VALUES (1);\n\nINSERT INTO missing_table VALUES (1);", nil)
        : NativeProject.tableBody(record)
    }
    try Self.withProject(records, driver, body: body) { (project: NativeProject, db: TestDatabase) throws in
      let runner = try Self.runner(project, db, commitInterval: commitInterval)
      do {
        _ = try runner.upgrade(to: "heads")
        Issue.record("the upgrade should fail")
      } catch let error as RunnerError {
        guard case .statementFailed(let revision, _, let location, let statement, let message, _) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(revision == "b")
        // Header (3 lines) + blank + marker = 5; the section starts on line 6; the bad statement is its 4th line.
        #expect(location == project.path("b").path + ":9")
        #expect(statement == "INSERT INTO missing_table VALUES (1);")
        #expect(message.contains(Self.missingTableMessage(driver, "missing_table")), "\(message)")
        #expect(error.description.contains(project.path("b").path + ":9"))
      }
      #expect(try Self.state(db) == (["a"], ["a"]))
    }
  }

  /// The log rows of one direction, in order.
  static func logged(_ db: TestDatabase, _ direction: String = "upgrade") throws -> [String] {
    try db.query("SELECT revision FROM revgraph_version_log WHERE direction = '\(direction)' ORDER BY id")
  }

  @Test(
    "revisions committed together: a failure keeps every revision before the failing one, and a rerun goes on",
    arguments: driversAndIntervals)
  func failureInsideACommitGroup(driver: TestDriver, commitInterval: Duration) throws {
    let records = Fixture.records("a<base, b<a, c<b, d<c, e<d, f<e")
    let broken: (RevisionRecord) -> (String, String?) = { record in
      record.id == "e"
        ? ("CREATE TABLE t_e (x INTEGER);\nINSERT INTO nowhere VALUES (1);", nil)
        : NativeProject.tableBody(record)
    }
    try Self.withProject(records, driver, body: broken) { (project: NativeProject, db: TestDatabase) throws in
      var reported = [String]()
      #expect(throws: RunnerError.self) {
        _ = try Self.runner(project, db, commitInterval: commitInterval).upgrade(to: "heads") { event in
          if case .didRun(let step) = event, let id = step.revision { reported.append(id) }
        }
      }
      // Everything reported as done is in the database, with its log row, and nothing of e.
      #expect(reported == ["a", "b", "c", "d"])
      #expect(try Self.state(db) == (["a", "b", "c", "d"], ["d"]))
      #expect(try Self.logged(db) == ["a", "b", "c", "d"])
      try project.write(records[4], body: NativeProject.tableBody(records[4]))
      let outcome = try Self.runner(project, db, commitInterval: commitInterval).upgrade(to: "heads")
      #expect(outcome.steps.compactMap(\.revision) == ["e", "f"])
      #expect(try Self.state(db) == (["a", "b", "c", "d", "e", "f"], ["f"]))
      #expect(try Self.logged(db) == ["a", "b", "c", "d", "e", "f"])
    }
  }

  @Test(
    "a revision that writes the version table itself stops the run; the revisions before it stay",
    arguments: TestDriver.allCases)
  func revisionTouchingTheVersionTable(driver: TestDriver) throws {
    let records = Fixture.records("a<base, b<a, c<b")
    let body: (RevisionRecord) -> (String, String?) = { record in
      record.id == "c"
        ? ("CREATE TABLE t_c (x INTEGER);\nDELETE FROM revgraph_version;", nil)
        : NativeProject.tableBody(record)
    }
    try Self.withProject(records, driver, body: body) { (project: NativeProject, db: TestDatabase) throws in
      #expect {
        _ = try Self.runner(project, db, commitInterval: .seconds(3600)).upgrade(to: "heads")
      } throws: { error in
        "\(error)".contains("the version table changed under the runner")
      }
      #expect(try Self.state(db) == (["a", "b"], ["b"]))
      #expect(try Self.logged(db) == ["a", "b"])
    }
  }

  @Test("log timestamps: UTC, ISO 8601 with milliseconds")
  func timestamps() {
    let formatter = MigrationRunner.timestampFormatter()
    #expect(formatter.string(from: Date(timeIntervalSince1970: 1_764_063_000.125)) == "2025-11-25T09:30:00.125Z")
  }

  /// Statements that make SQLite roll back the whole transaction, not just the statement.
  static let wholeTransactionRollbacks = [
    "CREATE TABLE t_e (x INTEGER PRIMARY KEY);\nINSERT INTO t_e VALUES (1);\nINSERT OR ROLLBACK INTO t_e VALUES (1);",
    """
    CREATE TABLE t_e (x INTEGER);
    CREATE TRIGGER no_twos BEFORE INSERT ON t_e WHEN NEW.x = 2 BEGIN SELECT RAISE(ROLLBACK, 'no twos'); END;
    INSERT INTO t_e VALUES (2);
    """,
  ]

  @Test(
    "SQLite rolling back the whole transaction still leaves the revisions before the failing one",
    arguments: wholeTransactionRollbacks)
  func wholeTransactionRollback(body: String) throws {
    let records = Fixture.records("a<base, b<a, c<b, d<c, e<d")
    let body: (RevisionRecord) -> (String, String?) = { record in
      record.id == "e" ? (body, nil) : NativeProject.tableBody(record)
    }
    try Self.withProject(records, .sqlite, body: body) { (project: NativeProject, db: TestDatabase) throws in
      _ = try Self.runner(project, db).upgrade(to: "a")
      var reported = [String]()
      #expect(throws: RunnerError.self) {
        _ = try Self.runner(project, db, commitInterval: .seconds(3600)).upgrade(to: "heads") { event in
          if case .didRun(let step) = event, let id = step.revision { reported.append(id) }
        }
      }
      #expect(reported == ["b", "c", "d"])
      #expect(try Self.state(db) == (["a", "b", "c", "d"], ["d"]))
      #expect(try Self.logged(db) == ["a", "b", "c", "d"])
    }
  }

  /// The runner's savepoint statements a revision may not use, on each driver.
  static let protectedSavepointCases = TestDriver.allCases.flatMap { driver in
    [
      "RELEASE revgraph_step;", "release savepoint \"revgraph_step\";", "ROLLBACK TO revgraph_step;",
      "ROLLBACK TRANSACTION TO SAVEPOINT revgraph_step;",
    ].map { (driver, $0) }
  }

  @Test("a revision may not release the runner's savepoint or roll back to it", arguments: protectedSavepointCases)
  func runnerSavepointIsProtected(driver: TestDriver, statement: String) throws {
    let records = Fixture.records("a<base, b<a, c<b")
    let body: (RevisionRecord) -> (String, String?) = { record in
      record.id == "c"
        ? ("CREATE TABLE t_c (x INTEGER);\n\(statement)\nINSERT INTO nowhere VALUES (1);", nil)
        : NativeProject.tableBody(record)
    }
    try Self.withProject(records, driver, body: body) { (project: NativeProject, db: TestDatabase) throws in
      #expect {
        _ = try Self.runner(project, db, commitInterval: .seconds(3600)).upgrade(to: "heads")
      } throws: { error in
        "\(error)".contains("is not allowed inside a revision") && "\(error)".contains(":7")
      }
      #expect(try Self.state(db) == (["a", "b"], ["b"]))
      #expect(try Self.logged(db) == ["a", "b"])
    }
  }

  @Test("a revision's own savepoints work inside the runner's", arguments: TestDriver.allCases)
  func ownSavepoints(driver: TestDriver) throws {
    let records = Fixture.records("a<base, b<a")
    let body: (RevisionRecord) -> (String, String?) = { record in
      record.id == "b"
        ? (
          "CREATE TABLE t_b (x INTEGER);\nSAVEPOINT mine;\nINSERT INTO t_b VALUES (1);\nROLLBACK TO mine;\nRELEASE mine;",
          nil
        )
        : NativeProject.tableBody(record)
    }
    try Self.withProject(records, driver, body: body) { (project: NativeProject, db: TestDatabase) throws in
      _ = try Self.runner(project, db, commitInterval: .seconds(3600)).upgrade(to: "heads")
      #expect(try Self.state(db) == (["a", "b"], ["b"]))
      #expect(try db.query("SELECT count(*) FROM t_b") == ["0"])
    }
  }

  @Test("transaction control inside a revision is refused before it runs", arguments: TestDriver.allCases)
  func refusesCommit(driver: TestDriver) throws {
    let body: (RevisionRecord) -> (String, String?) = { record in
      record.id == "b" ? ("CREATE TABLE t_b (x INTEGER);\nCOMMIT;", "DROP TABLE t_b;") : NativeProject.tableBody(record)
    }
    try Self.withProject(Fixture.records("a<base, b<a"), driver, body: body) {
      (project: NativeProject, db: TestDatabase) throws in
      #expect {
        _ = try Self.runner(project, db).upgrade(to: "heads")
      } throws: { error in
        "\(error)".contains("COMMIT is not allowed inside a revision") && "\(error)".contains(":7")
      }
      #expect(try Self.state(db) == (["a"], ["a"]))
    }
  }

  @Test(
    "transactional: false runs statements the database refuses inside a transaction", arguments: TestDriver.allCases)
  func nonTransactional(driver: TestDriver) throws {
    var records = Fixture.records("a<base, b<a")
    records[1].attributes["transactional"] = "false"
    let body: (RevisionRecord) -> (String, String?) = { record in
      record.id == "b" ? ("CREATE TABLE t_b (x INTEGER);\nVACUUM;", "DROP TABLE t_b;") : NativeProject.tableBody(record)
    }
    try Self.withProject(records, driver, body: body) { (project: NativeProject, db: TestDatabase) throws in
      var outside = [String]()
      _ = try Self.runner(project, db).upgrade(to: "heads") { event in
        if case .willRun(_, let revision, false) = event { outside.append(revision) }
      }
      #expect(outside == ["b"])
      #expect(try Self.state(db) == (["a", "b"], ["b"]))
      // The same statement inside a transaction fails with a hint.
      records[1].attributes["transactional"] = nil
      try project.write(records[1], body: ("VACUUM;", nil))
      _ = try Self.runner(project, db).stamp(["a"], purge: false)
      #expect {
        _ = try Self.runner(project, db).upgrade(to: "heads")
      } throws: { error in
        "\(error)".contains("transactional: false")
      }
    }
  }

  @Test("a missing downgrade section stops the run before anything is reverted", arguments: TestDriver.allCases)
  func missingDowngrade(driver: TestDriver) throws {
    let body: (RevisionRecord) -> (String, String?) = { record in
      record.id == "b" ? ("CREATE TABLE t_b (x INTEGER);", nil) : NativeProject.tableBody(record)
    }
    try Self.withProject(Fixture.records("a<base, b<a, c<b"), driver, body: body) {
      (project: NativeProject, db: TestDatabase) throws in
      let runner = try Self.runner(project, db)
      _ = try runner.upgrade(to: "heads")
      #expect(throws: RunnerError.missingDowngrade(revision: "b", path: project.path("b").path)) {
        _ = try runner.downgrade(to: "base")
      }
      #expect(try Self.state(db) == (["a", "b", "c"], ["c"]))
    }
  }

  @Test("bad databases: not SQLite, unknown rows, read-only commands never create the file")
  func badDatabases() throws {
    try Self.withProject(Fixture.records(Fixture.linear), .sqlite) {
      (project: NativeProject, db: TestDatabase) throws in
      let runner = try Self.runner(project, db)
      #expect(try runner.readRows() == nil)
      #expect(try runner.plan(.upgrade, target: "heads").steps.count == 5)
      #expect(try runner.verify().isClean)
      _ = try runner.downgrade(to: "base")
      #expect(!FileManager.default.fileExists(atPath: project.database.path))

      try Data("this is not a database, just text that is long enough to have a header".utf8).write(
        to: project.database)
      #expect(throws: RunnerError.notADatabase(path: project.database.path)) { _ = try runner.readRows() }
      #expect(throws: RunnerError.notADatabase(path: project.database.path)) { _ = try runner.upgrade(to: "heads") }
      try FileManager.default.removeItem(at: project.database)
    }
  }

  @Test(
    "version-table rows naming no revision stop upgrades; stamp --purge resets them", arguments: TestDriver.allCases)
  func unknownRows(driver: TestDriver) throws {
    try Self.withProject(Fixture.records(Fixture.linear), driver) { (project: NativeProject, db: TestDatabase) throws in
      let runner = try Self.runner(project, db)
      _ = try runner.upgrade(to: "c")
      _ = try db.query("INSERT INTO revgraph_version VALUES ('zzzz'), ('yyyy')")
      let unknown = RunnerError.unknownRows(
        table: "revgraph_version", rows: ["yyyy", "zzzz"].sortedLike(try runner.readRows() ?? []),
        versionLocations: [project.versions.path])
      #expect(throws: unknown) { _ = try runner.upgrade(to: "heads") }
      #expect(unknown.description.contains("zzzz") && unknown.description.contains("yyyy"))
      #expect(Set(try runner.verify().missing) == ["zzzz", "yyyy"])
      _ = try runner.stamp(["c"], purge: true)
      #expect(try Self.state(db) == (["a", "b", "c"], ["c"]))
    }
  }

  @Test("verify reports a revision edited after it was applied", arguments: TestDriver.allCases)
  func verifyEdited(driver: TestDriver) throws {
    let records = Fixture.records(Fixture.linear)
    try Self.withProject(records, driver) { (project: NativeProject, db: TestDatabase) throws in
      _ = try Self.runner(project, db).upgrade(to: "c")
      #expect(try Self.runner(project, db).verify().verified == 3)
      try project.write(records[1], body: ("CREATE TABLE t_b (x INTEGER, y TEXT);", "DROP TABLE t_b;"))
      // Editing a revision that is not applied is fine; editing an applied one is reported.
      try project.write(records[4], body: ("CREATE TABLE t_e (y TEXT);", nil))
      let report = try Self.runner(project, db).verify()
      #expect(report.changed.map(\.revision) == ["b"])
      #expect(!report.isClean)
      #expect(report.verified == 2)
    }
  }

  @Test(
    "a second runner waits for the first one's lock, says so once, then times out with a clear error",
    arguments: TestDriver.allCases)
  func lockTimeout(driver: TestDriver) throws {
    try Self.withProject(Fixture.records(Fixture.linear), driver) { (project: NativeProject, db: TestDatabase) throws in
      let location = try DatabaseLocation(db.url, relativeTo: project.root.path)
      let holder = try location.openSession(
        lockingFor: TableName("revgraph_version"), timeout: .seconds(1), waiting: { _ in })
      defer { holder.close() }
      let clock = ContinuousClock()
      let start = clock.now
      var waits = [String]()
      #expect {
        _ = try Self.runner(project, db, timeout: .milliseconds(300)).upgrade(to: "heads") { event in
          if case .waiting(let holder) = event { waits.append(holder) }
        }
      } throws: { error in
        (error as? RunnerError)?.kind == "locked" && "\(error)".contains("another revgraph")
      }
      #expect(clock.now - start >= .milliseconds(300))
      #expect(waits.count == 1)
      if driver == .postgresql { #expect(waits.first?.contains("revgraph") == true, "\(waits)") }
      #expect(try Self.state(db) == ([], []))
    }
  }
}

extension [String] {
  /// These strings in the order they have in `order` (the others after them, as they are).
  func sortedLike(_ order: [String]) -> [String] {
    sorted { (order.firstIndex(of: $0) ?? .max) < (order.firstIndex(of: $1) ?? .max) }
  }
}
