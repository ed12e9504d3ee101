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
    /// The id of the revision.
    public var id: String
    /// The version table after this step, sorted by id.
    public var versionTable: [String]
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
}

/// The version table as a plan runs: the maximal elements of the applied set.
///
/// `appliedChildren[x]` counts applied revisions that build directly on `x`; a revision is
/// a row exactly when it is applied and that count is zero. Applying or reverting a
/// revision touches only its own parents and dependencies.
struct VersionTableTracker {
  let graph: RevisionGraph
  var applied: [Bool]
  var appliedChildren: [Int32]
  /// The rows, kept sorted by id (via the graph's id ranks).
  var rows: [RevisionGraph.Index] = []
  /// The ids of `rows`, in the same order: each step hands out a copy of this array, which
  /// is a copy of contiguous strings rather than a lookup of every row's record.
  private(set) var sortedIDs: [String] = []

  init(graph: RevisionGraph, applied: NodeSet) {
    self.graph = graph
    self.applied = applied.contains
    appliedChildren = [Int32](repeating: 0, count: graph.count)
    for node in applied.members {
      for p in graph.allParents(node) { appliedChildren[Int(p)] += 1 }
    }
    rows = applied.members.filter { appliedChildren[Int($0)] == 0 }.sorted {
      graph.idRank[Int($0)] < graph.idRank[Int($1)]
    }
    sortedIDs = rows.map { graph.id($0) }
  }

  /// Where `node` is, or would go, in `rows`.
  private func position(_ node: RevisionGraph.Index) -> Int {
    let rank = graph.idRank[Int(node)]
    var low = 0, high = rows.count
    while low < high {
      let mid = (low + high) / 2
      if graph.idRank[Int(rows[mid])] < rank { low = mid + 1 } else { high = mid }
    }
    return low
  }

  private mutating func insertRow(_ node: RevisionGraph.Index) {
    let at = position(node)
    if at == rows.count || rows[at] != node {
      rows.insert(node, at: at)
      sortedIDs.insert(graph.id(node), at: at)
    }
  }

  private mutating func removeRow(_ node: RevisionGraph.Index) {
    let at = position(node)
    if at < rows.count && rows[at] == node {
      rows.remove(at: at)
      sortedIDs.remove(at: at)
    }
  }

  mutating func apply(_ node: RevisionGraph.Index) {
    applied[Int(node)] = true
    for p in graph.allParents(node) {
      appliedChildren[Int(p)] += 1
      removeRow(p)
    }
    if appliedChildren[Int(node)] == 0 { insertRow(node) }
  }

  mutating func revert(_ node: RevisionGraph.Index) {
    applied[Int(node)] = false
    removeRow(node)
    for p in graph.allParents(node) {
      appliedChildren[Int(p)] -= 1
      if appliedChildren[Int(p)] == 0 && applied[Int(p)] { insertRow(p) }
    }
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
