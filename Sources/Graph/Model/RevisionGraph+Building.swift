extension RevisionGraph {
  /// Identifiers that mean something else in a target and so cannot name a revision or label.
  static let reservedNames: Set<String> = ["base", "head", "heads", "current"]
  /// Characters a revision id may not contain (they are target syntax).
  static let illegalIDCharacters: [Character] = ["+", "-", ":", "@"]

  /// Builds and validates a graph from records in load order.
  ///
  /// - Parameter records: The revisions, in the order their files were read.
  /// - Throws: ``GraphError`` — `invalidScript` for a bad id or header value,
  ///   `duplicateRevision`, `labelConflict`, `missingRevision`, `cycle`, `dependencyCycle`.
  /// - Complexity: O(*v* + *e*) plus, for each label, its branch; and for each revision that is
  ///   depended upon by several revisions, the descendants of those dependents.
  public init(records: [RevisionRecord]) throws {
    let n = records.count
    for i in records.indices {
      try Self.validate(records, at: i)
    }
    var duplicates = [String: [String]]()
    let idTable = IDTable(records: records) { later, first in
      duplicates[records[later].id, default: [records[Int(first)].path]].append(records[later].path)
    }
    let indexByID = { (id: String) in idTable.index(of: id) }
    if let (id, paths) = duplicates.min(by: { $0.key < $1.key }) {
      throw GraphError.duplicateRevision(id: id, paths: paths)
    }

    // Branch labels share one namespace with revision ids.
    var labelOwner = [String: Index]()
    var labelNames = [String]()
    // The revisions that declare labels, in load order, each with its labels (indices into labelNames).
    var declaredLabels = [(owner: Index, labels: [Int32])]()
    for i in records.indices where !records[i].branchLabels.isEmpty {
      var own = [Int32]()
      for label in records[i].branchLabels where !own.contains(where: { labelNames[Int($0)] == label }) {
        if let owner = indexByID(label) ?? labelOwner[label] {
          let what = indexByID(label) != nil ? "the id of revision \(label)" : "revision \(records[Int(owner)].id)"
          throw GraphError.labelConflict(
            label: label, revision: records[i].id, location: records[i].location(of: "branch_labels"), usedBy: what)
        }
        labelOwner[label] = Index(i)
        own.append(Int32(labelNames.count))
        labelNames.append(label)
      }
      declaredLabels.append((Index(i), own))
    }

    var parentRows = Adjacency.Builder(rows: n, edges: n)
    var dependencyRows = Adjacency.Builder(rows: n)
    for i in records.indices {
      for parent in records[i].downRevisions {
        guard let p = indexByID(parent) else {
          if let owner = labelOwner[parent] {
            throw GraphError.invalidScript(
              location: records[i].location(of: "down_revision"),
              reason: "down_revision names branch label '\(parent)'; down_revision must list revision ids"
                + " (the label belongs to revision \(records[Int(owner)].id))")
          }
          throw GraphError.missingRevision(
            id: parent, referencedBy: records[i].id, field: "down_revision",
            location: records[i].location(of: "down_revision"))
        }
        parentRows.append(p)
      }
      parentRows.endRow()
      for dependency in records[i].dependsOn {
        guard let d = indexByID(dependency) ?? labelOwner[dependency] else {
          throw GraphError.missingRevision(
            id: dependency, referencedBy: records[i].id, field: "depends_on",
            location: records[i].location(of: "depends_on"))
        }
        if d == Index(i) {
          throw GraphError.dependencyCycle(path: [records[i].id, records[i].id])
        }
        if !dependencyRows.currentRow.contains(d) { dependencyRows.append(d) }
      }
      dependencyRows.endRow()
    }
    let parents = parentRows.adjacency
    let dependencies = dependencyRows.adjacency
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

    self.records = records
    self.idTable = idTable
    self.labelOwner = labelOwner
    self.labelNames = labelNames
    self.parents = parents
    self.dependencies = dependencies
    self.children = children
    self.dependents = dependents
    self.topologicalOrder = topological
    self.layout = TopologicalLayout(
      order: topological, position: TopologicalLayout.inverse(of: topological), parents: parents,
      dependencies: dependencies)
    var heads = [Index](), realHeads = [Index](), bases = [Index](), realBases = [Index]()
    for i in 0..<Index(n) {
      if children.count(i) == 0 { heads.append(i) }
      if children.count(i) == 0 && dependents.count(i) == 0 { realHeads.append(i) }
      if parents.count(i) == 0 { bases.append(i) }
      if parents.count(i) == 0 && dependencies.count(i) == 0 { realBases.append(i) }
    }
    self.heads = heads
    self.realHeads = realHeads
    self.bases = bases
    self.realBases = realBases
    self.propagatedLabels = Self.propagateLabels(declaredLabels, layout)

    var keys = [Key]()
    keys.reserveCapacity(n + labelNames.count)
    for i in records.indices { keys.append(Key(text: records[i].id, node: Index(i), rank: i)) }
    for (j, label) in labelNames.enumerated() {
      keys.append(Key(text: label, node: labelOwner[label] ?? 0, rank: n + j))
    }
    // For ASCII (nearly every history) String order is byte order, and memcmp is much cheaper.
    if keys.allSatisfy({ IDTable.isASCII($0.text) }) {
      keys.sort { RevisionLoader.codePointOrder($0.text, $1.text) }
    } else {
      keys.sort { $0.text < $1.text }
    }
    self.sortedKeys = keys
    var idRank = [Int32](repeating: 0, count: n)
    var rank: Int32 = 0
    for key in keys where key.rank < n {
      idRank[Int(key.node)] = rank
      rank += 1
    }
    self.idRank = idRank
  }

  /// Checks one record on its own: id syntax, self references, repeated parents, label names.
  ///
  /// Takes the array and a position so that fields are read in place: passing
  /// `records[i]` copied the whole record (eight retains and releases) at every call.
  static func validate(_ records: [RevisionRecord], at i: Int) throws {
    let id = records[i].id
    // Only errors need the location, and building it formats a string.
    var at: String { records[i].location(of: "revision") }
    if id.isEmpty {
      throw GraphError.invalidScript(location: at, reason: "the revision id is empty")
    }
    // Most ids are plain ASCII words: one pass over the bytes tells that nothing below applies.
    let isPlainByte = { (byte: UInt8) in
      byte > 0x20 && byte < 0x7F && byte != 0x2B && byte != 0x2D && byte != 0x3A && byte != 0x40
    }
    let isPlain =
      id.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(isPlainByte) } ?? id.utf8.allSatisfy(isPlainByte)
    let illegal = isPlain ? [] : Set(id.filter { illegalIDCharacters.contains($0) }).sorted()
    if !illegal.isEmpty {
      let list = illegal.map(String.init).joined(separator: ", ")
      throw GraphError.invalidScript(
        location: at,
        reason: "revision id '\(id)' contains '\(list)'; ids may not contain @ - + : (they are target syntax)")
    }
    if !isPlain && id.contains(where: { $0.isWhitespace }) {
      throw GraphError.invalidScript(location: at, reason: "revision id '\(id)' contains white space")
    }
    // A plain id equal to a reserved word has its bytes, and the longest is 7 bytes ("current").
    if (!isPlain || id.utf8.count <= 7) && reservedNames.contains(id) {
      throw GraphError.invalidScript(
        location: at, reason: "'\(id)' is a reserved word in targets and cannot be a revision id")
    }
    if records[i].downRevisions.contains(id) {
      throw GraphError.cycle(path: [id, id])
    }
    // Merges list two or three parents: compare pairwise rather than hashing.
    let parents = records[i].downRevisions
    for (k, parent) in parents.enumerated() where parents[..<k].contains(parent) {
      throw GraphError.invalidScript(
        location: records[i].location(of: "down_revision"),
        reason: "down_revision lists '\(parent)' twice; list each parent once")
    }
    for label in records[i].branchLabels {
      if label.isEmpty || reservedNames.contains(label)
        || label.contains(where: { "@:".contains($0) || $0.isWhitespace })
      {
        throw GraphError.invalidScript(
          location: records[i].location(of: "branch_labels"),
          reason: "'\(label)' cannot be a branch label (it must be non-empty, not one of base/head/heads/current,"
            + " and contain no '@', ':' or white space)")
      }
    }
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
