/// Answers the ordered walk's one expensive question: which line, first in list order, leads
/// down to a blocked revision.
///
/// A pending revision's ancestors between it and the blocked one are all pending (nothing is
/// emitted before what builds on it), so the answer for a pair never changes while both are
/// pending; when the walk's members are convex (no other revision lies between two members)
/// it is plain reachability in the graph, which ``ReachabilityLabels`` settle at once for
/// nearly every pair. The rest get a search up from the blocked revision through pending
/// revisions, pruned to those that may still lead to the line.
struct LineSwitcher {
  let graph: RevisionGraph
  let labels: ReachabilityLabels
  let isConvex: Bool
  private var seen: [Int32]
  private var stamp: Int32 = 0
  private var stack = [RevisionGraph.Index]()

  init(_ graph: RevisionGraph, members: NodeSet) {
    self.graph = graph
    labels = ReachabilityLabels(graph)
    isConvex = graph.isConvexSet(members)
    seen = [Int32](repeating: 0, count: graph.count)
  }

  /// The first line other than `current` whose revision leads down to `candidate`.
  mutating func firstLine(
    leadingTo candidate: RevisionGraph.Index, besides current: Int32, in lines: Lines, pending: [Int32]
  ) -> Int32? {
    guard let tree = lines.tree else { return nil }
    var after: Int32 = -1
    while let j = tree.first(after: after, mayLeadTo: candidate) {
      if j != current && leadsDown(from: lines.node[Int(j)], to: candidate, pending: pending) { return j }
      after = j
    }
    return nil
  }

  /// Whether pending revision `top` reaches down to `candidate` through pending revisions.
  mutating func leadsDown(from top: RevisionGraph.Index, to candidate: RevisionGraph.Index, pending: [Int32]) -> Bool {
    guard labels.mayReach(candidate, top) else { return false }
    if isConvex && labels.surelyReaches(candidate, top) { return true }
    stamp += 1
    stack.removeAll(keepingCapacity: true)
    stack.append(candidate)
    while let node = stack.popLast() {
      // Any revision met on the way whose subtree holds `top` settles it (convex members only).
      if node == top || (isConvex && labels.surelyReaches(node, top)) { return true }
      if seen[Int(node)] == stamp { continue }
      seen[Int(node)] = stamp
      for c in graph.children[node] where pending[Int(c)] >= 0 && seen[Int(c)] != stamp && labels.mayReach(c, top) {
        stack.append(c)
      }
      for c in graph.dependents[node] where pending[Int(c)] >= 0 && seen[Int(c)] != stamp && labels.mayReach(c, top) {
        stack.append(c)
      }
    }
    return false
  }

  /// The pending revisions above `candidate` that nothing pending builds on.
  mutating func pendingTips(above candidate: RevisionGraph.Index, pending: [Int32]) -> [RevisionGraph.Index] {
    stamp += 1
    var tips = [RevisionGraph.Index]()
    stack.removeAll(keepingCapacity: true)
    stack.append(candidate)
    while let node = stack.popLast() {
      if seen[Int(node)] == stamp { continue }
      seen[Int(node)] = stamp
      var above = false
      for c in graph.children[node] where pending[Int(c)] >= 0 {
        stack.append(c)
        above = true
      }
      for c in graph.dependents[node] where pending[Int(c)] >= 0 {
        stack.append(c)
        above = true
      }
      if !above && node != candidate { tips.append(node) }
    }
    return tips
  }
}
