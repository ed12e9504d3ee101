import TestSupport
import Testing

@testable import Graph

/// ``LineSearchTree`` keeps, for every subtree, the bounds of the lines below it; `set` stops
/// updating at the first subtree whose bounds do not change. Its answers must be those of a
/// scan of the lines in order.
@Suite struct LineSearchTreeTests {
  @Test("first(after:mayLeadTo:) equals a linear scan after random updates", arguments: Array(UInt64(1)...12))
  func matchesScan(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let graph = try RandomGraph.graph(sizes: 2...60, rng: &rng)
    let labels = ReachabilityLabels(graph.layout)
    let randomNode = { (rng: inout SplitMix64) in RevisionGraph.Index(Int.random(in: 0..<graph.count, using: &rng)) }
    var lines = (0..<Int.random(in: 1...5, using: &rng)).map { _ in Optional(randomNode(&rng)) }
    var tree = LineSearchTree(
      labels: labels, slots: lines.enumerated().map { (slot: Int32($0.offset), node: $0.element) })
    for _ in 0..<200 {
      // Move a line (usually one revision down), end one, or add one (slots only grow).
      let slot = Int.random(in: 0..<lines.count + 1, using: &rng)
      let node: RevisionGraph.Index?
      if slot < lines.count, let current = lines[slot], Bool.random(using: &rng),
        let parent = graph.parentIndices(current).first
      {
        node = parent
      } else {
        node = Int.random(in: 0..<5, using: &rng) == 0 ? nil : randomNode(&rng)
      }
      if slot == lines.count { lines.append(node) } else { lines[slot] = node }
      tree.set(Int32(slot), node)
      for _ in 0..<5 {
        let candidate = randomNode(&rng)
        let after = Int32(Int.random(in: -1..<lines.count, using: &rng))
        let expected = lines.indices.first { s in
          s > Int(after) && lines[s].map { labels.mayReach(candidate, $0) } == true
        }
        #expect(tree.first(after: after, mayLeadTo: candidate).map(Int.init) == expected)
      }
    }
  }
}
