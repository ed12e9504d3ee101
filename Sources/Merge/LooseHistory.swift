import Graph

/// A revision graph built without validation, for reporting every problem at once.
///
/// Unlike ``RevisionGraph``, it accepts missing parents (the links are left out and
/// recorded), duplicate ids (the first file wins; later ones are recorded) and cycles (found
/// afterwards as strongly connected components). Nodes are record positions.
struct LooseHistory {
  let records: [RevisionRecord]
  /// The first record declaring each id.
  private(set) var indexByID: [String: Int] = [:]
  /// Records whose id an earlier record already declared.
  private(set) var duplicates: [Int] = []
  private(set) var parents: [[Int]]
  private(set) var dependencies: [[Int]]
  private(set) var children: [[Int]]
  /// Links to unknown revisions: (record, field, the id named).
  private(set) var missing: [(record: Int, field: String, id: String)] = []
  /// Records that list themselves in `depends_on`.
  private(set) var selfDependent: [Int] = []

  init(records: [RevisionRecord]) {
    self.records = records
    let n = records.count
    parents = Array(repeating: [], count: n)
    dependencies = Array(repeating: [], count: n)
    children = Array(repeating: [], count: n)
    var labelOwner: [String: Int] = [:]
    for (i, record) in records.enumerated() {
      if indexByID[record.id] == nil {
        indexByID[record.id] = i
        for label in record.branchLabels where labelOwner[label] == nil { labelOwner[label] = i }
      } else {
        duplicates.append(i)
      }
    }
    for (i, record) in records.enumerated() where indexByID[record.id] == i {
      for parent in record.downRevisions {
        guard let p = indexByID[parent] else {
          missing.append((i, "down_revision", parent))
          continue
        }
        if p != i && !parents[i].contains(p) {
          parents[i].append(p)
          children[p].append(i)
        }
      }
      for dependency in record.dependsOn {
        guard let d = indexByID[dependency] ?? labelOwner[dependency] else {
          missing.append((i, "depends_on", dependency))
          continue
        }
        if d == i {
          selfDependent.append(i)
        } else if !dependencies[i].contains(d) {
          dependencies[i].append(d)
        }
      }
    }
  }

  var count: Int { records.count }

  /// Whether a record is the one that declares its id (not a later duplicate).
  func isPrimary(_ i: Int) -> Bool { indexByID[records[i].id] == i }

  /// Revisions without versioned children (later duplicates left out), in load order.
  var heads: [Int] { (0..<count).filter { isPrimary($0) && children[$0].isEmpty } }

  /// Whether no revision depends on `i` either.
  func isRealHead(_ i: Int) -> Bool {
    children[i].isEmpty && !dependencies.contains { $0.contains(i) }
  }

  /// A mask of the revisions reachable from `starts` through `down_revision`, starts included.
  func ancestors<S: Sequence>(of starts: S) -> [Bool] where S.Element == Int {
    walk(starts) { parents[$0] }
  }

  /// A mask of the revisions built on `starts` through `down_revision`, starts included.
  func descendants<S: Sequence>(of starts: S) -> [Bool] where S.Element == Int {
    walk(starts) { children[$0] }
  }

  private func walk<S: Sequence>(_ starts: S, _ next: (Int) -> [Int]) -> [Bool] where S.Element == Int {
    var seen = [Bool](repeating: false, count: count)
    var stack = Array(starts)
    while let node = stack.popLast() {
      if seen[node] { continue }
      seen[node] = true
      stack.append(contentsOf: next(node))
    }
    return seen
  }

  /// The declared labels of a revision's versioned ancestors (itself included): for a head,
  /// exactly the labels Alembic propagates to it.
  func labels(reaching node: Int) -> Set<String> {
    let mask = ancestors(of: [node])
    var labels = Set<String>()
    for i in 0..<count where mask[i] { labels.formUnion(records[i].branchLabels) }
    return labels
  }

  // MARK: - Cycles

  /// Every cycle, as `a, b, …, a` (parent to child), through `down_revision` links only or
  /// through both kinds of link. A cycle already found through `down_revision` links is not
  /// reported again with dependencies.
  func cycles() -> (versioned: [[String]], withDependencies: [[String]]) {
    let versioned = components { parents[$0] }
    let all = components { parents[$0] + dependencies[$0] }
    let versionedNodes = Set(versioned.joined())
    return (
      versioned.map(cyclePath), all.filter { !$0.contains(where: versionedNodes.contains) }.map(cyclePath)
    )
  }

  /// Strongly connected components with more than one node (Tarjan, iterative).
  private func components(_ edges: (Int) -> [Int]) -> [[Int]] {
    var index = [Int](repeating: -1, count: count)
    var low = [Int](repeating: 0, count: count)
    var onStack = [Bool](repeating: false, count: count)
    var stack: [Int] = []
    var result: [[Int]] = []
    var counter = 0
    for root in 0..<count where index[root] < 0 {
      var work: [(node: Int, next: Int)] = [(root, 0)]
      index[root] = counter
      low[root] = counter
      counter += 1
      stack.append(root)
      onStack[root] = true
      while let (node, next) = work.last {
        let out = edges(node)
        if next < out.count {
          work[work.count - 1].next += 1
          let target = out[next]
          if index[target] < 0 {
            index[target] = counter
            low[target] = counter
            counter += 1
            stack.append(target)
            onStack[target] = true
            work.append((target, 0))
          } else if onStack[target] {
            low[node] = min(low[node], index[target])
          }
          continue
        }
        work.removeLast()
        if let parent = work.last?.node { low[parent] = min(low[parent], low[node]) }
        guard low[node] == index[node] else { continue }
        var component: [Int] = []
        while let member = stack.popLast() {
          onStack[member] = false
          component.append(member)
          if member == node { break }
        }
        if component.count > 1 { result.append(component.sorted()) }
      }
    }
    return result.sorted { $0[0] < $1[0] }
  }

  /// A path around a component, from its first node back to it, parent to child.
  private func cyclePath(_ component: [Int]) -> [String] {
    let members = Set(component)
    guard let start = component.first else { return [] }
    // Children within the component (a parent or dependency link seen from the other end).
    func next(_ node: Int) -> [Int] {
      component.filter { parents[$0].contains(node) || dependencies[$0].contains(node) }
    }
    var previous: [Int: Int] = [:]
    var queue = [start]
    var head = 0
    var closing: Int?
    while head < queue.count, closing == nil {
      let node = queue[head]
      head += 1
      for child in next(node) where members.contains(child) {
        if child == start {
          closing = node
          break
        }
        if previous[child] == nil {
          previous[child] = node
          queue.append(child)
        }
      }
    }
    var path = [start]
    var node = closing ?? start
    while node != start, let before = previous[node] {
      path.append(node)
      node = before
    }
    let ids = ([start] + path.dropFirst().reversed()).map { records[$0].id }
    return ids + [records[start].id]
  }
}
