extension RevisionGraph {
  /// Alembic's effective parents: versioned parents, then the dependencies that no proper
  /// versioned ancestor already depends on (its "normalised" dependencies), duplicates removed.
  ///
  /// Only a dependency shared by several dependents can be dropped, so only those are
  /// examined: one multi-source walk down the versioned children of its other dependents.
  static func effectiveParents(
    _ n: Int, _ parents: Adjacency, _ children: Adjacency, _ dependencies: Adjacency,
    _ dependents: Adjacency, position: [Int32]
  ) -> Adjacency {
    // A walk towards a dependent never needs to pass the last of them in topological order
    // (`position`: each revision's place in it).
    // dropped[(revision, dependency)] when a proper versioned ancestor of revision also depends on it.
    var dropped = Set<Int64>()
    var mark = [Int32](repeating: -1, count: n)
    var stack = [Index]()
    for x in 0..<Index(n) where dependents.count(x) > 1 {
      // Proper versioned descendants of the dependents of x.
      stack.removeAll(keepingCapacity: true)
      let limit = dependents[x].map { position[Int($0)] }.max() ?? 0
      for a in dependents[x] { stack.append(contentsOf: children[a]) }
      while let node = stack.popLast() {
        if mark[Int(node)] == x || position[Int(node)] > limit { continue }
        mark[Int(node)] = x
        stack.append(contentsOf: children[node])
      }
      for r in dependents[x] where mark[Int(r)] == x {
        dropped.insert(Int64(r) << 32 | Int64(x))
      }
    }
    var rows = Adjacency.Builder(rows: n, edges: parents.targets.count + dependencies.targets.count)
    for r in 0..<Index(n) {
      for p in parents[r] { rows.append(p) }
      for d in dependencies[r] where !rows.currentRow.contains(d) {
        if !dropped.isEmpty && dropped.contains(Int64(r) << 32 | Int64(d)) { continue }
        rows.append(d)
      }
      rows.endRow()
    }
    return rows.adjacency
  }

  /// Alembic's branch-label propagation.
  ///
  /// Each declared label goes to every versioned descendant of its revision. When those
  /// descendants form a single chain, the label also flows towards the base from the chain's
  /// end, stopping before the first revision that has several children (counting dependents)
  /// or several parents.
  static func propagateLabels(
    _ n: Int, _ declared: [[Int32]], _ parents: Adjacency, _ children: Adjacency,
    _ dependents: Adjacency
  ) -> Adjacency {
    var labels = [[Int32]](repeating: [], count: n)
    var mark = [Int32](repeating: -1, count: n)
    var stack = [Index]()
    var stamp: Int32 = 0
    // Owners in load order give labels in registration order, so each list stays sorted;
    // `mark` makes every revision take an owner's labels once.
    for owner in 0..<Index(n) where !declared[Int(owner)].isEmpty {
      let own = declared[Int(owner)]
      stamp += 1
      stack = [owner]
      var isChain = true
      var last = owner
      while let node = stack.popLast() {
        if mark[Int(node)] == stamp { continue }
        mark[Int(node)] = stamp
        labels[Int(node)].append(contentsOf: own)
        if children.count(node) > 1 { isChain = false }
        last = node
        stack.append(contentsOf: children[node])
      }
      // With a branching subtree the walk towards the base stops inside it (nothing new).
      guard isChain else { continue }
      var node = last
      while distinctChildCount(node, children, dependents) <= 1 && parents.count(node) <= 1 {
        if mark[Int(node)] != stamp {
          mark[Int(node)] = stamp
          labels[Int(node)].append(contentsOf: own)
        }
        guard let parent = parents[node].first else { break }
        node = parent
      }
    }
    return Adjacency(labels)
  }

  /// Children and dependents together, a revision that is both counted once (Alembic's
  /// `_all_nextrev` is a set).
  static func distinctChildCount(_ node: Index, _ children: Adjacency, _ dependents: Adjacency) -> Int {
    children.count(node) + dependents[node].filter { !children[node].contains($0) }.count
  }
}
