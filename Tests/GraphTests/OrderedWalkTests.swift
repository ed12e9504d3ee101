import TestSupport
import Testing

@testable import Graph

/// ``RevisionGraph/orderedWalk(_:starts:recordingFreed:)`` runs over the graph's
/// ``TopologicalLayout`` with reachability labels and a segment tree of lines. Its order (and
/// what each step frees) must be that of the walk done the straightforward way: over load
/// indices, with a plain search for every question.
@Suite struct OrderedWalkTests {
  @Test(
    "the walk equals the straightforward walk on random histories and member sets", arguments: Array(UInt64(1)...40))
  func matchesReference(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<4 {
      let graph = try RandomGraph.graph(sizes: 1...80, rng: &rng)
      for (members, starts) in Self.walks(graph, rng: &rng) {
        let walk = graph.orderedWalk(members, starts: starts, recordingFreed: true)
        var reference = ReferenceWalk(graph: graph, members: members)
        let expected = reference.run(starts: starts)
        #expect(walk.order == expected.order, "seed \(seed): order, starts \(starts)")
        #expect(walk.positions.map { graph.layout.order[Int($0)] } == walk.order)
        let freed = walk.order.indices.map {
          walk.freed[Int(walk.freedOffsets[$0])..<Int(walk.freedOffsets[$0 + 1])].map { graph.layout.order[Int($0)] }
        }
        #expect(freed == expected.freed, "seed \(seed): freed, starts \(starts)")
      }
    }
  }

  /// Member sets and starts as the callers build them (full history, upgrades, downgrades),
  /// plus arbitrary subsets with arbitrary starts.
  static func walks(_ graph: RevisionGraph, rng: inout SplitMix64) -> [(NodeSet, [RevisionGraph.Index])] {
    let random = { (rng: inout SplitMix64) in RevisionGraph.Index(Int.random(in: 0..<graph.count, using: &rng)) }
    var walks = [(NodeSet.all(count: graph.count), graph.realHeads)]
    for _ in 0..<6 {
      let targets = (0..<Int.random(in: 1...3, using: &rng)).map { _ in random(&rng) }
      let current = (0..<Int.random(in: 0...2, using: &rng)).map { _ in random(&rng) }
      let applied = graph.ancestors(of: current, .all)
      var upgrade = NodeSet(count: graph.count)
      for node in graph.ancestors(of: targets, .all).members where !applied[node] { upgrade.insert(node) }
      walks.append((upgrade, targets))
      var downgrade = NodeSet(count: graph.count)
      for node in graph.descendants(of: targets, .all).members where applied[node] { downgrade.insert(node) }
      walks.append((downgrade, current))
      var subset = NodeSet(count: graph.count)
      for node in 0..<Int32(graph.count) where Bool.random(using: &rng) { subset.insert(node) }
      walks.append((subset, (0..<Int.random(in: 0...3, using: &rng)).map { _ in random(&rng) }))
    }
    return walks
  }
}

/// Alembic's ordering walk over load indices, every question answered by a plain search.
struct ReferenceWalk {
  let graph: RevisionGraph
  /// Members not emitted yet.
  var pending: Set<RevisionGraph.Index>

  init(graph: RevisionGraph, members: NodeSet) {
    self.graph = graph
    pending = Set(members.members)
  }

  /// Children and dependents that are still pending.
  func pendingAbove(_ node: RevisionGraph.Index) -> [RevisionGraph.Index] {
    (Array(graph.children[node]) + Array(graph.dependents[node])).filter { pending.contains($0) }
  }

  /// Whether `top` is reachable up from `bottom` through pending revisions.
  func leadsDown(from top: RevisionGraph.Index, to bottom: RevisionGraph.Index) -> Bool {
    var seen = Set<RevisionGraph.Index>()
    var stack = [bottom]
    while let node = stack.popLast() {
      if node == top { return true }
      guard seen.insert(node).inserted else { continue }
      stack.append(contentsOf: pendingAbove(node))
    }
    return false
  }

  /// Pending revisions above `bottom` that nothing pending builds on.
  func tips(above bottom: RevisionGraph.Index) -> [RevisionGraph.Index] {
    var seen = Set<RevisionGraph.Index>()
    var stack = [bottom]
    var tips = [RevisionGraph.Index]()
    while let node = stack.popLast() {
      guard seen.insert(node).inserted else { continue }
      let above = pendingAbove(node)
      if above.isEmpty && node != bottom { tips.append(node) }
      stack.append(contentsOf: above)
    }
    return tips.sorted()
  }

  mutating func run(starts: [RevisionGraph.Index]) -> (order: [RevisionGraph.Index], freed: [[RevisionGraph.Index]]) {
    var lines = [RevisionGraph.Index]()
    for s in starts.sorted() where pending.contains(s) && !lines.contains(s) { lines.append(s) }
    var order = [RevisionGraph.Index]()
    var freed = [[RevisionGraph.Index]]()
    var i = 0
    while !pending.isEmpty {
      if lines.isEmpty {
        lines = pending.filter { pendingAbove($0).isEmpty }.sorted()
        i = 0
      }
      let candidate = lines[i]
      if !pendingAbove(candidate).isEmpty {
        if let j = lines.indices.first(where: { $0 != i && leadsDown(from: lines[$0], to: candidate) }) {
          i = j
        } else {
          for tip in tips(above: candidate) where !lines.contains(tip) { lines.append(tip) }
          i = lines.count - 1
        }
        continue
      }
      if pending.contains(candidate) {
        order.append(candidate)
        pending.remove(candidate)
        var below = Array(graph.parents[candidate])
        for d in graph.dependencies[candidate] where !below.contains(d) { below.append(d) }
        freed.append(below.filter { pending.contains($0) && pendingAbove($0).isEmpty })
      }
      var next = [RevisionGraph.Index]()
      for p in graph.effectiveParents(of: candidate)
      where pending.contains(p) && !lines.contains(p) && !next.contains(p) {
        next.append(p)
      }
      if let first = next.first {
        lines[i] = first
        lines.append(contentsOf: next.dropFirst())
      } else {
        lines.remove(at: i)
        i = i > 0 ? i - 1 : 0
      }
    }
    return (order, freed)
  }
}
