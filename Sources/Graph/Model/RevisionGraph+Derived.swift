extension RevisionGraph {
  /// Alembic's effective parents: versioned parents, then the dependencies that no proper
  /// versioned ancestor already depends on (its "normalised" dependencies), duplicates removed.
  ///
  /// Only a dependency shared by several dependents can be dropped, so only those are
  /// examined: one multi-source walk down the versioned children of its other dependents.
  static func effectiveParents(
    _ n: Int, _ parents: Adjacency, _ children: Adjacency, _ dependencies: Adjacency,
    _ dependents: Adjacency
  ) -> Adjacency {
    // dropped[(revision, dependency)] when a proper versioned ancestor of revision also depends on it.
    var dropped = Set<Int64>()
    var mark = [Int32](repeating: -1, count: n)
    var stack = [Index]()
    for x in 0..<Index(n) where dependents.count(x) > 1 {
      // Proper versioned descendants of the dependents of x.
      stack.removeAll(keepingCapacity: true)
      for a in dependents[x] { stack.append(contentsOf: children[a]) }
      while let node = stack.popLast() {
        if mark[Int(node)] == x { continue }
        mark[Int(node)] = x
        stack.append(contentsOf: children[node])
      }
      for r in dependents[x] where mark[Int(r)] == x {
        dropped.insert(Int64(r) << 32 | Int64(x))
      }
    }
    var lists = [[Index]]()
    lists.reserveCapacity(n)
    for r in 0..<Index(n) {
      var list = Array(parents[r])
      for d in dependencies[r] where !dropped.contains(Int64(r) << 32 | Int64(d)) && !list.contains(d) {
        list.append(d)
      }
      lists.append(list)
    }
    return Adjacency(lists)
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
    for owner in 0..<Index(n) where !declared[Int(owner)].isEmpty {
      let own = declared[Int(owner)]
      stamp += 1
      stack = [owner]
      var isChain = true
      var last = owner
      while let node = stack.popLast() {
        if mark[Int(node)] == stamp { continue }
        mark[Int(node)] = stamp
        for label in own where !labels[Int(node)].contains(label) { labels[Int(node)].append(label) }
        if children.count(node) > 1 { isChain = false }
        last = node
        stack.append(contentsOf: children[node])
      }
      // With a branching subtree the walk towards the base stops inside it (nothing new).
      guard isChain else { continue }
      var node = last
      while children.count(node) + dependents.count(node) <= 1 && parents.count(node) <= 1 {
        for label in own where !labels[Int(node)].contains(label) { labels[Int(node)].append(label) }
        guard let parent = parents[node].first else { break }
        node = parent
      }
    }
    // Registration order: sort each list by label index.
    return Adjacency(labels.map { $0.sorted() })
  }
}
