/// A validated, immutable history of revisions.
///
/// Revisions are interned to dense indices in load order (the order the loader read the
/// files, which is also the order Alembic uses for every tie-break). Every relation is a
/// compact adjacency list over those indices, and everything that does not depend on a
/// question (heads, bases, label propagation, the prefix index) is computed once here.
/// The relations are also kept renumbered in topological order (`TopologicalLayout`), where
/// the walks that visit most of the history find a line's revisions close together; they
/// translate back to indices in load order, which is all the public API ever sees.
///
/// Any `RevisionGraph` that exists is valid: ``init(records:)`` rejects duplicate ids,
/// unknown parents and dependencies, cycles and label clashes.
///
/// ## Topics
/// - Building: ``init(records:)``
/// - Revisions: ``count``, ``record(_:)``, ``index(of:)``, ``id(_:)``
/// - Shape: ``heads``, ``realHeads``, ``bases``, ``realBases``
public struct RevisionGraph: Sendable {
  /// A revision's position in load order.
  public typealias Index = Int32

  /// The records, in load order; a revision's index is its position here.
  public let records: [RevisionRecord]
  /// Revision ids to indices.
  let idTable: IDTable
  /// Declared branch labels, each with the revision that declared it, in registration order.
  let labelOwner: [String: Index]
  let labelNames: [String]

  /// Versioned parents (`down_revision`), duplicates removed, declared order.
  let parents: Adjacency
  /// Resolved dependencies (`depends_on`, labels resolved to ids), declared order.
  let dependencies: Adjacency
  /// Versioned children, in load order.
  let children: Adjacency
  /// Revisions that depend on a revision, in load order.
  let dependents: Adjacency
  /// Propagated branch labels (indices into `labelNames`), in registration order.
  let propagatedLabels: Adjacency

  /// Revisions without versioned children, in load order (Alembic's `heads`).
  public let heads: [Index]
  /// Revisions without children of either kind, in load order.
  public let realHeads: [Index]
  /// Revisions without `down_revision`, in load order.
  public let bases: [Index]
  /// Bases that also have no `depends_on`, in load order.
  public let realBases: [Index]
  /// Every revision, parents (and dependencies) before children.
  let topologicalOrder: [Index]
  /// The relations renumbered in `topologicalOrder`, for the walks that visit most revisions.
  let layout: TopologicalLayout
  /// Revision ids and declared labels sorted by text, for prefix lookups.
  let sortedKeys: [Key]
  /// Each revision's position when ids are sorted (for emitting sorted version tables).
  let idRank: [Int32]

  /// One lookup key: a revision id or a declared branch label.
  struct Key: Sendable {
    var text: String
    var node: Index
    /// Alembic's map order: ids in load order, then labels in registration order.
    var rank: Int
  }

  /// The number of revisions.
  public var count: Int { records.count }

  /// The record of the revision at `index`.
  public func record(_ index: Index) -> RevisionRecord { records[Int(index)] }

  /// The id of the revision at `index`.
  public func id(_ index: Index) -> String { records[Int(index)].id }

  /// The index of the revision with exactly this id, if any.
  public func index(of id: String) -> Index? { idTable.index(of: id) }

  /// The revision that declares `label`, if any.
  public func labelOwnerIndex(_ label: String) -> Index? { labelOwner[label] }

  /// The versioned parents of a revision (duplicates removed), in declared order.
  public func parentIndices(_ index: Index) -> [Index] { Array(parents[index]) }

  /// The resolved `depends_on` revisions, in declared order.
  public func dependencyIndices(_ index: Index) -> [Index] { Array(dependencies[index]) }

  /// Parents followed by the normalised dependencies (Alembic's `_normalized_down_revisions`):
  /// the dependencies that no proper versioned ancestor also depends on.
  func effectiveParents(of index: Index) -> [Index] {
    layout.effectiveParents[layout.position[Int(index)]].map { layout.order[Int($0)] }
  }

  /// The versioned children, in load order.
  public func childIndices(_ index: Index) -> [Index] { Array(children[index]) }

  /// The branch labels a revision carries after propagation, in registration order.
  public func branchLabels(_ index: Index) -> [String] {
    propagatedLabels[index].map { labelNames[Int($0)] }
  }

  /// True when the revision has no versioned child.
  public func isHead(_ index: Index) -> Bool { children.count(index) == 0 }
  /// True when the revision has no child of either kind (no dependents either).
  public func isRealHead(_ index: Index) -> Bool {
    children.count(index) == 0 && dependents.count(index) == 0
  }
  /// True when the revision has no `down_revision`.
  public func isBase(_ index: Index) -> Bool { parents.count(index) == 0 }
  /// True when the revision has more than one versioned child.
  public func isBranchPoint(_ index: Index) -> Bool { children.count(index) > 1 }
  /// True when the revision has more than one `down_revision`.
  public func isMergePoint(_ index: Index) -> Bool { parents.count(index) > 1 }

  /// Ids of a list of indices.
  public func ids<S: Sequence>(_ indices: S) -> [String] where S.Element == Index {
    indices.map { id($0) }
  }
}
