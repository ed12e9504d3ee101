/// One problem `revgraph check` found: what, where, and the command (or edit) that fixes it.
public struct CheckFinding: Sendable, Equatable {
  /// The kinds of problem, each with its own exit code. A lower code is more severe; with
  /// several findings, `check` exits with the lowest code among them.
  public enum Kind: String, Sendable, CaseIterable {
    /// A revision file does not parse (exit 3).
    case invalidScript = "invalid-script"
    /// A `down_revision` or `depends_on` names a revision (or label) that does not exist (exit 4).
    case missingRevision = "missing-revision"
    /// Revisions descend from themselves (exit 5).
    case cycle
    /// Duplicate revision ids, clashing branch labels, or another invalid history (exit 6).
    case invalidHistory = "invalid-history"
    /// A revision applied in the database has changed in its file since (exit 7).
    case changedAppliedRevision = "changed-applied-revision"
    /// Two merge revisions merge the same parents (exit 8).
    case duplicateMerge = "duplicate-merge"
    /// More than one head where the project expects one (per branch) (exit 9).
    case multipleHeads = "multiple-heads"
    /// Revisions added since `--base REF` do not build on REF's heads (exit 10).
    case staleBranch = "stale-branch"
    /// The declared schema file, or a revision replayed to compare with it, fails in SQLite (exit 12).
    case invalidSchema = "invalid-schema"
    /// The declared schema differs from the schema the migrations produce (exit 13).
    case schemaDrift = "schema-drift"

    /// The process exit code for this kind.
    public var exitCode: Int32 {
      switch self {
      case .invalidScript: 3
      case .missingRevision: 4
      case .cycle: 5
      case .invalidHistory: 6
      case .changedAppliedRevision: 7
      case .duplicateMerge: 8
      case .multipleHeads: 9
      case .staleBranch: 10
      case .invalidSchema: 12
      case .schemaDrift: 13
      }
    }

    /// One line for help texts and documentation.
    public var summary: String {
      switch self {
      case .invalidScript: "a revision file does not parse"
      case .missingRevision: "a down_revision or depends_on names a missing revision"
      case .cycle: "revisions descend from themselves"
      case .invalidHistory: "duplicate revision ids, clashing branch labels, other invalid history"
      case .changedAppliedRevision: "an applied revision's file changed since it was applied"
      case .duplicateMerge: "two merge revisions merge the same parents"
      case .multipleHeads: "more than one head (per configured branch)"
      case .staleBranch: "revisions added since --base REF do not build on REF's heads"
      case .invalidSchema: "the declared schema (schema.sql) or a replayed revision fails in SQLite"
      case .schemaDrift: "the declared schema differs from what the migrations produce (a migration is missing)"
      }
    }
  }

  /// The kind (and so the exit code).
  public var kind: Kind
  /// What is wrong, naming the revisions, files and lines.
  public var message: String
  /// The command that fixes it, or the edit to make.
  public var fix: String
  /// The revisions involved.
  public var revisions: [String]
  /// The files (`path` or `path:line`) involved.
  public var locations: [String]

  /// Creates a finding.
  public init(kind: Kind, message: String, fix: String, revisions: [String] = [], locations: [String] = []) {
    self.kind = kind
    self.message = message
    self.fix = fix
    self.revisions = revisions
    self.locations = locations
  }
}

/// Everything `revgraph check` found.
public struct CheckReport: Sendable, Equatable {
  /// The findings, most severe first (then in the order found).
  public var findings: [CheckFinding]
  /// The number of revision files read.
  public var revisionCount: Int
  /// The heads, in load order.
  public var heads: [String]
  /// Remarks that are not problems (e.g. a check that could not run).
  public var notes: [String]

  /// 0 when clean, else the lowest exit code among the findings.
  public var exitCode: Int32 { findings.map(\.kind.exitCode).min() ?? 0 }
}

/// An applied revision whose file no longer matches what was applied (found by the runner).
public struct ChangedRevision: Sendable, Equatable {
  /// The revision id.
  public var revision: String
  /// Its file.
  public var path: String
  /// How it differs (e.g. `checksum when applied 1a2b…, now 3c4d…`).
  public var reason: String

  /// Creates a changed-revision entry.
  public init(revision: String, path: String, reason: String) {
    self.revision = revision
    self.path = path
    self.reason = reason
  }
}

/// How many heads a project may have.
public struct HeadPolicy: Sendable, Equatable {
  /// Any number of heads is fine (`allow_multiple_heads = true`).
  public var allowMultipleHeads: Bool
  /// Named branches (branch labels) that may each have one head (`branches = [...]`); empty
  /// means one head in all.
  public var branches: [String]

  /// Creates a policy.
  public init(allowMultipleHeads: Bool = false, branches: [String] = []) {
    self.allowMultipleHeads = allowMultipleHeads
    self.branches = branches
  }
}
