/// A set of revision indices with O(1) membership, sized for one graph.
struct NodeSet: Sendable {
  private(set) var contains: [Bool]
  private(set) var members: [RevisionGraph.Index] = []

  init(count: Int) { contains = [Bool](repeating: false, count: count) }

  /// Every revision of a graph of `count` revisions, in index order.
  static func all(count: Int) -> NodeSet {
    var set = NodeSet(count: 0)
    set.contains = [Bool](repeating: true, count: count)
    set.members = Array(0..<RevisionGraph.Index(count))
    return set
  }

  subscript(node: RevisionGraph.Index) -> Bool { contains[Int(node)] }

  @discardableResult
  mutating func insert(_ node: RevisionGraph.Index) -> Bool {
    if contains[Int(node)] { return false }
    contains[Int(node)] = true
    members.append(node)
    return true
  }

  var isEmpty: Bool { members.isEmpty }
  var count: Int { members.count }
}

extension RevisionGraph {
  /// Which links a walk follows.
  enum Links {
    /// `down_revision` links only.
    case versioned
    /// `down_revision` and `depends_on` links.
    case all
  }

  /// The revisions reachable from `starts` towards the bases, the starts included.
  /// - Complexity: O(*v* + *e*) over the revisions reached.
  func ancestors<S: Sequence>(of starts: S, _ links: Links) -> NodeSet where S.Element == Index {
    var set = NodeSet(count: count)
    var stack = Array(starts)
    while let node = stack.popLast() {
      guard set.insert(node) else { continue }
      stack.append(contentsOf: parents[node])
      if links == .all { stack.append(contentsOf: dependencies[node]) }
    }
    return set
  }

  /// The revisions reachable from `starts` towards the heads, the starts included.
  /// - Complexity: O(*v* + *e*) over the revisions reached.
  func descendants<S: Sequence>(of starts: S, _ links: Links) -> NodeSet where S.Element == Index {
    var set = NodeSet(count: count)
    var stack = Array(starts)
    while let node = stack.popLast() {
      guard set.insert(node) else { continue }
      stack.append(contentsOf: children[node])
      if links == .all { stack.append(contentsOf: dependents[node]) }
    }
    return set
  }

  /// The revisions that share lineage with `node`: its ancestors and descendants.
  func lineage(of node: Index, _ links: Links = .versioned) -> NodeSet {
    var set = ancestors(of: [node], links)
    let down = descendants(of: [node], links)
    for member in down.members { set.insert(member) }
    return set
  }

  /// The members of `set` that no other member reaches (its tips), in load order.
  /// `set` must be closed under the followed links towards the bases.
  func tips(of set: NodeSet, _ links: Links) -> [Index] {
    set.members.filter { node in
      !children[node].contains { set[$0] } && !(links == .all && dependents[node].contains { set[$0] })
    }.sorted()
  }
}
