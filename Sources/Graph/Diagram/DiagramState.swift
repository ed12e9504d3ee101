/// What a database holds, for marking revisions in a diagram: applied revisions are drawn
/// filled, pending ones hollow, and version-table rows are marked as current.
///
/// Diagrams take the state as a plain value so that the library stays free of database
/// code: a runner (or a test) reads the version table and passes it in.
public struct DiagramState: Hashable, Sendable {
  /// The ids of the revisions applied to the database.
  public var applied: Set<String>
  /// The version table's rows (the current revisions), in the order they were read.
  public var current: [String]

  /// Creates a state from an applied set and the version table's rows.
  public init(applied: Set<String>, current: [String]) {
    self.applied = applied
    self.current = current
  }

  /// The state a version table implies: its rows, and as applied every revision they
  /// reach through `down_revision` and `depends_on` (the rows included).
  ///
  /// Rows that name no revision of `graph` stay in ``current`` (a diagram draws them as
  /// missing files) and add nothing to ``applied``.
  ///
  /// - Complexity: O(*v* + *e*) over the applied revisions.
  public init(versionTable rows: [String], in graph: RevisionGraph) {
    let known = rows.compactMap { graph.index(of: $0) }
    let applied = graph.ancestors(of: known, .all)
    self.init(applied: Set(applied.members.map { graph.id($0) }), current: rows)
  }
}

extension DiagramState {
  /// The state over a graph's indices: applied flags and version-table rows.
  struct Resolved {
    var applied: [Bool]
    var isRow: [Bool]
    /// Rows that name no revision of the graph, in row order without repeats.
    var unknownRows: [String]

    init(_ state: DiagramState, _ graph: RevisionGraph) {
      applied = [Bool](repeating: false, count: graph.count)
      isRow = applied
      unknownRows = []
      for id in state.applied {
        if let node = graph.index(of: id) { applied[Int(node)] = true }
      }
      for id in state.current {
        if let node = graph.index(of: id) {
          isRow[Int(node)] = true
        } else if !unknownRows.contains(id) {
          unknownRows.append(id)
        }
      }
    }
  }
}
