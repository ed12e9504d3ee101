extension RevisionGraph {
  /// Checks the graph's internal consistency; for tests (a violation is a bug in revgraph).
  public func checkInvariants() {
    precondition(children.nodeCount == count && parents.nodeCount == count)
    var position = [Int](repeating: -1, count: count)
    for (i, node) in topologicalOrder.enumerated() { position[Int(node)] = i }
    precondition(!position.contains(-1), "topological order misses revisions")
    for node in 0..<Index(count) {
      for p in parents[node] {
        precondition(position[Int(p)] < position[Int(node)], "parent after child")
        precondition(children[p].contains(node), "child link missing")
      }
      for d in dependencies[node] {
        precondition(position[Int(d)] < position[Int(node)], "dependency after dependent")
        precondition(dependents[d].contains(node), "dependent link missing")
      }
      precondition(Array(effectiveParents(of: node).prefix(parents.count(node))) == Array(parents[node]))
    }
    precondition(heads == (0..<Index(count)).filter { children.count($0) == 0 })
    precondition(sortedKeys.count == count + labelNames.count)
  }
}
