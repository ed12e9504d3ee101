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

  @Test("a step's logged changes are the difference between the tables before and after it", arguments: seeds)
  func loggedChanges(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let size = 2 * VersionTableLog.interval + Int.random(in: 1...VersionTableLog.interval, using: &rng)
    let graph = try RevisionGraph(records: RandomGraph.records(size: size, rng: &rng))
    let up = try graph.upgradePlan(to: "heads", from: RandomGraph.state(graph, rng: &rng))
    let down = try graph.downgradePlan(to: "base", from: up.finalVersionTable)
    for plan in [up, try graph.upgradePlan(to: "heads", from: []), down] {
      #expect(plan.rowChanges(at: 0) == nil)
      #expect(plan.rowChanges(at: plan.steps.count) == nil)
      for i in plan.steps.indices.dropFirst() {
        let before = plan.steps[i - 1].versionTable, after = plan.steps[i].versionTable
        let changes = try #require(plan.rowChanges(at: i))
        // Sorted by id, as the tables are.
        #expect(changes.removed == before.filter { !after.contains($0) })
        #expect(changes.added == after.filter { !before.contains($0) })
      }
    }
    // A table set by a caller (on the step or the one before) is compared instead.
    var edited = up
    if edited.steps.count > 2 {
      edited.steps[1].versionTable = ["x"]
      #expect(edited.rowChanges(at: 1) == nil && edited.rowChanges(at: 2) == nil)
      #expect(edited.rowChanges(at: 3) == up.rowChanges(at: 3))
    }
    // Steps that are not consecutive in the log (a caller's selection) are compared too.
    var selected = up
    if selected.steps.count > 3 {
      selected.steps.remove(at: 1)
      #expect(selected.rowChanges(at: 1) == nil)
      #expect(selected.rowChanges(at: 2) == up.rowChanges(at: 3))
    }
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
