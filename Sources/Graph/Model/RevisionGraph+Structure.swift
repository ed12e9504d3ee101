extension RevisionGraph {
  /// What the build derives from the resolved links: the reverse relations, a topological
  /// order and the layout numbered by it, the shape (heads and bases) and the labels.
  struct Structure: Sendable {
    var children: Adjacency
    var dependents: Adjacency
    var topologicalOrder: [Index]
    var layout: TopologicalLayout
    var heads: [Index] = []
    var realHeads: [Index] = []
    var bases: [Index] = []
    var realBases: [Index] = []
    var propagatedLabels: Adjacency
  }

  /// Derives the graph's structure from its links.
  ///
  /// - Parameter declaredLabels: The revisions that declare labels, in load order, with their
  ///   labels (indices into the label names).
  /// - Throws: ``GraphError/cycle(path:)`` or ``GraphError/dependencyCycle(path:)``.
  static func structure(
    _ records: [RevisionRecord], _ parents: Adjacency, _ dependencies: Adjacency,
    _ declaredLabels: [(owner: Index, labels: [Int32])]
  ) throws -> Structure {
    let n = records.count
    let children = parents.reversed(nodeCount: n)
    let dependents = dependencies.reversed(nodeCount: n)

    // A cycle of down_revisions is reported as such: when all links together have a cycle,
    // the versioned links alone are checked first. (Without a cycle among all links there is
    // none among the versioned ones, so one sort is enough for a valid history.)
    let topological: [Index]
    do {
      topological = try Self.topologicalOrder(n, parents, children, dependencies, dependents) { path in
        GraphError.dependencyCycle(path: path.map { records[Int($0)].id })
      }
    } catch {
      _ = try Self.topologicalOrder(n, parents, children, nil, nil) { path in
        GraphError.cycle(path: path.map { records[Int($0)].id })
      }
      throw error
    }
    let layout = TopologicalLayout(
      order: topological, position: TopologicalLayout.inverse(of: topological), parents: parents,
      dependencies: dependencies)
    var structure = Structure(
      children: children, dependents: dependents, topologicalOrder: topological, layout: layout,
      propagatedLabels: Self.propagateLabels(declaredLabels, layout))
    for i in 0..<Index(n) {
      if children.count(i) == 0 { structure.heads.append(i) }
      if children.count(i) == 0 && dependents.count(i) == 0 { structure.realHeads.append(i) }
      if parents.count(i) == 0 { structure.bases.append(i) }
      if parents.count(i) == 0 && dependencies.count(i) == 0 { structure.realBases.append(i) }
    }
    return structure
  }

  /// Kahn's algorithm; on a cycle, throws the error made from one cycle path.
  /// - Complexity: O(*v* + *e*).
  static func topologicalOrder(
    _ n: Int, _ parents: Adjacency, _ children: Adjacency, _ dependencies: Adjacency?,
    _ dependents: Adjacency?, cycleError: ([Index]) -> GraphError
  ) throws -> [Index] {
    var pending = [Int32](repeating: 0, count: n)
    for i in 0..<n {
      pending[i] = Int32(parents.count(Index(i)) + (dependencies?.count(Index(i)) ?? 0))
    }
    var order = [Index]()
    order.reserveCapacity(n)
    for i in 0..<n where pending[i] == 0 { order.append(Index(i)) }
    var head = 0
    while head < order.count {
      let node = order[head]
      head += 1
      for child in children[node] {
        pending[Int(child)] -= 1
        if pending[Int(child)] == 0 { order.append(child) }
      }
      if let dependents {
        for child in dependents[node] {
          pending[Int(child)] -= 1
          if pending[Int(child)] == 0 { order.append(child) }
        }
      }
    }
    guard order.count < n else { return order }
    // Every node left has a parent that is left too: walk parents until one repeats.
    var position = [Int32](repeating: -1, count: n)
    var walk = [Index]()
    var node = Index(pending.firstIndex { $0 > 0 } ?? 0)
    while position[Int(node)] < 0 {
      position[Int(node)] = Int32(walk.count)
      walk.append(node)
      let next =
        parents[node].first { pending[Int($0)] > 0 }
        ?? dependencies?[node].first { pending[Int($0)] > 0 }
      guard let next else { break }
      node = next
    }
    // walk[position[node]...] is the cycle, child to parent; report it parent to child.
    var cycle = Array(walk[Int(position[Int(node)])...].reversed())
    // Start at the smallest index so the same cycle is always reported the same way.
    if let smallest = cycle.indices.min(by: { cycle[$0] < cycle[$1] }) {
      cycle = Array(cycle[smallest...] + cycle[..<smallest])
    }
    if let first = cycle.first { cycle.append(first) }
    throw cycleError(cycle)
  }
}
