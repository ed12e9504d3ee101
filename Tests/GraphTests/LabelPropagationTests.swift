import TestSupport
import Testing

@testable import Graph

/// Branch labels flow to every versioned descendant of the revision that declares them, and
/// down from the end of a single chain (Alembic's `_map_branch_labels`); the graph builds all
/// lists at once, as one flat list of pairs. Each revision's labels must be those of the rule
/// applied owner by owner.
@Suite struct LabelPropagationTests {
  @Test("propagated labels equal the rule applied owner by owner", arguments: Array(UInt64(1)...30))
  func matchesRule(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let graph = try RandomGraph.graph(sizes: 1...120, rng: &rng)
    var expected = [[String]](repeating: [], count: graph.count)
    for owner in 0..<Int32(graph.count) {
      var own = [String]()
      for label in graph.record(owner).branchLabels where !own.contains(label) { own.append(label) }
      guard !own.isEmpty else { continue }
      var receivers = Set(graph.descendants(of: [owner], .versioned).members)
      if receivers.allSatisfy({ graph.children.count($0) <= 1 }) {
        // A chain: from its end towards the base while nothing branches or merges.
        var node = receivers.first { graph.children.count($0) == 0 } ?? owner
        while Set(Array(graph.children[node]) + Array(graph.dependents[node])).count <= 1
          && graph.parents.count(node) <= 1
        {
          receivers.insert(node)
          guard let parent = graph.parents[node].first else { break }
          node = parent
        }
      }
      for node in receivers { expected[Int(node)] += own }
    }
    for node in 0..<Int32(graph.count) {
      #expect(graph.branchLabels(node) == expected[Int(node)], "seed \(seed), \(graph.id(node))")
    }
  }
}
