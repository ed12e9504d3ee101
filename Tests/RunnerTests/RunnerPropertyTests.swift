import Foundation
import TestSupport
import Testing

@testable import Graph
@testable import Runner

/// Random histories, random starting databases, random targets.
@Suite struct RunnerPropertyTests {
  /// After every upgrade or downgrade the tables present are exactly the applied set and the
  /// version table is the plan's last one; a plan that fails leaves the database untouched.
  @Test(arguments: 1...24)
  func randomMigrations(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed &* 7919)
    let records = RandomGraph.records(size: Int.random(in: 8...24, using: &rng), rng: &rng)
    let project = try NativeProject(records, name: "revgraph-prop")
    defer { project.remove() }
    let graph = try project.graph()
    let runner = try MigrationRunnerTests.runner(project)
    // Reach a random start by upgrading to each of its tips.
    for tip in RandomGraph.state(graph, rng: &rng) { _ = try runner.upgrade(to: tip) }
    for _ in 0..<10 {
      let before = try MigrationRunnerTests.state(project)
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
      let after = try MigrationRunnerTests.state(project)
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

  /// The offline script, fed to the sqlite3 shell, gives the same schema, version table and
  /// log (revisions and checksums) as the online run.
  @Test(arguments: 1...6)
  func offlineMatchesOnline(seed: UInt64) throws {
    guard let shell = Self.sqliteShell() else {
      Issue.record("the sqlite3 shell is missing: apt-get install sqlite3 (.ci/run installs it)")
      return
    }
    var rng = SplitMix64(seed: seed &* 104_729)
    let records = RandomGraph.records(size: Int.random(in: 10...30, using: &rng), rng: &rng)
    let project = try NativeProject(records, name: "revgraph-offline") { record in
      // Statements without a final semicolon, comments and a trigger with inner semicolons.
      let table = "t_\(record.id)"
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
    }
    defer { project.remove() }
    let graph = try project.graph()
    let target = Bool.random(using: &rng) ? "heads" : RandomGraph.target(graph, rng: &rng)
    let plan = try (try? graph.upgradePlan(to: target, from: [])) ?? graph.upgradePlan(to: "heads", from: [])
    let script = try OfflineScript(graph: graph, versionTable: "revgraph_version").render(plan)
    let offline = project.root.appendingPathComponent("offline.db")
    let process = Process()
    process.executableURL = shell
    process.arguments = ["-bail", offline.path]
    let input = Pipe()
    process.standardInput = input
    try process.run()
    input.fileHandleForWriting.write(Data(script.utf8))
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)

    _ = try MigrationRunnerTests.runner(project).upgrade(to: plan.target)
    func snapshot(_ path: String) throws -> [String] {
      let db = try SQLiteConnection(path: path, mode: .readOnly)
      return try db.column("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY name")
        + db.column("SELECT 'row ' || version_num FROM revgraph_version ORDER BY version_num")
        + db.column(
          "SELECT 'log ' || revision || ' ' || direction || ' ' || checksum FROM revgraph_version_log ORDER BY id")
        + db.column("SELECT 'data ' || count(*) FROM sqlite_schema")
    }
    #expect(try snapshot(offline.path) == snapshot(project.database.path))
    #expect(!plan.steps.isEmpty)
  }

  static func sqliteShell() -> URL? {
    for directory in ["/usr/bin", "/usr/local/bin", "/bin"] {
      let url = URL(fileURLWithPath: directory).appendingPathComponent("sqlite3")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return nil
  }
}
