extension DOTScene {
  /// Whether a drawn revision may disappear into a folded run: one parent and one child,
  /// both drawn, nothing depends on it either way, no declared label, no missing
  /// reference, not a version-table row.
  func isFoldable(_ node: Index) -> Bool {
    let parents = graph.parentIndices(node), children = graph.childIndices(node)
    return parents.count == 1 && children.count == 1 && selected[Int(parents[0])] && selected[Int(children[0])]
      && graph.dependencyIndices(node).isEmpty && graph.dependents[node].isEmpty
      && graph.record(node).branchLabels.isEmpty && missingByNode[node] == nil
      && !(state?.isRow[Int(node)] ?? false)
  }

  /// Finds maximal chains of foldable revisions with one applied state and folds those
  /// longer than `limit`.
  /// - Complexity: O(*v*).
  mutating func foldRuns(longerThan limit: Int) {
    let foldable = (0..<Index(graph.count)).map { selected[Int($0)] && isFoldable($0) }
    func continues(_ from: Index, _ to: Index) -> Bool {
      foldable[Int(to)] && isFilled(from) == isFilled(to)
    }
    for node in order where foldable[Int(node)] {
      let parent = graph.parentIndices(node)[0]
      if foldable[Int(parent)] && continues(parent, node) { continue }
      var run = [node]
      var last = node
      while case let child = graph.childIndices(last)[0], continues(last, child) {
        run.append(child)
        last = child
      }
      guard run.count > limit else { continue }
      for member in run { runOf[Int(member)] = Int32(runs.count) }
      runs.append(run)
    }
  }
}
