import Foundation
import TestSupport
import Testing

@testable import Graph
@testable import Runner

/// `upgrade --sql` through the binary: a script from base reads each file once, other
/// scripts read their files again; both print the library's script.
@Suite struct OfflineSQLCLITests {
  /// Runs revgraph with its header cache in `cache` (or `off`).
  static func run(_ arguments: [String], in directory: URL, cache: String) throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = RunnerCLITests.binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment
    environment["REVGRAPH_CACHE_DIR"] = cache
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
  }

  @Test("scripts from base and from a FROM are the library's, with and without the header cache")
  func scriptsMatchTheLibrary() throws {
    var rng = SplitMix64(seed: 5)
    // Long enough for the steps to be rendered on several threads; some revisions run
    // outside a transaction.
    var records = RandomGraph.records(size: 700, rng: &rng)
    for i in records.indices where i % 7 == 3 { records[i].attributes["transactional"] = "false" }
    let project = try NativeProject(records, name: "revgraph-offline-cli")
    defer { project.remove() }
    let cache = project.root.appendingPathComponent("cache").path
    let graph = try project.graph()
    let script = OfflineScript(graph: graph, versionTable: "revgraph_version")
    let fromBase = try script.render(graph.upgradePlan(to: "heads", from: []))
    let middle = try graph.upgradePlan(to: "heads", from: []).steps[350].id
    let fromMiddle = try script.render(graph.upgradePlan(to: "heads", from: [middle]))
    // The head with the longest history, and a revision half-way down it.
    let downgrades = try graph.heads.map { try graph.downgradePlan(to: "base", from: [graph.id($0)]) }
    let longest = try #require(downgrades.max { $0.steps.count < $1.steps.count })
    let head = longest.steps[0].id, below = longest.steps[longest.steps.count / 2].id
    let toBase = try script.render(longest)
    let toMiddle = try script.render(graph.downgradePlan(to: below, from: [head]))
    for cache in ["off", cache, cache] {
      for (arguments, expected) in [
        (["upgrade", "base:heads", "--sql"], fromBase), (["upgrade", ":heads", "--sql"], fromBase),
        (["upgrade", "\(middle):heads", "--sql"], fromMiddle), (["downgrade", "\(head):base", "--sql"], toBase),
        (["downgrade", "\(head):\(below)", "--sql"], toMiddle),
      ] {
        let (status, out, err) = try Self.run(arguments, in: project.root, cache: cache)
        #expect(status == 0 && err.isEmpty, "\(arguments) \(err)")
        #expect(out == expected, "\(arguments) cache \(cache)")
      }
    }
    // Without FROM: from the configured database, missing, empty, then at `middle`.
    #expect(!FileManager.default.fileExists(atPath: project.database.path))
    #expect(try Self.run(["upgrade", "heads", "--sql"], in: project.root, cache: cache).1 == fromBase)
    let connection = try SQLiteConnection(path: project.database.path, mode: .readWriteCreate)
    try connection.execute("CREATE TABLE revgraph_version (version_num VARCHAR(32) NOT NULL)")
    #expect(try Self.run(["upgrade", "heads", "--sql"], in: project.root, cache: cache).1 == fromBase)
    try connection.execute("INSERT INTO revgraph_version VALUES ('\(middle)')")
    #expect(try Self.run(["upgrade", "heads", "--sql"], in: project.root, cache: cache).1 == fromMiddle)
    // The JSON form carries the same script.
    let (status, json, _) = try Self.run(
      ["upgrade", "base:heads", "--sql", "--format", "json"], in: project.root, cache: "off")
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    #expect(status == 0 && object?["sql"] as? String == fromBase)
  }

  @Test("an unreadable or Alembic file fails the script as before, naming the file")
  func failures() throws {
    let project = try NativeProject([RevisionRecord(id: "a")], name: "revgraph-offline-cli")
    defer { project.remove() }
    try Data("revision = 'b'\ndown_revision = 'a'\n\ndef upgrade():\n    pass\n".utf8).write(
      to: project.versions.appendingPathComponent("b_rev.py"))
    for arguments in [["upgrade", "base:heads", "--sql"], ["upgrade", "a:heads", "--sql"]] {
      let (status, out, err) = try Self.run(arguments, in: project.root, cache: "off")
      #expect(status == 1 && out.isEmpty)
      #expect(err.contains("b_rev.py"), "\(err)")
    }
  }
}
