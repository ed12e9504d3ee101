/// The steps that move a database from its current revisions to a target.
///
/// Each step names one revision to apply (upgrade) or revert (downgrade) and the version
/// table as it stands after that step: the applied revisions that no other applied
/// revision reaches through `down_revision` or `depends_on`.
public struct Plan: Equatable, Sendable {
  /// Which way a plan moves.
  public enum Direction: String, Sendable, Codable {
    case upgrade, downgrade
  }

  /// One revision applied or reverted.
  public struct Step: Equatable, Sendable {
    /// The revision's index in its graph.
    public var revision: RevisionGraph.Index
    /// The plan's version tables, shared by all its steps, and this step's position there.
    let log: VersionTableLog
    let position: Int32
    /// A table set by a caller, which then replaces the logged one.
    private var assignedTable: [String]?
    /// An id set by a caller, which then replaces the logged revision's.
    private var assignedID: String?

    init(revision: RevisionGraph.Index, log: VersionTableLog, position: Int32) {
      self.revision = revision
      self.log = log
      self.position = position
    }

    /// The id of the revision.
    ///
    /// Read from the graph when asked, so that making a plan does not visit every record.
    public var id: String {
      get { assignedID ?? log.id(log.revisions[Int(position)]) }
      set { assignedID = newValue }
    }

    /// The version table after this step, sorted by id.
    ///
    /// - Complexity: O(*r* + *k*) for *r* rows: the plan stores each step's changes and
    ///   a full table every few steps (``VersionTableLog/interval``), so the table is
    ///   rebuilt from the last full one before the step.
    public var versionTable: [String] {
      get { assignedTable ?? log.ids(log.rows(after: Int(position))) }
      set { assignedTable = newValue }
    }

    /// The version table after this step as revision indices, sorted by id.
    public var versionTableIndices: [RevisionGraph.Index] {
      assignedTable.map { $0.compactMap { log.graph.index(of: $0) } } ?? log.rows(after: Int(position))
    }

    /// Whether the version table is the plan's own (not one a caller set).
    var isLogged: Bool { assignedTable == nil }

    public static func == (lhs: Step, rhs: Step) -> Bool {
      lhs.revision == rhs.revision && lhs.id == rhs.id && lhs.versionTable == rhs.versionTable
    }
  }

  /// Which way the plan moves.
  public var direction: Direction
  /// The version table before the first step, sorted by id.
  public var from: [String]
  /// The target as typed.
  public var target: String
  /// The steps, in the order they run.
  public var steps: [Step]

  /// The version table after the last step (the starting table when there are no steps).
  public var finalVersionTable: [String] { steps.last?.versionTable ?? from }

  /// What one step did to the version table.
  public struct RowChanges: Equatable, Sendable {
    /// The rows the step removed, sorted by id.
    public var removed: [String]
    /// The rows the step added, sorted by id.
    public var added: [String]

    public init(removed: [String], added: [String]) {
      self.removed = removed
      self.added = added
    }
  }

  /// The rows step `i` removed from the version table after step `i - 1` and the rows it
  /// added, as the plan logged them; nil for the first step (whose starting table may be a
  /// caller's), and where a caller set this step's or the previous step's table (compare the
  /// two tables then).
  ///
  /// - Complexity: O(*k* log *k*) for the step's *k* changes (usually two or three), where
  ///   reading the two tables costs O(*r* + ``VersionTableLog/interval`` · log *r*) each.
  public func rowChanges(at i: Int) -> RowChanges? {
    guard i > 0, i < steps.count else { return nil }
    let step = steps[i], previous = steps[i - 1]
    guard step.isLogged, previous.isLogged, step.log === previous.log, previous.position + 1 == step.position else {
      return nil
    }
    let (removed, added) = step.log.changes(at: Int(step.position))
    return RowChanges(removed: step.log.ids(removed), added: step.log.ids(added))
  }
}

/// The version tables of a plan's steps, stored as changes.
///
/// Copying the whole table into every step costs O(steps × *r*) time and memory (a million
/// steps of 48 rows are 48 million strings); the log keeps each step's changes (the revision
/// added or removed, usually two or three) and the full table every ``interval`` steps.
final class VersionTableLog: Sendable {
  /// Steps between two full tables.
  static let interval = 32

  let graph: RevisionGraph
  /// The revision of each step.
  let revisions: [RevisionGraph.Index]
  /// `changes[changeOffsets[s] ..< changeOffsets[s + 1]]` are step `s`'s changes: a revision
  /// index for a row added, its bitwise complement (negative) for a row removed.
  let changes: [Int32]
  let changeOffsets: [Int32]
  /// `tables[tableOffsets[j] ..< tableOffsets[j + 1]]` are the rows before step `j * interval`,
  /// sorted by id.
  let tables: [RevisionGraph.Index]
  let tableOffsets: [Int32]

  init(
    graph: RevisionGraph, revisions: [RevisionGraph.Index], changes: [Int32], changeOffsets: [Int32],
    tables: [RevisionGraph.Index], tableOffsets: [Int32]
  ) {
    self.graph = graph
    self.revisions = revisions
    self.changes = changes
    self.changeOffsets = changeOffsets
    self.tables = tables
    self.tableOffsets = tableOffsets
  }

  /// The number of steps logged.
  var stepCount: Int { changeOffsets.count - 1 }

  /// The id of a revision. Read through the records: `graph.id(_:)` on the stored graph
  /// copies the whole graph value (a retain of each of its arrays) on every call.
  func id(_ revision: RevisionGraph.Index) -> String {
    graph.records.withUnsafeBufferPointer { $0[Int(revision)].id }
  }

  /// The ids of revisions, in the given order (see ``id(_:)``).
  func ids(_ revisions: [RevisionGraph.Index]) -> [String] {
    graph.records.withUnsafeBufferPointer { records in revisions.map { records[Int($0)].id } }
  }

  /// The rows step `step` removed and added, each sorted by id.
  func changes(at step: Int) -> (removed: [RevisionGraph.Index], added: [RevisionGraph.Index]) {
    var removed = [RevisionGraph.Index](), added = [RevisionGraph.Index]()
    for change in changes[Int(changeOffsets[step])..<Int(changeOffsets[step + 1])] {
      if change >= 0 { added.append(change) } else { removed.append(~change) }
    }
    let rank = graph.idRank
    let byID = { (a: RevisionGraph.Index, b: RevisionGraph.Index) in rank[Int(a)] < rank[Int(b)] }
    return (removed.count > 1 ? removed.sorted(by: byID) : removed, added.count > 1 ? added.sorted(by: byID) : added)
  }

  /// The rows after step `step`, sorted by id.
  /// - Complexity: O(*r* + ``interval`` · log *r*).
  func rows(after step: Int) -> [RevisionGraph.Index] {
    let block = step / Self.interval
    var rows = Array(tables[Int(tableOffsets[block])..<Int(tableOffsets[block + 1])])
    for s in block * Self.interval...step {
      for change in changes[Int(changeOffsets[s])..<Int(changeOffsets[s + 1])] {
        if change >= 0 {
          let at = graph.rowPosition(change, in: rows)
          if at == rows.count || rows[at] != change { rows.insert(change, at: at) }
        } else {
          let node = ~change
          let at = graph.rowPosition(node, in: rows)
          if at < rows.count && rows[at] == node { rows.remove(at: at) }
        }
      }
    }
    return rows
  }
}

/// The version table as a plan runs: the maximal elements of the applied set.
///
/// `appliedChildren[x]` counts applied revisions that build directly on `x`; a revision is
/// a row exactly when it is applied and that count is zero. Applying or reverting a
/// revision touches only its own parents and dependencies. Each step's changes go to a
/// ``VersionTableLog``.
struct VersionTableTracker {
  let graph: RevisionGraph
  var applied: [Bool]
  var appliedChildren: [Int32]
  /// The rows, kept sorted by id, and their id ranks (so that finding a row's place reads
  /// only this array, not the graph's ranks of every row passed).
  private(set) var rows: [RevisionGraph.Index] = []
  private var rowRanks: [Int32] = []
  private var changes: [Int32] = []
  private var changeOffsets: [Int32] = [0]
  private var tables: [RevisionGraph.Index] = []
  private var tableOffsets: [Int32] = [0]

  init(graph: RevisionGraph, applied: NodeSet, steps: Int) {
    self.graph = graph
    self.applied = applied.contains
    appliedChildren = [Int32](repeating: 0, count: graph.count)
    for node in applied.members {
      for p in graph.parents[node] { appliedChildren[Int(p)] += 1 }
      for d in graph.dependencies[node] where !graph.parents[node].contains(d) { appliedChildren[Int(d)] += 1 }
    }
    rows = applied.members.filter { appliedChildren[Int($0)] == 0 }.sorted {
      graph.idRank[Int($0)] < graph.idRank[Int($1)]
    }
    rowRanks = rows.map { graph.idRank[Int($0)] }
    changes.reserveCapacity(3 * steps)
    changeOffsets.reserveCapacity(steps + 1)
  }

  /// The log of the steps so far, which applied or reverted `revisions` in this order.
  func log(revisions: [RevisionGraph.Index]) -> VersionTableLog {
    VersionTableLog(
      graph: graph, revisions: revisions, changes: changes, changeOffsets: changeOffsets, tables: tables,
      tableOffsets: tableOffsets)
  }

  private mutating func beginStep() {
    if (changeOffsets.count - 1) % VersionTableLog.interval == 0 {
      tables.append(contentsOf: rows)
      tableOffsets.append(Int32(tables.count))
    }
  }

  private mutating func endStep() { changeOffsets.append(Int32(changes.count)) }

  /// Where a row of id rank `rank` is, or would go, in `rows`.
  private func rowPosition(rank: Int32) -> Int {
    var low = 0, high = rowRanks.count
    while low < high {
      let mid = (low + high) / 2
      if rowRanks[mid] < rank { low = mid + 1 } else { high = mid }
    }
    return low
  }

  private mutating func insertRow(_ node: RevisionGraph.Index, rank: Int32) {
    let at = rowPosition(rank: rank)
    if at == rows.count || rowRanks[at] != rank {
      rows.insert(node, at: at)
      rowRanks.insert(rank, at: at)
      changes.append(node)
    }
  }

  private mutating func insertRow(_ node: RevisionGraph.Index) { insertRow(node, rank: graph.idRank[Int(node)]) }

  /// Removes the row of id rank `rank` (ranks are one per revision), if it is a row.
  private mutating func removeRow(rank: Int32) {
    let at = rowPosition(rank: rank)
    if at < rows.count && rowRanks[at] == rank {
      changes.append(~rows[at])
      rows.remove(at: at)
      rowRanks.remove(at: at)
    }
  }

  private mutating func removeRow(_ node: RevisionGraph.Index) { removeRow(rank: graph.idRank[Int(node)]) }

  mutating func apply(_ node: RevisionGraph.Index) {
    beginStep()
    applied[Int(node)] = true
    // A parent is a row only while it is applied and nothing applied builds on it.
    for p in graph.parents[node] {
      if appliedChildren[Int(p)] == 0 && applied[Int(p)] { removeRow(p) }
      appliedChildren[Int(p)] += 1
    }
    for d in graph.dependencies[node] where !graph.parents[node].contains(d) {
      if appliedChildren[Int(d)] == 0 && applied[Int(d)] { removeRow(d) }
      appliedChildren[Int(d)] += 1
    }
    if appliedChildren[Int(node)] == 0 { insertRow(node) }
    endStep()
  }

  /// Applies `node`, of id rank `rank`, when the rows it replaces are known (its parents and
  /// dependencies that were rows, given by their id ranks): the version table changes without
  /// looking at the graph's links or ranks.
  mutating func apply(_ node: RevisionGraph.Index, rank: Int32, replacing rows: some Sequence<Int32>) {
    beginStep()
    for row in rows { removeRow(rank: row) }
    insertRow(node, rank: rank)
    endStep()
  }

  mutating func revert(_ node: RevisionGraph.Index) {
    beginStep()
    applied[Int(node)] = false
    removeRow(node)
    for p in graph.parents[node] {
      appliedChildren[Int(p)] -= 1
      if appliedChildren[Int(p)] == 0 && applied[Int(p)] { insertRow(p) }
    }
    for d in graph.dependencies[node] where !graph.parents[node].contains(d) {
      appliedChildren[Int(d)] -= 1
      if appliedChildren[Int(d)] == 0 && applied[Int(d)] { insertRow(d) }
    }
    endStep()
  }
}

extension RevisionGraph {
  /// Where `node` is, or would go, in `rows` (sorted by id).
  func rowPosition(_ node: Index, in rows: [Index]) -> Int {
    let rank = idRank[Int(node)]
    var low = 0, high = rows.count
    while low < high {
      let mid = (low + high) / 2
      if idRank[Int(rows[mid])] < rank { low = mid + 1 } else { high = mid }
    }
    return low
  }
}

extension RevisionGraph {
  /// Parents and dependencies of a revision, each once.
  func allParents(_ node: Index) -> [Index] {
    var list = Array(parents[node])
    for d in dependencies[node] where !list.contains(d) { list.append(d) }
    return list
  }
}
