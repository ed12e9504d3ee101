extension RevisionGraph {
  /// The revisions a diagram of a range and a branch shows, newest first.
  ///
  /// The range uses the grammar of ``history(range:current:)``; a branch keeps the
  /// revisions of `label@base:` — the heads carrying the label and everything below them.
  /// With both, a revision must be in each.
  ///
  /// - Parameters:
  ///   - range: A history range (`base:head`, `ae10:`, `-3:`), or nil for all.
  ///   - branch: A branch label, or nil for every branch.
  ///   - current: The version table, needed only when the range says `current`.
  /// - Returns: The revisions in history order (newest first).
  /// - Throws: ``GraphError``, as ``history(range:current:)`` does.
  public func revisions(range: String?, branch: String?, current: [String]? = nil) throws -> [Index] {
    let list = try history(range: range, current: current)
    guard let branch else { return list }
    var onBranch = NodeSet(count: count)
    for node in try history(range: "\(branch)@base:", current: current) { onBranch.insert(node) }
    return list.filter { onBranch[$0] }
  }
}
