/// Everything that can go wrong while loading a history or answering a question about it.
///
/// Each case carries the facts a user needs to fix the problem. ``kind`` is the stable,
/// machine-readable name used in JSON output; ``description`` is the message for people.
public enum GraphError: Error, Equatable, Sendable {
  // MARK: Loading and validation

  /// A revision file could not be read or its header is malformed.
  case invalidScript(location: String, reason: String)
  /// Two files declare the same revision id.
  case duplicateRevision(id: String, paths: [String], sameMerge: Bool = false)
  /// A `down_revision` or `depends_on` entry names no known revision (or label).
  case missingRevision(id: String, referencedBy: String, field: String, location: String)
  /// The `down_revision` links form a cycle; `path` is `a, b, …, a`.
  case cycle(path: [String])
  /// The `down_revision` and `depends_on` links together form a cycle; `path` is `a, b, …, a`.
  case dependencyCycle(path: [String])
  /// A branch label is declared twice, or equals a revision id.
  case labelConflict(label: String, revision: String, location: String, usedBy: String)

  // MARK: Resolution

  /// A single revision was wanted but the argument gives several heads.
  case multipleHeads(argument: String, heads: [String])
  /// Nothing matches the text (`hint` explains the four-character rule where it applies).
  case unknownRevision(text: String, hint: String?)
  /// A branch qualifier (`X@…`) names no label and no revision.
  case unknownBranch(String, hint: String? = nil)
  /// A revision is not on the branch it was qualified with.
  case notOnBranch(revision: String, branch: String)
  /// Several revisions (or labels) start with the text.
  case ambiguousRevision(text: String, candidates: [String])
  /// A relative walk met a fork and cannot choose (`candidates` are the choices).
  /// `remaining`: the steps left after the fork (the alternatives walk them from each
  /// candidate).
  case ambiguousWalk(from: String, direction: String, candidates: [String], remaining: Int = 0)
  /// A relative upgrade (`+N`) was asked for while the database is at several revisions.
  case ambiguousRelativeStart(argument: String, current: [String])
  /// The two ends of a range are not ancestor and descendant.
  case rangeNotAncestor(lower: String, upper: String, reason: String)
  /// A relative target walks off the end of the history.
  case relativeOutOfRange(argument: String, steps: Int, reason: String)
  /// Requested revisions (or version-table rows) are ancestors of each other.
  case overlappingTargets(revision: String, others: [String])
  /// The target text is not valid where it was used.
  case invalidTarget(text: String, reason: String)

  /// The stable, machine-readable kind used in JSON output.
  public var kind: String {
    switch self {
    case .invalidScript: "invalid-script"
    case .duplicateRevision: "duplicate-revision"
    case .missingRevision: "missing-revision"
    case .cycle: "cycle"
    case .dependencyCycle: "dependency-cycle"
    case .labelConflict: "label-conflict"
    case .multipleHeads: "multiple-heads"
    case .unknownRevision, .unknownBranch, .notOnBranch: "unknown-revision"
    case .ambiguousRevision, .ambiguousWalk, .ambiguousRelativeStart: "ambiguous-revision"
    case .rangeNotAncestor: "range-not-ancestor"
    case .relativeOutOfRange: "relative-out-of-range"
    case .overlappingTargets: "overlapping-targets"
    case .invalidTarget: "invalid-target"
    }
  }
}

extension GraphError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .invalidScript(let location, let reason):
      return "\(location): \(reason)"
    case .duplicateRevision(let id, let paths, let sameMerge):
      return "revision id '\(id)' is declared by \(paths.count) files: \(paths.joined(separator: ", ")); "
        + Self.duplicateRevisionFix(paths: paths, sameMerge: sameMerge)
    case .missingRevision(let id, let referencedBy, let field, let location):
      return "\(location): revision \(referencedBy) names '\(id)' in \(field), but no revision"
        + (field == "depends_on" ? " or branch label" : "")
        + " '\(id)' exists; fix the \(field) line or restore the missing file"
    case .cycle(let path):
      return "cycle in down_revision links: \(path.joined(separator: " -> "));"
        + " a revision cannot descend from itself: fix one of these down_revision lines"
    case .dependencyCycle(let path):
      return "cycle through depends_on: \(path.joined(separator: " -> "));"
        + " remove one of these depends_on entries"
    case .labelConflict(let label, let revision, let location, let usedBy):
      return "\(location): branch label '\(label)' of revision \(revision) is already used by \(usedBy);"
        + " pick another label"
    case .multipleHeads(let argument, let heads):
      return "'\(argument)' matches \(heads.count) heads (\(heads.joined(separator: ", "))); name one ("
        + heads.map { "'\($0)'" }.joined(separator: " or ")
        + ", or '<label>@head' for a labelled branch), or 'heads' for all heads"
    case .unknownRevision(let text, let hint):
      return "no revision or branch label matches '\(text)'" + (hint.map { "; \($0)" } ?? "")
    case .unknownBranch(let name, let hint):
      return "no branch label or revision named '\(name)'" + (hint.map { "; \($0)" } ?? "")
    case .notOnBranch(let revision, let branch):
      return "revision \(revision) is not on branch '\(branch)' (it neither descends from nor leads to it)"
    case .ambiguousRevision(let text, let candidates):
      return "'\(text)' is ambiguous: it starts \(candidates.count) revision ids or labels"
        + " (\(candidates.joined(separator: ", "))); type more characters"
    case .ambiguousWalk(let from, let direction, let candidates, let remaining):
      let fork = direction == "up" ? "branches into" : "merges"
      let sign = direction == "up" ? "+" : "-"
      let alternatives = candidates.filter { $0 != "base" }.map {
        "'\($0)\(remaining > 0 ? "\(sign)\(remaining)" : "")'"
      }
      let advice =
        alternatives.isEmpty
        ? "name the revision" : "walk from one of them instead: " + alternatives.joined(separator: " or ")
      return "cannot walk \(direction) from \(from): it \(fork) \(candidates.joined(separator: ", ")); \(advice)"
    case .ambiguousRelativeStart(let argument, let current):
      return "'\(argument)' is ambiguous: the database is at \(current.count) revisions"
        + " (\(current.joined(separator: ", "))); say which: "
        + current.map { "'\($0)@\(argument)'" }.joined(separator: " or ")
        + " (a branch label works too: '<label>@\(argument)'), or name the revision"
    case .rangeNotAncestor(_, _, let reason):
      return reason
    case .relativeOutOfRange(_, _, let reason):
      return reason
    case .overlappingTargets(let revision, let others):
      return "requested revision \(revision) overlaps with \(others.joined(separator: ", ")),"
        + " which \(others.count == 1 ? "is its ancestor" : "are its ancestors"); name only the newest"
    case .invalidTarget(let text, let reason):
      return "invalid target '\(text)': \(reason)"
    }
  }
}

extension GraphError {
  /// The fix for one id declared by several files (`paths`, the first kept), worded the same
  /// by every command and by `revgraph check`: the copies of one merge (the same parents)
  /// go; otherwise each later file gets an id of its own. Neither touches the revision the id
  /// already names in a database.
  public static func duplicateRevisionFix(paths: [String], sameMerge: Bool) -> String {
    let later = paths.dropFirst()
    return sameMerge
      ? "`git rm \(later.joined(separator: " "))`: the files are the same merge (written with different messages)"
      : "give \(later.joined(separator: ", ")) a new revision id (and update the down_revision of its children)"
  }

  /// True when every record merges the same parents (two or more): copies of one merge.
  public static func isSameMerge(_ records: [RevisionRecord]) -> Bool {
    guard let first = records.first else { return false }
    return records.allSatisfy { $0.downRevisions.count > 1 && Set($0.downRevisions) == Set(first.downRevisions) }
  }
}
