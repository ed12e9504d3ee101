extension RevisionGraph {
  /// Graphs at least this large are built on two threads (see ``inParallel(_:_:_:)``).
  static let parallelThreshold = 1 << 15

  /// Builds and validates a graph from records in load order.
  ///
  /// - Parameter records: The revisions, in the order their files were read.
  /// - Throws: ``GraphError`` — `invalidScript` for a bad id or header value,
  ///   `duplicateRevision`, `labelConflict`, `missingRevision`, `cycle`, `dependencyCycle`.
  /// - Complexity: O(*v* + *e*) plus, for each label, its branch; and for each revision that is
  ///   depended upon by several revisions, the descendants of those dependents.
  public init(records: [RevisionRecord]) throws {
    try self.init(records: records, parallelThreshold: Self.parallelThreshold)
  }

  /// ``init(records:)``, on two threads from `parallelThreshold` revisions on (tests use 0).
  init(records: [RevisionRecord], parallelThreshold: Int) throws {
    let n = records.count
    // Large graphs are built on two threads; each stage waits for both halves before it
    // throws, so the error is always the one the stages would throw one after the other.
    let parallel = n >= parallelThreshold
    let (invalid, indexed) = inParallel(
      parallel, { Self.firstInvalidRecord(records) },
      {
        var duplicates = [String: [String]]()
        let table = IDTable(records: records) { later, first in
          duplicates[records[later].id, default: [records[Int(first)].path]].append(records[later].path)
        }
        return (table, duplicates)
      })
    if let invalid { throw invalid }
    let (idTable, duplicates) = indexed
    if let (id, paths) = duplicates.min(by: { $0.key < $1.key }) {
      let declaring = paths.compactMap { path in records.first { $0.path == path && $0.id == id } }
      throw GraphError.duplicateRevision(id: id, paths: paths, sameMerge: GraphError.isSameMerge(declaring))
    }

    // Branch labels share one namespace with revision ids.
    var labelOwner = [String: Index]()
    var labelNames = [String]()
    // The revisions that declare labels, in load order, each with its labels (indices into labelNames).
    var declaredLabels = [(owner: Index, labels: [Int32])]()
    for i in records.indices where !records[i].branchLabels.isEmpty {
      var own = [Int32]()
      for label in records[i].branchLabels where !own.contains(where: { labelNames[Int($0)] == label }) {
        if let owner = idTable.index(of: label) ?? labelOwner[label] {
          let what =
            idTable.index(of: label) != nil ? "the id of revision \(label)" : "revision \(records[Int(owner)].id)"
          throw GraphError.labelConflict(
            label: label, revision: records[i].id, location: records[i].location(of: "branch_labels"), usedBy: what)
        }
        labelOwner[label] = Index(i)
        own.append(Int32(labelNames.count))
        labelNames.append(label)
      }
      declaredLabels.append((Index(i), own))
    }

    // Links of the first and second half of the records, each half's first error kept.
    let owners = labelOwner, half = parallel ? n / 2 : n
    let (front, back) = inParallel(
      parallel, { Result { try Self.links(records, 0..<half, idTable, owners) } },
      { Result { try Self.links(records, half..<n, idTable, owners) } })
    let (frontParents, frontDependencies) = try front.get()
    let (backParents, backDependencies) = try back.get()
    let parents = frontParents.appending(backParents)
    let dependencies = frontDependencies.appending(backDependencies)

    let (derived, keys) = inParallel(
      parallel, { [declaredLabels] in Result { try Self.structure(records, parents, dependencies, declaredLabels) } },
      { [labelNames] in Self.sortedKeys(records, labelNames, owners) })
    let structure = try derived.get()

    self.records = records
    self.idTable = idTable
    self.labelOwner = labelOwner
    self.labelNames = labelNames
    self.parents = parents
    self.dependencies = dependencies
    self.children = structure.children
    self.dependents = structure.dependents
    self.topologicalOrder = structure.topologicalOrder
    self.layout = structure.layout
    self.heads = structure.heads
    self.realHeads = structure.realHeads
    self.bases = structure.bases
    self.realBases = structure.realBases
    self.propagatedLabels = structure.propagatedLabels
    self.sortedKeys = keys.keys
    self.idRank = keys.idRank
  }

  /// The `down_revision` and `depends_on` links of `records[range]`, resolved to indices: one
  /// row per record of the range.
  ///
  /// - Throws: For the first record of the range with a bad link: ``GraphError/missingRevision(id:referencedBy:field:location:)``,
  ///   ``GraphError/invalidScript(location:reason:)`` for a `down_revision` that names a label,
  ///   ``GraphError/dependencyCycle(path:)`` for a revision that depends on itself.
  static func links(
    _ records: [RevisionRecord], _ range: Range<Int>, _ idTable: IDTable, _ labelOwner: [String: Index]
  ) throws -> (parents: Adjacency, dependencies: Adjacency) {
    var parentRows = Adjacency.Builder(rows: range.count, edges: range.count)
    var dependencyRows = Adjacency.Builder(rows: range.count)
    for i in range {
      for parent in records[i].downRevisions {
        guard let p = idTable.index(of: parent) else {
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
        guard let d = idTable.index(of: dependency) ?? labelOwner[dependency] else {
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
    return (parentRows.adjacency, dependencyRows.adjacency)
  }

  /// Revision ids and declared labels sorted by text (``sortedKeys``), and each revision's rank
  /// among the ids (``idRank``).
  static func sortedKeys(
    _ records: [RevisionRecord], _ labelNames: [String], _ labelOwner: [String: Index]
  ) -> (keys: [Key], idRank: [Int32]) {
    let n = records.count
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
    var idRank = [Int32](repeating: 0, count: n)
    var rank: Int32 = 0
    for key in keys where key.rank < n {
      idRank[Int(key.node)] = rank
      rank += 1
    }
    return (keys, idRank)
  }
}
