/// Everything that can stop a merge, a rebase, or reading a history at a git ref.
///
/// Each case carries the facts the message needs; ``description`` says what is wrong and how
/// to fix it, naming the file (and line) where one is involved.
public enum MergeError: Error, Equatable, Sendable {
  /// The arguments name fewer than two distinct revisions.
  case notEnoughRevisions(arguments: [String], resolved: [String])
  /// A revision to merge has children and `--splice` was not given.
  case notAHead(revision: String, children: [String])
  /// One revision to merge is an ancestor of another: the merge would be redundant.
  case redundantParent(revision: String, descendant: String)
  /// The new revision id is already used.
  case revisionExists(id: String, path: String)
  /// The new revision id is not usable.
  case invalidRevisionID(id: String, reason: String)
  /// The new branch label is not usable.
  case invalidBranchLabel(label: String, reason: String)
  /// The new branch label is already used by a revision or label.
  case labelInUse(label: String, usedBy: String)
  /// The file to write already exists.
  case fileExists(path: String)
  /// The file template uses date tokens, but no date can be derived for a deterministic merge.
  case noCreateDate(template: String, parents: [String])
  /// A file could not be read or written.
  case io(path: String, reason: String)
  /// A rebase would make a revision its own ancestor.
  case rebaseCycle(revision: String, onto: [String], path: [String])
  /// A rebase target is already the revision's parent list.
  case rebaseNoChange(revision: String, parents: [String])
  /// A merge revision cannot be rebased (its parents are the point of it).
  case rebaseMergeRevision(revision: String, parents: [String])
  /// Moved revisions are applied in the configured database.
  /// `downgrades`: the targets of the `revgraph downgrade` commands that revert exactly the
  /// applied revisions, in order (empty when none was found).
  case rebaseApplied(revision: String, applied: [String], downgrades: [String])
  /// The revision file's header could not be located for rewriting.
  case unrewritableHeader(location: String, reason: String)
  /// The rewritten history does not load.
  case rebaseInvalid(revision: String, reason: String)
  /// A `git` command failed.
  case git(command: String, reason: String)
  /// `check --base REF`: git knows no commit by that name.
  case unknownRef(String)

  /// The stable, machine-readable kind used in JSON output.
  public var kind: String {
    switch self {
    case .notEnoughRevisions: "not-enough-heads"
    case .notAHead: "not-a-head"
    case .redundantParent: "redundant-parent"
    case .revisionExists: "revision-exists"
    case .invalidRevisionID: "invalid-revision-id"
    case .invalidBranchLabel: "invalid-branch-label"
    case .labelInUse: "label-conflict"
    case .fileExists: "file-exists"
    case .noCreateDate: "no-create-date"
    case .io: "io"
    case .rebaseCycle: "cycle"
    case .rebaseNoChange: "no-change"
    case .rebaseMergeRevision: "merge-revision"
    case .rebaseApplied: "applied-revision"
    case .unrewritableHeader: "invalid-script"
    case .rebaseInvalid: "invalid-history"
    case .git: "git"
    case .unknownRef: "unknown-ref"
    }
  }
}

extension MergeError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .notEnoughRevisions(let arguments, let resolved):
      let what = resolved.isEmpty ? "no revision" : "only \(resolved.joined(separator: ", "))"
      return "nothing to merge: '\(arguments.joined(separator: " "))' gives \(what);"
        + " a merge needs two or more distinct heads (see `revgraph heads`)"
    case .notAHead(let revision, let children):
      return
        "revision \(revision) is not a head (\(children.joined(separator: ", ")) \(children.count == 1 ? "builds" : "build") on it);"
        + " merge the heads instead, or pass --splice to start a new branch from it"
    case .redundantParent(let revision, let descendant):
      return
        "\(revision) is an ancestor of \(descendant), so merging them adds nothing; merge \(descendant) alone with the other heads"
    case .revisionExists(let id, let path):
      return "revision id '\(id)' already exists (\(path)); if these heads were merged already, pull that file;"
        + " otherwise pass another --rev-id"
    case .invalidRevisionID(let id, let reason):
      return "invalid revision id '\(id)': \(reason)"
    case .invalidBranchLabel(let label, let reason):
      return "invalid branch label '\(label)': \(reason)"
    case .labelInUse(let label, let usedBy):
      return "branch label '\(label)' is already used by \(usedBy); pick another --branch-label"
    case .fileExists(let path):
      return
        "\(path) already exists; revgraph never overwrites a revision file (remove it or pass another --rev-id or -m)"
    case .noCreateDate(let template, let parents):
      return "file_template '\(template)' uses date tokens, but none of \(parents.joined(separator: ", ")) records a"
        + " create date to derive the merge's date from; add one (create_date / Create Date) to a parent,"
        + " or pass --rev-id to write a non-deterministic merge dated now"
    case .io(let path, let reason):
      return "\(path): \(reason)"
    case .rebaseCycle(let revision, let onto, let path):
      return
        "cannot rebase \(revision) onto \(onto.joined(separator: ", ")): \(onto.count == 1 ? "it descends" : "they descend") from"
        + " \(revision) (\(path.joined(separator: " -> "))), so the history would loop; pick a target outside \(revision)'s branch"
    case .rebaseNoChange(let revision, let parents):
      return
        "\(revision) already has down_revision \(parents.isEmpty ? "(none)" : parents.joined(separator: ", ")); nothing to do"
    case .rebaseMergeRevision(let revision, let parents):
      return "\(revision) is a merge revision (of \(parents.joined(separator: ", "))); rebase the first revision of one"
        + " merged branch instead, then remove the merge if it becomes redundant"
    case .rebaseApplied(let revision, let applied, let downgrades):
      let list = applied.joined(separator: ", ")
      let first =
        downgrades.isEmpty
        ? "revert \(applied.count == 1 ? "it" : "them") first (`revgraph downgrade TARGET --plan` shows what a "
          + "target reverts)"
        : "revert \(applied.count == 1 ? "it" : "them"), and nothing else, with "
          + downgrades.map { "`revgraph downgrade \($0)`" }.joined(separator: " then ")
      return "cannot rebase \(revision): \(list) \(applied.count == 1 ? "is" : "are") applied in the database, and "
        + "moving applied revisions would make its version table lie; \(first), or write a merge revision instead "
        + "(`revgraph merge heads`)"
    case .unrewritableHeader(let location, let reason):
      return "\(location): \(reason)"
    case .rebaseInvalid(let revision, let reason):
      return "rebasing \(revision) would break the history: \(reason)"
    case .unknownRef(let ref):
      return "--base \(ref): git knows no commit by that name; check the spelling (git branch -a lists the "
        + "branches), or fetch it first (git fetch origin)"
    case .git(let command, let reason):
      return "`\(command)` failed: \(reason)"
    }
  }
}
