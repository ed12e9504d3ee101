import TestSupport
import Testing

@testable import Graph

/// Shortcuts taken while planning must give what the general walks give.
@Suite struct PlanShortcutTests {
  @Test("the real heads' ancestors are every revision, with or without the shortcut", arguments: Array(UInt64(1)...20))
  func realHeadsCoverTheGraph(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let graph = try RandomGraph.graph(sizes: 1...80, rng: &rng)
    let general = graph.ancestors(of: graph.realHeads, .all)
    let shortcut = try graph.ancestorsCheckingOverlap(graph.realHeads.shuffled(using: &rng))
    #expect(shortcut.contains == general.contains)
    #expect(Set(shortcut.members) == Set(general.members) && shortcut.count == general.count)
    // Some of the real heads only: the general walk answers.
    let some = Array(graph.realHeads.dropFirst())
    #expect(try graph.ancestorsCheckingOverlap(some).contains == graph.ancestors(of: some, .all).contains)
  }

  @Test("overlapping targets are still rejected")
  func overlap() throws {
    let graph = try Fixture.graph(Fixture.branched)
    let a = try #require(graph.index(of: "a")), d1 = try #require(graph.index(of: "d1"))
    #expect(throws: GraphError.self) { try graph.ancestorsCheckingOverlap([d1, a]) }
    #expect(graph.ancestors(of: [d1], .all)[a])
  }
}
