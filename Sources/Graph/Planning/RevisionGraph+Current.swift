extension RevisionGraph {
  /// Everything a database at `rows` has applied: the rows and all their ancestors through
  /// `down_revision` and `depends_on`, in load order.
  /// - Throws: ``GraphError/unknownRevision(text:hint:)`` for a row that names no revision.
  public func appliedRevisions(_ rows: [String]) throws -> [Index] {
    ancestors(of: try currentRevisions(rows, allowingOverlap: true), .all).members.sorted()
  }

  /// What `alembic current` lists for a database at `rows`: the applied revisions that no
  /// applied revision builds on through `down_revision` (so a revision applied only as a
  /// dependency is listed too), in load order.
  public func currentTips(_ rows: [String]) throws -> [Index] {
    let applied = ancestors(of: try currentRevisions(rows, allowingOverlap: true), .all)
    return tips(of: applied, .versioned)
  }

  /// The start of an offline range `FROM:TO` as Alembic reads it (`get_revision`): at most
  /// one revision; `base` (or an empty branch) is an empty version table.
  /// - Throws: ``GraphError`` when the text names nothing or several heads.
  public func offlineStart(_ text: String) throws -> [String] {
    guard !text.isEmpty else { return [] }
    return try singlePoint(for: text).map { [id($0)] } ?? []
  }
}
