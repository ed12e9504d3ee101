import TestSupport
import Testing

@testable import Graph

/// ``TopologicalLayout`` renumbers the graph's relations in topological order; every relation
/// must be the graph's own, translated, and the derived ones must match their definitions.
@Suite struct TopologicalLayoutTests {
  static let seeds = Array(UInt64(1)...20)

  @Test("every relation is the graph's, renumbered; positions are a topological order", arguments: seeds)
  func renumbers(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let graph = try RandomGraph.graph(sizes: 1...120, rng: &rng)
    let layout = graph.layout
    #expect(layout.order.sorted() == Array(0..<Int32(graph.count)))
    #expect(layout.order == graph.topologicalOrder)
    for node in 0..<Int32(graph.count) {
      let at = layout.position[Int(node)]
      #expect(layout.order[Int(at)] == node)
      let load = { (row: ArraySlice<Int32>) in row.map { layout.order[Int($0)] } }
      #expect(load(layout.parents[at]) == Array(graph.parents[node]))
      #expect(load(layout.dependencies[at]) == Array(graph.dependencies[node]))
      #expect(
        load(layout.children[at])
          == Array(graph.children[node]).sorted { layout.position[Int($0)] < layout.position[Int($1)] })
      #expect(Set(load(layout.dependents[at])) == Set(graph.dependents[node]))
      for p in layout.parents[at] + layout.dependencies[at] { #expect(p < at) }
    }
  }

  @Test("effective parents: parents, then the dependencies no proper versioned ancestor has", arguments: seeds)
  func effectiveParents(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let graph = try RandomGraph.graph(sizes: 1...120, rng: &rng)
    for node in 0..<Int32(graph.count) {
      let below = graph.ancestors(of: graph.parents[node], .versioned)
      var expected = Array(graph.parents[node])
      for d in graph.dependencies[node] where !expected.contains(d) {
        if !below.members.contains(where: { graph.dependencies[$0].contains(d) }) { expected.append(d) }
      }
      #expect(graph.effectiveParents(of: node) == expected, "seed \(seed), \(graph.id(node))")
    }
  }

  @Test("the sparse renumbering equals the dense one", arguments: seeds)
  func sparse(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let n = Int.random(in: 0...50, using: &rng)
    let lists = (0..<n).map { _ in
      Int.random(in: 0..<3, using: &rng) == 0
        ? (0..<Int.random(in: 1...3, using: &rng)).map { _ in Int32.random(in: 0..<Int32(n), using: &rng) } : []
    }
    let relation = Adjacency(lists)
    let order = (0..<Int32(n)).shuffled(using: &rng)
    let position = TopologicalLayout.inverse(of: order)
    let dense = relation.permuted(order: order, position: position)
    let sparse = relation.permutedSparse(order: order, position: position)
    #expect(dense.offsets == sparse.offsets && dense.targets == sparse.targets)
    for r in 0..<Int32(n) {
      #expect(Array(dense[r]) == lists[Int(order[Int(r)])].map { position[Int($0)] })
    }
  }

  @Test("isConvex equals a check of every path between two members", arguments: seeds)
  func convexity(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let graph = try RandomGraph.graph(sizes: 1...40, rng: &rng)
    for _ in 0..<10 {
      var members = NodeSet(count: graph.count)
      for node in 0..<Int32(graph.count) where Int.random(in: 0..<3, using: &rng) == 0 { members.insert(node) }
      // Convex: no non-member lies above one member and below another.
      let expected = (0..<Int32(graph.count)).allSatisfy { x in
        members[x]
          || !(graph.ancestors(of: graph.allParents(x), .all).members.contains { members[$0] }
            && graph.descendants(of: Array(graph.children[x]) + Array(graph.dependents[x]), .all).members.contains {
              members[$0]
            })
      }
      #expect(graph.layout.isConvex(members) == expected, "seed \(seed)")
      #expect(graph.layout.isConvex(NodeSet.all(count: graph.count)))
    }
  }
}
