/// The graph's relations renumbered in topological order, for the passes that visit most of
/// the history: the ordering walk, its reachability labels and the convexity check.
///
/// Load order is file-name order, and file names start with random hex ids, so a revision's
/// load index says nothing about where it sits in the history: following parents over load
/// indices jumps through memory at every step, and at a million revisions nearly every jump
/// is a cache miss. Numbered by ``RevisionGraph``'s topological order instead (Kahn's, from
/// the bases), a line's revisions and the lines running beside it lie close together, so the
/// walks above touch memory almost in sequence.
///
/// A revision's number here is its *position*; `order` and `position` translate between
/// positions and load indices (``RevisionGraph/Index``). Rows keep the declared order of
/// parents and dependencies, so Alembic's tie-breaks that follow declared order are kept;
/// tie-breaks in load order must translate positions back through `order` first.
struct TopologicalLayout: Sendable {
  /// The load index of the revision at each position: the graph's topological order.
  let order: [RevisionGraph.Index]
  /// The position of each revision, by load index (the inverse of `order`).
  let position: [Int32]
  /// Versioned parents, in declared order.
  let parents: Adjacency
  /// Resolved dependencies, in declared order.
  let dependencies: Adjacency
  /// Parents, then normalised dependencies (``RevisionGraph``'s `effectiveParents(of:)`).
  let effectiveParents: Adjacency
  /// Versioned children, in position order (not load order).
  let children: Adjacency
  /// Dependents, in position order (not load order).
  let dependents: Adjacency

  /// Renumbers the relations of a graph whose topological order is `order`.
  ///
  /// - Parameters:
  ///   - order: Every load index once, parents and dependencies before their children.
  ///   - position: The inverse of `order`.
  /// - Complexity: O(*v* + *e*). Renumbering the parents is the one pass that jumps through
  ///   memory; dependencies are few, and the rest is computed in the new numbering.
  init(order: [RevisionGraph.Index], position: [Int32], parents: Adjacency, dependencies: Adjacency) {
    self.order = order
    self.position = position
    self.parents = parents.permuted(order: order, position: position)
    self.dependencies = dependencies.permutedSparse(order: order, position: position)
    children = self.parents.reversed(nodeCount: order.count)
    dependents = self.dependencies.reversed(nodeCount: order.count)
    effectiveParents = Self.effectiveParents(self.parents, children, self.dependencies, dependents)
  }

  /// Alembic's effective parents: versioned parents, then the dependencies that no proper
  /// versioned ancestor already depends on (its "normalised" dependencies), duplicates removed.
  ///
  /// Only a dependency shared by several dependents can be dropped, so only those are
  /// examined: one multi-source walk down the versioned children of its other dependents.
  static func effectiveParents(
    _ parents: Adjacency, _ children: Adjacency, _ dependencies: Adjacency, _ dependents: Adjacency
  ) -> Adjacency {
    let n = parents.nodeCount
    // dropped[(revision, dependency)] when a proper versioned ancestor of revision also depends on it.
    var dropped = Set<Int64>()
    var mark = [Int32](repeating: -1, count: n)
    var stack = [Int32]()
    for x in 0..<Int32(n) where dependents.count(x) > 1 {
      // Proper versioned descendants of the dependents of x. Positions are a topological
      // order, so the walk never needs to pass the last dependent.
      stack.removeAll(keepingCapacity: true)
      let limit = dependents[x].max() ?? 0
      for a in dependents[x] { stack.append(contentsOf: children[a]) }
      while let node = stack.popLast() {
        if mark[Int(node)] == x || node > limit { continue }
        mark[Int(node)] = x
        stack.append(contentsOf: children[node])
      }
      for r in dependents[x] where mark[Int(r)] == x {
        dropped.insert(Int64(r) << 32 | Int64(x))
      }
    }
    var rows = Adjacency.Builder(rows: n, edges: parents.targets.count + dependencies.targets.count)
    for r in 0..<Int32(n) {
      for p in parents[r] { rows.append(p) }
      for d in dependencies[r] where !rows.currentRow.contains(d) {
        if !dropped.isEmpty && dropped.contains(Int64(r) << 32 | Int64(d)) { continue }
        rows.append(d)
      }
      rows.endRow()
    }
    return rows.adjacency
  }

  /// The inverse of a permutation of `0 ..< order.count`.
  static func inverse(of order: [RevisionGraph.Index]) -> [Int32] {
    var position = [Int32](repeating: 0, count: order.count)
    position.withUnsafeMutableBufferPointer { position in
      for (i, node) in order.enumerated() { position[Int(node)] = Int32(i) }
    }
    return position
  }

  /// The number of revisions.
  var count: Int { order.count }

  /// Whether no revision outside `members` (load indices) lies on a path, through parents and
  /// dependencies, between two members.
  /// - Complexity: O(*v* + *e*).
  func isConvex(_ members: NodeSet) -> Bool {
    if members.count == count { return true }
    let isMember = order.map { members[$0] }
    // memberBelow[x]: some proper ancestor of x is a member. Positions are a topological order.
    var memberBelow = [Bool](repeating: false, count: count)
    for x in 0..<Int32(count) {
      for p in parents[x] where isMember[Int(p)] || memberBelow[Int(p)] { memberBelow[Int(x)] = true }
      for d in dependencies[x] where isMember[Int(d)] || memberBelow[Int(d)] { memberBelow[Int(x)] = true }
    }
    var memberAbove = [Bool](repeating: false, count: count)
    for x in (0..<Int32(count)).reversed() {
      for c in children[x] where isMember[Int(c)] || memberAbove[Int(c)] { memberAbove[Int(x)] = true }
      for c in dependents[x] where isMember[Int(c)] || memberAbove[Int(c)] { memberAbove[Int(x)] = true }
      if !isMember[Int(x)] && memberAbove[Int(x)] && memberBelow[Int(x)] { return false }
    }
    return true
  }
}
