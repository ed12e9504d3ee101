import Foundation
import TestSupport
import Testing

@testable import Graph
@testable import Runner

/// The runner on real database files, through the library.
@Suite struct MigrationRunnerTests {
  static func runner(
    _ project: NativeProject, timeout: Duration = .seconds(5), commitInterval: Duration = .milliseconds(200)
  ) throws -> MigrationRunner {
    MigrationRunner(
      graph: try project.graph(), location: try DatabaseLocation("app.db", relativeTo: project.root.path),
      versionTable: "revgraph_version", lockTimeout: timeout, versionLocations: [project.versions.path],
      commitInterval: commitInterval)
  }

  /// Commit after every revision, and (practically) never before the end of the run.
  static let commitIntervals: [Duration] = [.zero, .seconds(3600)]

  /// The revisions whose `t_<id>` table exists, and the version table, read independently.
  static func state(_ project: NativeProject) throws -> (applied: [String], rows: [String]) {
    guard FileManager.default.fileExists(atPath: project.database.path) else { return ([], []) }
    let db = try SQLiteConnection(path: project.database.path, mode: .readOnly)
    let tables = try db.column("SELECT name FROM sqlite_schema WHERE type = 'table'")
    let rows = try Bookkeeping(versionTable: "revgraph_version").rows(in: db).sorted()
    return (NativeProject.revisions(fromTables: tables), rows)
  }

  @Test("upgrade heads, downgrade a branch, upgrade branch@head: tables and rows follow (D01, D07)")
  func branchedRoundTrip() throws {
    let project = try NativeProject(Fixture.records(Fixture.branched))
    defer { project.remove() }
    let runner = try Self.runner(project)
    var events = [String]()
    let up = try runner.upgrade(to: "heads") { event in
      if case .didRun(let step) = event { events.append(step.revision ?? "") }
    }
    #expect(events == ["a", "b", "c2", "d2", "c1", "d1"])
    #expect(up.versionTable == ["d1", "d2"])
    #expect(try Self.state(project) == (["a", "b", "c1", "c2", "d1", "d2"], ["d1", "d2"]))
    let down = try runner.downgrade(to: "c1br@b")
    #expect(down.steps.map(\.revision) == ["d1", "c1"])
    #expect(try Self.state(project) == (["a", "b", "c2", "d2"], ["d2"]))
    _ = try runner.upgrade(to: "c1br@head")
    #expect(try Self.state(project) == (["a", "b", "c1", "c2", "d1", "d2"], ["d1", "d2"]))
    let again = try runner.upgrade(to: "heads")
    #expect(again.steps.isEmpty)
    // One log row per step, with the section's checksum.
    let db = try SQLiteConnection(path: project.database.path, mode: .readOnly)
    let log = try db.column("SELECT revision || ':' || direction FROM revgraph_version_log ORDER BY id")
    #expect(
      log == ["a", "b", "c2", "d2", "c1", "d1"].map { "\($0):upgrade" } + ["d1:downgrade", "c1:downgrade"]
        + ["c1:upgrade", "d1:upgrade"])
    let checksum = try db.column("SELECT checksum FROM revgraph_version_log WHERE revision = 'a'")
    let script = try RevisionScript.load(try project.graph().record(#require(project.graph().index(of: "a"))))
    #expect(checksum == [script.upgrade.checksum])
  }

  @Test("relative targets count from the database's rows")
  func relativeFromDatabase() throws {
    let project = try NativeProject(Fixture.records(Fixture.linear))
    defer { project.remove() }
    let runner = try Self.runner(project)
    _ = try runner.upgrade(to: "+2")
    #expect(try Self.state(project).rows == ["b"])
    _ = try runner.upgrade(to: "+2")
    #expect(try Self.state(project).rows == ["d"])
    _ = try runner.downgrade(to: "-3")
    #expect(try Self.state(project) == (["a"], ["a"]))
    _ = try runner.downgrade(to: "base")
    #expect(try Self.state(project) == ([], []))
  }

  @Test(
    "a failing statement names file and line; the revision leaves nothing; earlier ones stay",
    arguments: commitIntervals)
  func failingStatement(commitInterval: Duration) throws {
    let records = Fixture.records("a<base, b<a, c<b")
    let project = try NativeProject(records) { record in
      record.id == "b"
        ? ("CREATE TABLE t_b (x INTEGER);\nINSERT INTO t_b VALUES (1);\n\nINSERT INTO missing_table VALUES (1);", nil)
        : NativeProject.tableBody(record)
    }
    defer { project.remove() }
    let runner = try Self.runner(project, commitInterval: commitInterval)
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
      #expect(message.contains("no such table: missing_table"))
      #expect(error.description.contains(project.path("b").path + ":9"))
    }
    #expect(try Self.state(project) == (["a"], ["a"]))
  }

  /// The log rows of one direction, in order.
  static func logged(_ project: NativeProject, _ direction: String = "upgrade") throws -> [String] {
    let db = try SQLiteConnection(path: project.database.path, mode: .readOnly)
    return try db.column(
      "SELECT revision FROM revgraph_version_log WHERE direction = ? ORDER BY id", [.text(direction)])
  }

  @Test(
    "revisions committed together: a failure keeps every revision before the failing one, and a rerun goes on",
    arguments: commitIntervals)
  func failureInsideACommitGroup(commitInterval: Duration) throws {
    let records = Fixture.records("a<base, b<a, c<b, d<c, e<d, f<e")
    let broken: (RevisionRecord) -> (String, String?) = { record in
      record.id == "e"
        ? ("CREATE TABLE t_e (x INTEGER);\nINSERT INTO nowhere VALUES (1);", nil)
        : NativeProject.tableBody(record)
    }
    let project = try NativeProject(records, body: broken)
    defer { project.remove() }
    var reported = [String]()
    #expect(throws: RunnerError.self) {
      _ = try Self.runner(project, commitInterval: commitInterval).upgrade(to: "heads") { event in
        if case .didRun(let step) = event, let id = step.revision { reported.append(id) }
      }
    }
    // Everything reported as done is in the database, with its log row, and nothing of e.
    #expect(reported == ["a", "b", "c", "d"])
    #expect(try Self.state(project) == (["a", "b", "c", "d"], ["d"]))
    #expect(try Self.logged(project) == ["a", "b", "c", "d"])
    try project.write(records[4], body: NativeProject.tableBody(records[4]))
    let outcome = try Self.runner(project, commitInterval: commitInterval).upgrade(to: "heads")
    #expect(outcome.steps.compactMap(\.revision) == ["e", "f"])
    #expect(try Self.state(project) == (["a", "b", "c", "d", "e", "f"], ["f"]))
    #expect(try Self.logged(project) == ["a", "b", "c", "d", "e", "f"])
  }

  @Test("a revision that writes the version table itself stops the run; the revisions before it stay")
  func revisionTouchingTheVersionTable() throws {
    let records = Fixture.records("a<base, b<a, c<b")
    let project = try NativeProject(records) { record in
      record.id == "c"
        ? ("CREATE TABLE t_c (x INTEGER);\nDELETE FROM revgraph_version;", nil)
        : NativeProject.tableBody(record)
    }
    defer { project.remove() }
    #expect {
      _ = try Self.runner(project, commitInterval: .seconds(3600)).upgrade(to: "heads")
    } throws: { error in
      "\(error)".contains("the version table changed under the runner")
    }
    #expect(try Self.state(project) == (["a", "b"], ["b"]))
    #expect(try Self.logged(project) == ["a", "b"])
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
    let project = try NativeProject(records) { record in
      record.id == "e" ? (body, nil) : NativeProject.tableBody(record)
    }
    defer { project.remove() }
    _ = try Self.runner(project).upgrade(to: "a")
    var reported = [String]()
    #expect(throws: RunnerError.self) {
      _ = try Self.runner(project, commitInterval: .seconds(3600)).upgrade(to: "heads") { event in
        if case .didRun(let step) = event, let id = step.revision { reported.append(id) }
      }
    }
    #expect(reported == ["b", "c", "d"])
    #expect(try Self.state(project) == (["a", "b", "c", "d"], ["d"]))
    #expect(try Self.logged(project) == ["a", "b", "c", "d"])
  }

  @Test(
    "a revision may not release the runner's savepoint or roll back to it",
    arguments: [
      "RELEASE revgraph_step;", "release savepoint \"revgraph_step\";", "ROLLBACK TO revgraph_step;",
      "ROLLBACK TRANSACTION TO SAVEPOINT revgraph_step;",
    ])
  func runnerSavepointIsProtected(statement: String) throws {
    let records = Fixture.records("a<base, b<a, c<b")
    let project = try NativeProject(records) { record in
      record.id == "c"
        ? ("CREATE TABLE t_c (x INTEGER);\n\(statement)\nINSERT INTO nowhere VALUES (1);", nil)
        : NativeProject.tableBody(record)
    }
    defer { project.remove() }
    #expect {
      _ = try Self.runner(project, commitInterval: .seconds(3600)).upgrade(to: "heads")
    } throws: { error in
      "\(error)".contains("is not allowed inside a revision") && "\(error)".contains(":7")
    }
    #expect(try Self.state(project) == (["a", "b"], ["b"]))
    #expect(try Self.logged(project) == ["a", "b"])
  }

  @Test("a revision's own savepoints work inside the runner's")
  func ownSavepoints() throws {
    let records = Fixture.records("a<base, b<a")
    let project = try NativeProject(records) { record in
      record.id == "b"
        ? (
          "CREATE TABLE t_b (x INTEGER);\nSAVEPOINT mine;\nINSERT INTO t_b VALUES (1);\nROLLBACK TO mine;\nRELEASE mine;",
          nil
        )
        : NativeProject.tableBody(record)
    }
    defer { project.remove() }
    _ = try Self.runner(project, commitInterval: .seconds(3600)).upgrade(to: "heads")
    #expect(try Self.state(project) == (["a", "b"], ["b"]))
    let db = try SQLiteConnection(path: project.database.path, mode: .readOnly)
    #expect(try db.scalarInt("SELECT count(*) FROM t_b") == 0)
  }

  @Test("transaction control inside a revision is refused before it runs")
  func refusesCommit() throws {
    let project = try NativeProject(Fixture.records("a<base, b<a")) { record in
      record.id == "b" ? ("CREATE TABLE t_b (x INTEGER);\nCOMMIT;", "DROP TABLE t_b;") : NativeProject.tableBody(record)
    }
    defer { project.remove() }
    #expect {
      _ = try Self.runner(project).upgrade(to: "heads")
    } throws: { error in
      "\(error)".contains("COMMIT is not allowed inside a revision") && "\(error)".contains(":7")
    }
    #expect(try Self.state(project) == (["a"], ["a"]))
  }

  @Test("transactional: false runs statements SQLite refuses inside a transaction")
  func nonTransactional() throws {
    var records = Fixture.records("a<base, b<a")
    records[1].attributes["transactional"] = "false"
    let project = try NativeProject(records) { record in
      record.id == "b" ? ("CREATE TABLE t_b (x INTEGER);\nVACUUM;", "DROP TABLE t_b;") : NativeProject.tableBody(record)
    }
    defer { project.remove() }
    var outside = [String]()
    _ = try Self.runner(project).upgrade(to: "heads") { event in
      if case .willRun(_, let revision, false) = event { outside.append(revision) }
    }
    #expect(outside == ["b"])
    #expect(try Self.state(project) == (["a", "b"], ["b"]))
    // The same statement inside a transaction fails with a hint.
    records[1].attributes["transactional"] = nil
    try project.write(records[1], body: ("VACUUM;", nil))
    _ = try Self.runner(project).stamp(["a"], purge: false)
    #expect {
      _ = try Self.runner(project).upgrade(to: "heads")
    } throws: { error in
      "\(error)".contains("transactional: false")
    }
  }

  @Test("a missing downgrade section stops the run before anything is reverted")
  func missingDowngrade() throws {
    let project = try NativeProject(Fixture.records("a<base, b<a, c<b")) { record in
      record.id == "b" ? ("CREATE TABLE t_b (x INTEGER);", nil) : NativeProject.tableBody(record)
    }
    defer { project.remove() }
    let runner = try Self.runner(project)
    _ = try runner.upgrade(to: "heads")
    #expect(throws: RunnerError.missingDowngrade(revision: "b", path: project.path("b").path)) {
      _ = try runner.downgrade(to: "base")
    }
    #expect(try Self.state(project) == (["a", "b", "c"], ["c"]))
  }

  @Test("bad databases: not SQLite, unknown rows, read-only commands never create the file")
  func badDatabases() throws {
    let project = try NativeProject(Fixture.records(Fixture.linear))
    defer { project.remove() }
    let runner = try Self.runner(project)
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
    _ = try runner.upgrade(to: "c")
    let db = try SQLiteConnection(path: project.database.path, mode: .readWriteCreate)
    try db.execute("INSERT INTO revgraph_version VALUES ('zzzz'), ('yyyy')")
    let unknown = RunnerError.unknownRows(
      table: "revgraph_version", rows: ["zzzz", "yyyy"], versionLocations: [project.versions.path])
    #expect(throws: unknown) { _ = try runner.upgrade(to: "heads") }
    #expect(unknown.description.contains("zzzz, yyyy"))
    #expect(try runner.verify().missing == ["zzzz", "yyyy"])
    _ = try runner.stamp(["c"], purge: true)
    #expect(try Self.state(project) == (["a", "b", "c"], ["c"]))
  }

  @Test("verify reports a revision edited after it was applied")
  func verifyEdited() throws {
    let records = Fixture.records(Fixture.linear)
    let project = try NativeProject(records)
    defer { project.remove() }
    _ = try Self.runner(project).upgrade(to: "c")
    #expect(try Self.runner(project).verify().verified == 3)
    try project.write(records[1], body: ("CREATE TABLE t_b (x INTEGER, y TEXT);", "DROP TABLE t_b;"))
    // Editing a revision that is not applied is fine; editing an applied one is reported.
    try project.write(records[4], body: ("CREATE TABLE t_e (y TEXT);", nil))
    let report = try Self.runner(project).verify()
    #expect(report.changed.map(\.revision) == ["b"])
    #expect(!report.isClean)
    #expect(report.verified == 2)
  }

  @Test("a second runner waits for the first one's lock, then times out with a clear error")
  func lockTimeout() throws {
    let project = try NativeProject(Fixture.records(Fixture.linear))
    defer { project.remove() }
    let location = try DatabaseLocation("app.db", relativeTo: project.root.path)
    let holder = try location.openSession(timeout: .seconds(1)) { _ in }
    let clock = ContinuousClock()
    let start = clock.now
    #expect {
      _ = try Self.runner(project, timeout: .milliseconds(300)).upgrade(to: "heads")
    } throws: { error in
      (error as? RunnerError)?.kind == "locked" && "\(error)".contains("another revgraph process")
    }
    #expect(clock.now - start >= .milliseconds(300))
    _ = holder
  }
}
