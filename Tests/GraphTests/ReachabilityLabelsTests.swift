import TestSupport
import Testing

@testable import Graph

/// ``ReachabilityLabels`` only ever rule out or prove reachability where it truly fails or
/// holds; the ordering walk relies on that for its exact answers.
@Suite struct ReachabilityLabelsTests {
  @Test("mayReach never rules out, and surelyReaches never claims, a wrong pair", arguments: Array(UInt64(1)...25))
  func sound(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let graph = try RandomGraph.graph(sizes: 1...70, rng: &rng)
    let layout = graph.layout
    let labels = ReachabilityLabels(layout)
    var settled = 0
    for x in 0..<Int32(graph.count) {
      // Everything that builds on x, the straightforward way (x included).
      let above = graph.descendants(of: [layout.order[Int(x)]], .all)
      for y in 0..<Int32(graph.count) {
        let reachable = above[layout.order[Int(y)]]
        if !labels.mayReach(x, y) {
          #expect(!reachable, "seed \(seed): \(x) -> \(y) ruled out")
          settled += 1
        }
        if labels.surelyReaches(x, y) {
          #expect(reachable, "seed \(seed): \(x) -> \(y) claimed")
          settled += 1
        }
      }
      #expect(labels.mayReach(x, x) && labels.surelyReaches(x, x))
    }
    #expect(settled > 0 || graph.count < 3)
  }
}
