/// Answers the ordered walk's one expensive question: which line, first in list order, leads
/// down to a blocked revision.
///
/// A pending revision's ancestors between it and the blocked one are all pending (nothing is
/// emitted before what builds on it), so the answer for a pair never changes while both are
/// pending; when the walk's members are convex (no other revision lies between two members)
/// it is plain reachability in the graph, which ``ReachabilityLabels`` settle at once for
/// nearly every pair. The rest get a search up from the blocked revision through pending
/// revisions, pruned to those that may still lead to the line.
///
/// Revisions are positions in the graph's ``TopologicalLayout``, as in the walk.
struct LineSwitcher {
  let layout: TopologicalLayout
  let labels: ReachabilityLabels
  let isConvex: Bool
  private var seen: [Int32]
  private var stamp: Int32 = 0
  private var stack = [Int32]()

  /// - Parameter members: The walk's members, by load index.
  init(_ layout: TopologicalLayout, members: NodeSet) {
    self.layout = layout
    labels = ReachabilityLabels(layout)
    isConvex = layout.isConvex(members)
    seen = [Int32](repeating: 0, count: layout.count)
  }

  /// The first line other than `current` whose revision leads down to `candidate`.
  mutating func firstLine(
    leadingTo candidate: Int32, besides current: Int32, in lines: Lines, pending: [Int32]
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
  mutating func leadsDown(from top: Int32, to candidate: Int32, pending: [Int32]) -> Bool {
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
      for c in layout.children[node] where pending[Int(c)] >= 0 && seen[Int(c)] != stamp && labels.mayReach(c, top) {
        stack.append(c)
      }
      for c in layout.dependents[node] where pending[Int(c)] >= 0 && seen[Int(c)] != stamp && labels.mayReach(c, top) {
        stack.append(c)
      }
    }
    return false
  }

  /// The pending revisions above `candidate` that nothing pending builds on.
  mutating func pendingTips(above candidate: Int32, pending: [Int32]) -> [Int32] {
    stamp += 1
    var tips = [Int32]()
    stack.removeAll(keepingCapacity: true)
    stack.append(candidate)
    while let node = stack.popLast() {
      if seen[Int(node)] == stamp { continue }
      seen[Int(node)] = stamp
      var above = false
      for c in layout.children[node] where pending[Int(c)] >= 0 {
        stack.append(c)
        above = true
      }
      for c in layout.dependents[node] where pending[Int(c)] >= 0 {
        stack.append(c)
        above = true
      }
      if !above && node != candidate { tips.append(node) }
    }
    return tips
  }
}
