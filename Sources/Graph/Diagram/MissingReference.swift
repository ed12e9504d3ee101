/// A `down_revision` or `depends_on` entry that names no revision file.
///
/// A diagram draws such a reference as a ghost node instead of failing, so that a history
/// with a lost file can still be looked at. See ``RevisionGraph/drawable(records:)``.
public struct MissingReference: Hashable, Sendable {
  /// The id that no file declares.
  public var id: String
  /// The revision whose header names it.
  public var referencedBy: String
  /// True for a `depends_on` entry, false for a `down_revision` entry.
  public var isDependency: Bool

  /// Creates a missing reference.
  public init(id: String, referencedBy: String, isDependency: Bool) {
    self.id = id
    self.referencedBy = referencedBy
    self.isDependency = isDependency
  }
}

extension RevisionGraph {
  /// Builds a graph for drawing: like ``init(records:)``, but `down_revision` and
  /// `depends_on` entries that name no revision (or, for `depends_on`, no label) are taken
  /// out of the records and returned, so that a diagram can draw them as ghosts.
  ///
  /// Every other problem (duplicates, cycles, label clashes, a `down_revision` naming a
  /// label) is still an error: such a history has no single picture.
  ///
  /// - Parameter records: The revisions, in load order.
  /// - Returns: The graph and the missing references, in load order then declared order.
  /// - Throws: ``GraphError``, as ``init(records:)`` does, except `missingRevision`.
  public static func drawable(records: [RevisionRecord]) throws -> (graph: RevisionGraph, missing: [MissingReference]) {
    // A graph that builds has every reference resolved (``init(records:)`` throws
    // `missingRevision` otherwise): nothing is missing, the records stay as they are.
    if let graph = try? RevisionGraph(records: records) { return (graph, []) }
    let ids = Set(records.map(\.id))
    let labels = Set(records.flatMap(\.branchLabels))
    var missing = [MissingReference]()
    var kept = records
    for (i, record) in records.enumerated() {
      // A down_revision naming a label stays: the graph reports that mistake itself.
      let parents = record.downRevisions.filter { ids.contains($0) || labels.contains($0) }
      let dependencies = record.dependsOn.filter { ids.contains($0) || labels.contains($0) }
      for id in record.downRevisions where !parents.contains(id) {
        missing.append(MissingReference(id: id, referencedBy: record.id, isDependency: false))
      }
      for id in record.dependsOn where !dependencies.contains(id) {
        missing.append(MissingReference(id: id, referencedBy: record.id, isDependency: true))
      }
      kept[i].downRevisions = parents
      kept[i].dependsOn = dependencies
    }
    return (try RevisionGraph(records: kept), missing)
  }
}
