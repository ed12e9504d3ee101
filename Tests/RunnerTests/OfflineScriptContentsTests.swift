import Foundation
import Graph
import TestSupport
import Testing

@testable import Runner

/// Offline scripts rendered from the bytes the loader read are the scripts rendered by reading
/// each file again, in parts or whole, on one thread or several.
@Suite struct OfflineScriptContentsTests {
  /// A project whose revisions have varied sections: some without a downgrade, some outside
  /// a transaction, some with non-ASCII text or only comments.
  static func project(size: Int, rng: inout SplitMix64) throws -> NativeProject {
    var records = RandomGraph.records(size: size, rng: &rng)
    for i in records.indices where i % 7 == 3 { records[i].attributes["transactional"] = "false" }
    return try NativeProject(records, name: "revgraph-contents") { record in
      let sum = record.id.utf8.reduce(0) { $0 + Int($1) }
      switch sum % 5 {
      case 0: return ("CREATE TABLE \"t_\(record.id)\" (x);", nil)
      case 1: return ("-- only a comment", "SELECT 'é';")
      case 2: return ("SELECT 1", "")
      default: return NativeProject.tableBody(record)
      }
    }
  }

  /// Plans of both directions, some of which miss a downgrade section.
  static func plans(_ graph: RevisionGraph, rng: inout SplitMix64) -> [Plan] {
    var plans = [Plan]()
    if let plan = try? graph.upgradePlan(to: "heads", from: []) { plans.append(plan) }
    if let plan = try? graph.upgradePlan(to: RandomGraph.target(graph, rng: &rng), from: []) { plans.append(plan) }
    let top = graph.heads.map(graph.id)
    if let plan = try? graph.downgradePlan(to: "base", from: top) { plans.append(plan) }
    let some = graph.id(RevisionGraph.Index(Int.random(in: 0..<graph.count, using: &rng)))
    if let plan = try? graph.downgradePlan(to: some, from: top) { plans.append(plan) }
    return plans
  }

  /// Checks that `fast` renders every plan as `plain` does: the same bytes, or the same error.
  static func expectSame(
    _ plain: OfflineScript, _ fast: OfflineScript, _ plans: [Plan], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for plan in plans {
      let expected = Result { try plain.renderUTF8(plan) }
      let actual = Result { try fast.renderUTF8(plan) }
      let parts = Result { try fast.renderParts(plan).flatMap { $0 } }
      switch (expected, actual, parts) {
      case (.success(let expected), .success(let actual), .success(let parts)):
        #expect(actual == expected, sourceLocation: sourceLocation)
        #expect(parts == expected, sourceLocation: sourceLocation)
      case (.failure(let expected as RunnerError), .failure(let actual as RunnerError), .failure(let parts)):
        #expect(actual == expected, sourceLocation: sourceLocation)
        #expect(parts as? RunnerError == expected, sourceLocation: sourceLocation)
      default:
        Issue.record("\(plan.direction) \(plan.target): \(expected), \(actual)", sourceLocation: sourceLocation)
      }
    }
  }

  @Test("the loader's bytes give the script of reading each file", arguments: 1...6)
  func sameScript(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed &* 6007)
    // Even seeds: long enough plans for several runs of steps on their own threads.
    let project = try Self.project(size: seed.isMultiple(of: 2) ? 900 : Int.random(in: 6...40, using: &rng), rng: &rng)
    defer { project.remove() }
    let (graph, contents) = try RevisionLoader.graphWithContents(locations: [project.versions.path])
    let plain = OfflineScript(graph: graph, versionTable: "revgraph_version")
    let fast = OfflineScript(graph: graph, versionTable: "revgraph_version", contents: contents)
    let plans = Self.plans(graph, rng: &rng)
    Self.expectSame(plain, fast, plans)
    // Sections worked out ahead, in the plan's direction or the other (then unused).
    for direction in [Plan.Direction.upgrade, .downgrade] {
      var prepared = fast
      prepared.preparation = .init(records: graph.records, contents: contents, direction: direction)
      Self.expectSame(plain, prepared, plans)
    }
    // Records in another order than the files were loaded: bytes and sections follow them
    // by path.
    let shuffled = try RevisionGraph(records: graph.records.shuffled(using: &rng))
    let shuffledPlans = Self.plans(shuffled, rng: &rng)
    for direction in [Plan.Direction.upgrade, .downgrade] {
      Self.expectSame(
        OfflineScript(graph: shuffled, versionTable: "v"),
        OfflineScript(
          graph: shuffled, versionTable: "v", contents: contents,
          preparation: .init(records: graph.records, contents: contents, direction: direction)), shuffledPlans)
      // A preparation from records out of load order leaves the work to the rendering.
      Self.expectSame(
        OfflineScript(graph: shuffled, versionTable: "v"),
        OfflineScript(
          graph: shuffled, versionTable: "v", contents: contents,
          preparation: .init(records: shuffled.records, contents: contents, direction: direction)), shuffledPlans)
    }
  }

  @Test("an Alembic script is not runnable, with or without its bytes")
  func alembicNotRunnable() throws {
    let scratch = try RunnerTestsScratch.alembicAndNative()
    defer { try? FileManager.default.removeItem(at: scratch.root) }
    let (graph, contents) = try RevisionLoader.graphWithContents(locations: [scratch.versions])
    let plan = try graph.upgradePlan(to: "heads", from: [])
    Self.expectSame(
      OfflineScript(graph: graph, versionTable: "v"),
      OfflineScript(graph: graph, versionTable: "v", contents: contents),
      [plan])
    Self.expectSame(
      OfflineScript(graph: graph, versionTable: "v"),
      OfflineScript(
        graph: graph, versionTable: "v", contents: contents,
        preparation: .init(records: graph.records, contents: contents, direction: .upgrade)), [plan])
    #expect(throws: RunnerError.notRunnable(revision: "b", path: scratch.versions + "/b_rev.py")) {
      try OfflineScript(graph: graph, versionTable: "v", contents: contents).renderUTF8(plan)
    }
  }

  @Test("files edited or removed after loading: the bytes read are the ones rendered")
  func editedAfterLoading() throws {
    var rng = SplitMix64(seed: 11)
    let project = try Self.project(size: 12, rng: &rng)
    defer { project.remove() }
    let (graph, contents) = try RevisionLoader.graphWithContents(locations: [project.versions.path])
    let plan = try graph.upgradePlan(to: "heads", from: [])
    let before = try OfflineScript(graph: graph, versionTable: "v").renderUTF8(plan)
    let fast = OfflineScript(
      graph: graph, versionTable: "v", contents: contents,
      preparation: .init(records: graph.records, contents: contents, direction: .upgrade))
    // A new upgrade section for the first step, and the last step's file gone.
    let edited = graph.record(plan.steps[0].revision)
    try project.write(edited, body: ("SELECT 'edited';", nil))
    let removed = graph.record(plan.steps[plan.steps.count - 1].revision)
    try FileManager.default.removeItem(atPath: removed.path)
    #expect(try fast.renderUTF8(plan) == before)
    // Reading each file again sees the removal, as before.
    #expect(throws: RunnerError.unreadableScript(path: removed.path, reason: "the file is missing or unreadable")) {
      try OfflineScript(graph: graph, versionTable: "v").renderUTF8(plan)
    }
  }
}

/// A version directory with a native revision `a` and an Alembic revision `b` on top.
struct RunnerTestsScratch {
  let root: URL
  var versions: String { root.appendingPathComponent("versions").path }

  static func alembicAndNative() throws -> RunnerTestsScratch {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-mixed-\(UUID().uuidString)")
    let scratch = RunnerTestsScratch(root: root)
    try FileManager.default.createDirectory(atPath: scratch.versions, withIntermediateDirectories: true)
    try Data("-- revision: a\n\n-- +upgrade\nSELECT 1;\n".utf8).write(
      to: URL(fileURLWithPath: scratch.versions + "/a.sql"))
    try Data("revision = 'b'\ndown_revision = 'a'\n\ndef upgrade():\n    pass\n".utf8).write(
      to: URL(fileURLWithPath: scratch.versions + "/b_rev.py"))
    return scratch
  }
}
