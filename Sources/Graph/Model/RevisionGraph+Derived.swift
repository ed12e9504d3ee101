extension RevisionGraph {
  /// Alembic's branch-label propagation.
  ///
  /// Each declared label goes to every versioned descendant of its revision. When those
  /// descendants form a single chain, the label also flows towards the base from the chain's
  /// end, stopping before the first revision that has several children (counting dependents)
  /// or several parents.
  ///
  /// - Parameters:
  ///   - declared: The revisions that declare labels, in load order, with their labels.
  ///   - layout: The relations, walked in topological numbering (a branch's revisions lie
  ///     close together there).
  /// - Returns: Each revision's labels (by load index), in registration order. Built as one
  ///   flat list of (revision, owner) pairs sorted by revision at the end: a list per
  ///   revision costs an allocation for each of a million revisions.
  static func propagateLabels(_ declared: [(owner: Index, labels: [Int32])], _ layout: TopologicalLayout) -> Adjacency {
    let n = layout.count
    let parents = layout.parents, children = layout.children, dependents = layout.dependents
    // receivers[k] (a position) takes the labels of declared[owners[k]]. Owners in load order
    // give labels in registration order, and the sort below is stable, so each revision's
    // list stays sorted.
    var receivers = [Int32]()
    var owners = [Int32]()
    var mark = [Int32](repeating: -1, count: n)
    var stack = [Int32]()
    for (k, (owner, _)) in declared.enumerated() {
      // `mark` makes every revision take an owner's labels once.
      let stamp = Int32(k)
      stack = [layout.position[Int(owner)]]
      var isChain = true
      var last = stack[0]
      while let node = stack.popLast() {
        if mark[Int(node)] == stamp { continue }
        mark[Int(node)] = stamp
        receivers.append(node)
        owners.append(stamp)
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
          receivers.append(node)
          owners.append(stamp)
        }
        guard let parent = parents[node].first else { break }
        node = parent
      }
    }
    // Counting sort of the pairs by revision (load index).
    for k in receivers.indices { receivers[k] = layout.order[Int(receivers[k])] }
    var offsets = [Int32](repeating: 0, count: n + 1)
    for (k, node) in receivers.enumerated() { offsets[Int(node) + 1] += Int32(declared[Int(owners[k])].labels.count) }
    for i in 0..<n { offsets[i + 1] += offsets[i] }
    var fill = offsets
    var targets = [Int32](repeating: 0, count: Int(offsets[n]))
    for (k, node) in receivers.enumerated() {
      for label in declared[Int(owners[k])].labels {
        targets[Int(fill[Int(node)])] = label
        fill[Int(node)] += 1
      }
    }
    return Adjacency(offsets: offsets, targets: targets)
  }

  /// Children and dependents together, a revision that is both counted once (Alembic's
  /// `_all_nextrev` is a set).
  static func distinctChildCount(_ node: Int32, _ children: Adjacency, _ dependents: Adjacency) -> Int {
    var count = children.count(node)
    for d in dependents[node] where !children[node].contains(d) { count += 1 }
    return count
  }
}
