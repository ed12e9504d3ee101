import Foundation
import TestSupport
import Testing

@testable import Graph
@testable import Runner

/// Random histories, random starting databases, random targets.
@Suite struct RunnerPropertyTests {
  /// After every upgrade or downgrade the tables present are exactly the applied set and the
  /// version table is the plan's last one; a plan that fails leaves the database untouched.
  @Test(arguments: TestDriver.allCases, 1...24)
  func randomMigrations(driver: TestDriver, seed: UInt64) throws {
    var rng = SplitMix64(seed: seed &* 7919)
    let records = RandomGraph.records(size: Int.random(in: 8...24, using: &rng), rng: &rng)
    try MigrationRunnerTests.withProject(records, driver, name: "revgraph-prop") {
      (project: NativeProject, db: TestDatabase) throws in
      try Self.randomMigrations(project, db, rng: &rng)
    }
  }

  static func randomMigrations(_ project: NativeProject, _ db: TestDatabase, rng: inout SplitMix64) throws {
    let graph = try project.graph()
    let runner = try MigrationRunnerTests.runner(project, db)
    // Reach a random start by upgrading to each of its tips.
    for tip in RandomGraph.state(graph, rng: &rng) { _ = try runner.upgrade(to: tip) }
    for _ in 0..<10 {
      let before = try MigrationRunnerTests.state(db)
      let direction: Plan.Direction = Bool.random(using: &rng) ? .upgrade : .downgrade
      // Half the targets from the whole grammar (many of which fail), half absolute.
      let someID = graph.id(RevisionGraph.Index(Int.random(in: 0..<graph.count, using: &rng)))
      let target =
        Bool.random(using: &rng)
        ? RandomGraph.target(graph, rng: &rng) : ["heads", "base", someID, someID, someID].randomElement(using: &rng)!
      let expected = Result { try runner.plan(direction, target: target) }
      let actual = Result {
        direction == .upgrade ? try runner.upgrade(to: target) : try runner.downgrade(to: target)
      }
      let after = try MigrationRunnerTests.state(db)
      switch (expected, actual) {
      case (.success(let plan), .success(let outcome)):
        #expect(outcome.steps.map(\.revision) == plan.steps.map(\.id), "\(direction) \(target)")
        #expect(after.rows == plan.finalVersionTable, "\(direction) \(target)")
        var applied = Set(before.applied)
        for step in plan.steps {
          if direction == .upgrade { applied.insert(step.id) } else { applied.remove(step.id) }
        }
        #expect(after.applied == applied.sorted(), "\(direction) \(target)")
        #expect(Set(try graph.appliedRevisions(after.rows).map(graph.id)) == applied)
      case (.failure(let planError as GraphError), .failure(let runError as GraphError)):
        #expect(planError == runError)
        #expect(after == before)
      default:
        Issue.record("\(direction) \(target): plan \(expected), run \(actual)")
      }
    }
  }

  /// The offline script, fed to the driver's shell (`sqlite3`, `psql`), gives the same schema,
  /// version table and log (revisions and checksums) as the online run.
  @Test(arguments: TestDriver.allCases, 1...6)
  func offlineMatchesOnline(driver: TestDriver, seed: UInt64) throws {
    guard driver == .postgresql || Self.sqliteShell() != nil else {
      Issue.record("the sqlite3 shell is missing: apt-get install sqlite3 (.ci/run installs it)")
      return
    }
    var rng = SplitMix64(seed: seed &* 104_729)
    let records = RandomGraph.records(size: Int.random(in: 10...30, using: &rng), rng: &rng)
    let body: (RevisionRecord) -> (String, String?) = { record in
      // Statements without a final semicolon, comments and a trigger (a function and a
      // dollar-quoted body on PostgreSQL) with inner semicolons.
      let table = "t_\(record.id)"
      switch driver {
      case .sqlite:
        return (
          """
          -- create \(table)
          CREATE TABLE "\(table)" (x INTEGER, note TEXT DEFAULT 'a;b');
          CREATE TRIGGER "\(table)_tr" AFTER INSERT ON "\(table)" BEGIN UPDATE "\(table)" SET note = 'x;y'; END;
          INSERT INTO "\(table)" (x) VALUES (1)
          -- trailing comment
          """,
          "DROP TABLE \"\(table)\";"
        )
      case .postgresql:
        return (
          """
          -- create \(table)
          CREATE TABLE "\(table)" (x INTEGER, note TEXT DEFAULT 'a;b');
          CREATE FUNCTION "\(table)_f"() RETURNS trigger LANGUAGE plpgsql AS $body$
          BEGIN NEW.note := 'x;y'; RETURN NEW; END;
          $body$;
          CREATE TRIGGER "\(table)_tr" BEFORE INSERT ON "\(table)" FOR EACH ROW EXECUTE FUNCTION "\(table)_f"();
          INSERT INTO "\(table)" (x) VALUES (1)
          /* trailing /* nested */ comment */
          """,
          "DROP TABLE \"\(table)\";\nDROP FUNCTION \"\(table)_f\"();"
        )
      }
    }
    try MigrationRunnerTests.withProject(records, driver, name: "revgraph-offline", body: body) {
      (project: NativeProject, online: TestDatabase) throws in
      guard let offline = try TestDatabase.make(driver, in: project.root.appendingPathComponent("offline")) else {
        return
      }
      defer { offline.remove() }
      try FileManager.default.createDirectory(
        at: project.root.appendingPathComponent("offline"), withIntermediateDirectories: true)
      let graph = try project.graph()
      let target = Bool.random(using: &rng) ? "heads" : RandomGraph.target(graph, rng: &rng)
      let plan = try (try? graph.upgradePlan(to: target, from: [])) ?? graph.upgradePlan(to: "heads", from: [])
      let dialect: SQLDialect = driver == .sqlite ? .sqlite : .postgresql
      let script = try OfflineScript(graph: graph, versionTable: "revgraph_version", dialect: dialect).render(plan)
      let fed = try offline.feed(script)
      #expect(fed.status == 0, "\(fed.errors)")

      _ = try MigrationRunnerTests.runner(project, online).upgrade(to: plan.target)
      func snapshot(_ db: TestDatabase) throws -> [String] {
        let schema =
          driver == .sqlite
          ? try db.query("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY name")
          : try db.query(
            """
            SELECT 'table ' || table_name || ' ' || string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position)
            FROM information_schema.columns WHERE table_schema = 'public' GROUP BY table_name ORDER BY table_name
            """)
            + db.query(
              "SELECT 'trigger ' || trigger_name || ' ' || action_statement FROM information_schema.triggers ORDER BY 1"
            )
            + db.query(
              "SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1")
        return try schema
          + db.query("SELECT 'row ' || version_num FROM revgraph_version ORDER BY version_num")
          + db.query(
            "SELECT 'log ' || revision || ' ' || direction || ' ' || checksum FROM revgraph_version_log ORDER BY id")
      }
      #expect(try snapshot(offline) == snapshot(online))
      #expect(!plan.steps.isEmpty)
    }
  }

  static func sqliteShell() -> URL? {
    for directory in ["/usr/bin", "/usr/local/bin", "/bin"] {
      let url = URL(fileURLWithPath: directory).appendingPathComponent("sqlite3")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return nil
  }
}
