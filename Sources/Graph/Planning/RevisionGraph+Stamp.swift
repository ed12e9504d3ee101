/// The version-table changes of `stamp`: rows rewritten without running any revision.
public struct StampPlan: Equatable, Sendable {
  /// One rewrite: the rows it replaces and the revision it writes (nil: the rows are deleted).
  public struct Step: Equatable, Sendable {
    /// The rows this step replaces (empty: a new row).
    public var from: [String]
    /// The revision written, or nil when the rows are removed (stamping `base`).
    public var to: String?
    /// The version table after this step, sorted by id.
    public var versionTable: [String]
  }

  /// The version table before the first step, sorted by id.
  public var from: [String]
  /// The destinations as typed.
  public var targets: [String]
  /// The steps, in order.
  public var steps: [Step]

  /// The version table after the last step.
  public var finalVersionTable: [String] { steps.last?.versionTable ?? from }
}

extension RevisionGraph {
  /// The plan of `alembic stamp DEST…` from a version table at `rows`.
  ///
  /// Rows sharing lineage (through `down_revision` and `depends_on`) with a destination are
  /// replaced by it; a destination on no row's lineage adds a row; `base` (or `Q@base`)
  /// deletes the rows on its lineage. As in Alembic there is no overlap check: `stamp c1 d1`
  /// stores both rows.
  /// - Parameters:
  ///   - destinations: Targets as typed; empty means `base`.
  ///   - rows: The version table (pass an empty list for `--purge`).
  /// - Throws: ``GraphError`` for unknown rows or unresolvable destinations;
  ///   `multipleHeads` when `head` names several heads.
  public func stampPlan(to destinations: [String], from rows: [String]) throws -> StampPlan {
    let current = try currentRevisions(rows, allowingOverlap: true)
    let texts = destinations.isEmpty ? ["base"] : destinations
    // The rows that share lineage with any destination, in row order, without repeats.
    var filtered = [Index]()
    for text in texts where !text.isEmpty {
      for node in try rowsSharingLineage(current, with: text) where !filtered.contains(node) {
        filtered.append(node)
      }
    }
    var resolved = [Index]()
    for text in texts {
      for point in try points(for: text) {
        if case .revision(let node)? = point { resolved.append(node) }
      }
    }
    var table = Set(current)
    var steps = [StampPlan.Step]()
    func record(from: [Index], to: Index?) {
      let rows = ids(table).sorted()
      steps.append(StampPlan.Step(from: ids(from), to: to.map(id), versionTable: rows))
    }
    guard !resolved.isEmpty else {
      for node in filtered {
        table.remove(node)
        record(from: [node], to: nil)
      }
      return StampPlan(from: ids(current).sorted(), targets: texts, steps: steps)
    }
    for destination in resolved where !filtered.contains(destination) {
      let below = descendants(of: [destination], .all)
      let above = ancestors(of: [destination], .all)
      if filtered.contains(where: { below[$0] }) {
        // The rows are above the destination: one downward move of all of them.
        for node in filtered { table.remove(node) }
        table.insert(destination)
      } else if filtered.contains(where: { above[$0] }) {
        // The rows are below: one upward move; a row consumed by an earlier step means the
        // destination starts a row of its own.
        if !filtered.allSatisfy(table.contains) && !table.contains(destination) {
          table.insert(destination)
        } else {
          for node in filtered { table.remove(node) }
          table.insert(destination)
        }
      } else {
        table.insert(destination)
        record(from: [], to: destination)
        continue
      }
      record(from: filtered, to: destination)
    }
    return StampPlan(from: ids(current).sorted(), targets: texts, steps: steps)
  }

  /// Alembic's `filter_for_lineage(rows, text, include_dependencies=True)`.
  func rowsSharingLineage(_ rows: [Index], with text: String) throws -> [Index] {
    let target = try Target(parsing: text)
    let (qualifier, rest) = target.firstSplit
    var against = [Index]()
    var names = [String]()
    if let qualifier { names.append(qualifier) }
    switch rest {
    case "heads":
      against = try qualifier == nil ? realHeads : heads(on: qualifier)
    case "head":
      let found = try heads(on: qualifier)
      if found.count > 1 { throw GraphError.multipleHeads(argument: text, heads: ids(found)) }
      against = found
    case "base":
      break
    default:
      names.append(rest)
    }
    // Only consulted when there are rows to filter (an unknown name is then an error).
    guard !rows.isEmpty else { return [] }
    for name in names { against.append(try revision(for: name, qualifier: nil)) }
    guard !against.isEmpty else { return rows }
    return rows.filter { row in
      let line = lineage(of: row, .all)
      return against.contains { line[$0] }
    }
  }
}
