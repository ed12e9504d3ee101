import Foundation
import TestSupport
import Testing

@testable import Graph
@testable import Runner

/// What only PostgreSQL has: statements it refuses inside a transaction, routine bodies and
/// `DO` blocks in dollar quotes, and server error positions turned into file lines. (The
/// suites over both drivers are MigrationRunnerTests and RunnerPropertyTests.)
@Suite struct PostgreSQLRunnerTests {
  typealias Body = (RevisionRecord) -> (upgrade: String, downgrade: String?)

  /// The index `name`: absent, or whether it is valid (a failed CONCURRENTLY build leaves an
  /// invalid one behind).
  static func index(_ db: TestDatabase, _ name: String) throws -> Bool? {
    let rows = try db.query(
      "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = '\(name)'")
    return rows.first.map { $0 == "t" }
  }

  /// `b` builds an index on `t_a` concurrently (and drops it the same way).
  static func concurrently(_ record: RevisionRecord) -> (upgrade: String, downgrade: String?) {
    record.id == "b"
      ? (
        "CREATE INDEX CONCURRENTLY t_a_x ON t_a (x);\nCREATE TABLE t_b (x INTEGER);",
        "DROP TABLE t_b;\nDROP INDEX CONCURRENTLY t_a_x;"
      )
      : NativeProject.tableBody(record)
  }

  @Test("CREATE INDEX CONCURRENTLY runs in a transactional: false revision, up and down")
  func createIndexConcurrently() throws {
    var records = Fixture.records("a<base, b<a, c<b")
    records[1].attributes["transactional"] = "false"
    try MigrationRunnerTests.withProject(records, .postgresql, body: Self.concurrently) {
      (project: NativeProject, db: TestDatabase) throws in
      let runner = try MigrationRunnerTests.runner(project, db)
      var outside = [String]()
      _ = try runner.upgrade(to: "heads") { event in
        if case .willRun(_, let revision, false) = event { outside.append(revision) }
      }
      #expect(outside == ["b"])
      #expect(try MigrationRunnerTests.state(db) == (["a", "b", "c"], ["c"]))
      #expect(try Self.index(db, "t_a_x") == true)
      let logged = try db.query(
        "SELECT revision, transactional FROM revgraph_version_log WHERE direction = 'upgrade' ORDER BY revision")
      #expect(logged == ["a|1", "b|0", "c|1"])
      _ = try runner.downgrade(to: "a")
      #expect(try MigrationRunnerTests.state(db) == (["a"], ["a"]))
      #expect(try Self.index(db, "t_a_x") == nil)
    }
  }

  @Test("CREATE INDEX CONCURRENTLY inside a transaction: refused by the server, nothing kept, the fix named")
  func concurrentlyInTransaction() throws {
    let records = Fixture.records("a<base, b<a")
    try MigrationRunnerTests.withProject(records, .postgresql, body: Self.concurrently) {
      (project: NativeProject, db: TestDatabase) throws in
      let runner = try MigrationRunnerTests.runner(project, db)
      #expect {
        _ = try runner.upgrade(to: "heads")
      } throws: { error in
        let text = "\(error)"
        return text.contains("CREATE INDEX CONCURRENTLY cannot run inside a transaction block")
          && text.contains("SQLSTATE 25001") && text.contains("set '-- transactional: false' in the header")
          && text.contains(project.path("b").path + ":6")
      }
      #expect(try MigrationRunnerTests.state(db) == (["a"], ["a"]))
      #expect(try Self.index(db, "t_a_x") == nil)
      // The fix the message names works.
      var fixed = records
      fixed[1].attributes["transactional"] = "false"
      try project.write(fixed[1], body: Self.concurrently(fixed[1]))
      _ = try MigrationRunnerTests.runner(project, db).upgrade(to: "heads")
      #expect(try MigrationRunnerTests.state(db) == (["a", "b"], ["b"]))
      #expect(try Self.index(db, "t_a_x") == true)
    }
  }

  @Test(
    "a transactional: false revision failing part-way: what ran stays, the version table says so, a rerun after repair finishes"
  )
  func nonTransactionalFailure() throws {
    var records = Fixture.records("a<base, b<a")
    records[1].attributes["transactional"] = "false"
    let broken: Body = { record in
      record.id == "b"
        ? (
          "CREATE INDEX CONCURRENTLY t_a_x ON t_a (x);\nCREATE TABLE t_b (x INTEGER);\nSELECT no_such_function();", nil
        )
        : NativeProject.tableBody(record)
    }
    try MigrationRunnerTests.withProject(records, .postgresql, body: broken) {
      (project: NativeProject, db: TestDatabase) throws in
      do {
        _ = try MigrationRunnerTests.runner(project, db).upgrade(to: "heads")
        Issue.record("the upgrade should fail")
      } catch let error as RunnerError {
        let text = "\(error)"
        guard case .statementFailed(let revision, _, let location, let statement, _, let note) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(revision == "b")
        // Header: revision, down_revision, transactional, message; blank; marker: the body starts on line 7.
        #expect(location == project.path("b").path + ":9")
        #expect(statement == "SELECT no_such_function();")
        #expect(text.contains("SQLSTATE 42883"), "\(text)")
        #expect(note?.contains("the statements before this one were kept") == true, "\(text)")
      }
      // Honest: the statements before the failing one stayed; the version table is still at a.
      #expect(try db.query("SELECT version_num FROM revgraph_version") == ["a"])
      #expect(try db.hasTable("t_b"))
      #expect(try Self.index(db, "t_a_x") == true)
      // "Repair by hand, then rerun."
      #expect(try db.feed("DROP TABLE t_b;\nDROP INDEX t_a_x;").status == 0)
      try project.write(records[1], body: Self.concurrently(records[1]))
      _ = try MigrationRunnerTests.runner(project, db).upgrade(to: "heads")
      #expect(try MigrationRunnerTests.state(db) == (["a", "b"], ["b"]))
    }
  }

  @Test("routine bodies and DO blocks in dollar quotes, E'' strings and nested comments run as written")
  func dollarQuotedBodies() throws {
    let records = Fixture.records("a<base, b<a")
    let body: Body = { record in
      guard record.id == "b" else { return NativeProject.tableBody(record) }
      return (
        """
        /* a comment /* nested; */ still the comment; */
        CREATE TABLE t_b (x INTEGER, note TEXT);
        CREATE FUNCTION t_b_double(v INTEGER) RETURNS INTEGER LANGUAGE plpgsql AS $$
        BEGIN
          RETURN v * 2; -- a semicolon; inside
        END;
        $$;
        CREATE FUNCTION t_b_note() RETURNS TEXT LANGUAGE sql AS $fn$ SELECT 'a;b' || $q$;$q$ $fn$;
        DO $do$
        BEGIN
          INSERT INTO t_b VALUES (t_b_double(21), E'it\\'s; fine');
        END
        $do$;
        INSERT INTO t_b VALUES (1, t_b_note());
        """,
        "DROP FUNCTION t_b_note();\nDROP FUNCTION t_b_double(INTEGER);\nDROP TABLE t_b;"
      )
    }
    try MigrationRunnerTests.withProject(records, .postgresql, body: body) {
      (project: NativeProject, db: TestDatabase) throws in
      let results = try MigrationRunnerTests.runner(project, db).upgrade(to: "heads")
      #expect(results.steps.last?.statements == 5, "\(results)")
      #expect(try db.query("SELECT x, note FROM t_b ORDER BY x") == ["1|a;b;", "42|it's; fine"])
      _ = try MigrationRunnerTests.runner(project, db).downgrade(to: "a")
      #expect(try MigrationRunnerTests.state(db) == (["a"], ["a"]))
      #expect(try db.query("SELECT count(*) FROM pg_proc WHERE proname IN ('t_b_double', 't_b_note')") == ["0"])
    }
  }

  @Test("a syntax error deep in a long statement names the line the server points at")
  func errorPosition() throws {
    let records = Fixture.records("a<base")
    let body: Body = { _ in
      ("CREATE TABLE t_a (\n  x INTEGER,\n  y INTEGER,\n  z INTEGR NOT NULL\n);", nil)
    }
    try MigrationRunnerTests.withProject(records, .postgresql, body: body) {
      (project: NativeProject, db: TestDatabase) throws in
      #expect {
        _ = try MigrationRunnerTests.runner(project, db).upgrade(to: "heads")
      } throws: { error in
        guard case .statementFailed(_, _, let location, _, let message, _) = error as? RunnerError else { return false }
        // Header: revision, message; blank; marker: the statement starts on line 5, `z` is its 4th line.
        return location == project.path("a").path + ":8" && message.contains("type \"integr\" does not exist")
      }
      #expect(try MigrationRunnerTests.state(db) == ([], []))
    }
  }

  @Test(
    "an offline script on a database that has the tables: no 'already exists' notices; a revision's own notices shown")
  func offlineScriptNotices() throws {
    let records = Fixture.records("a<base, b<a")
    let body: Body = { record in
      record.id == "b"
        ? ("CREATE TABLE t_b (x INTEGER);\nDO $$ BEGIN RAISE NOTICE 'b says hello'; END $$;", "DROP TABLE t_b;")
        : NativeProject.tableBody(record)
    }
    try MigrationRunnerTests.withProject(records, .postgresql, body: body) {
      (project: NativeProject, db: TestDatabase) throws in
      _ = try MigrationRunnerTests.runner(project, db).upgrade(to: "a")
      let graph = try project.graph()
      let plan = try graph.upgradePlan(to: "heads", from: ["a"])
      let script = try OfflineScript(graph: graph, versionTable: "revgraph_version", dialect: .postgresql).render(plan)
      let fed = try db.feed(script)
      #expect(fed.status == 0, "\(fed.errors)")
      #expect(!fed.errors.contains("already exists"), "\(fed.errors)")
      #expect(fed.errors.contains("b says hello"), "\(fed.errors)")
      #expect(try MigrationRunnerTests.state(db) == (["a", "b"], ["b"]))
    }
  }
}
