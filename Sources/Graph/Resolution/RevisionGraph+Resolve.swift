extension RevisionGraph {
  /// Resolves a target to revision ids, as Alembic's `get_revisions` does, extended to every
  /// relative form.
  ///
  /// - `heads` → the real heads; `head`, `label@head` → one head (or `multipleHeads`);
  ///   `base`, `label@base` → nothing; ids, unique prefixes and labels → that revision;
  ///   `label@rev` → `rev`, checked to be on the branch.
  /// - `-N`, `label@-N` → N below the heads (with `current`, below the database's revision, as
  ///   a downgrade counts).
  /// - `+N`, `label@+N` → N above the database's revision (above nothing without `current`);
  ///   `rev+N`, `rev-N`, `head-N`, `label@rev+N` → a walk from that revision.
  ///
  /// - Parameters:
  ///   - text: The target.
  ///   - current: The version table, for forms relative to the database.
  /// - Returns: Revision ids in Alembic's order (heads in load order).
  /// - Throws: ``GraphError``.
  public func resolve(_ text: String, current: [String]? = nil) throws -> [String] {
    let target = try Target(parsing: text)
    if let relative = target.relative {
      if relative.symbol == nil && relative.steps < 0 {
        if let current {
          let (_, point, _) = try downgradeDestination(text, current: try currentRevisions(current))
          if case .revision(let node)? = point { return [id(node)] }
          return []
        }
        return try points(for: text).map { point in
          guard let point else {
            throw GraphError.relativeOutOfRange(
              argument: text, steps: relative.steps, reason: "'\(text)' walks below the base of the history")
          }
          if case .revision(let node) = point { return id(node) }
          return nil
        }.compactMap { $0 }
      }
      return ids(try upgradeTargets(text, current: try currentRevisions(current ?? [])))
    }
    return try points(for: text).compactMap { point -> String? in
      if case .revision(let node)? = point { return id(node) }
      return nil
    }
  }
}
