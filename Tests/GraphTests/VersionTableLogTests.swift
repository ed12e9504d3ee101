import TestSupport
import Testing

@testable import Graph

/// Plans store each step's version-table changes and a full table every
/// ``VersionTableLog/interval`` steps; these plans are long enough to cross several of them.
@Suite struct VersionTableLogTests {
  static let seeds: [UInt64] = Array(1...6)

  @Test("every step's table is rebuilt correctly across full-table boundaries", arguments: seeds)
  func longPlans(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let size = 3 * VersionTableLog.interval + Int.random(in: 1...VersionTableLog.interval, using: &rng)
    let graph = try RevisionGraph(records: RandomGraph.records(size: size, rng: &rng))
    graph.checkInvariants()
    let up = try graph.upgradePlan(to: "heads", from: [])
    #expect(up.steps.count == graph.count)
    try PlanChecks.verify(up, in: graph)
    for step in up.steps {
      #expect(step.versionTableIndices.map { graph.id($0) } == step.versionTable)
    }
    let down = try graph.downgradePlan(to: "base", from: up.finalVersionTable)
    #expect(down.steps.count == graph.count)
    try PlanChecks.verify(down, in: graph)
    #expect(down.finalVersionTable.isEmpty)
    // From a partly applied database: the log starts from its rows.
    let rows = RandomGraph.state(graph, rng: &rng)
    try PlanChecks.verify(try graph.upgradePlan(to: "heads", from: rows), in: graph)
  }

  @Test("a table set on a step replaces the logged one, and equality compares tables")
  func assignedTable() throws {
    let graph = try Fixture.graph(Fixture.branched)
    let plan = try graph.upgradePlan(to: "heads", from: [])
    var step = plan.steps[0]
    #expect(step == plan.steps[0])
    step.versionTable = ["b"]
    #expect(step.versionTable == ["b"])
    #expect(step.versionTableIndices == [try #require(graph.index(of: "b"))])
    #expect(step != plan.steps[0])
    step.versionTable = ["a"]
    #expect(step == plan.steps[0])
  }
}
