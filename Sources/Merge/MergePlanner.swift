import Foundation
import Graph
import Project

/// What to merge: the `revgraph merge` arguments.
public struct MergeRequest: Sendable, Equatable {
  /// Targets naming the revisions to merge (`heads`, ids, prefixes, `label@head`, …).
  public var revisions: [String]
  /// The message; `nil` gives `merge <a> and <b>` (the same on every clone).
  public var message: String?
  /// Branch labels to declare on the merge revision.
  public var branchLabels: [String]
  /// An explicit revision id; `nil` derives it from the parents (see ``MergePlanner/deterministicID(parents:)``).
  public var revisionID: String?
  /// Allow revisions that are not heads (a new branch point).
  public var splice: Bool
  /// An explicit create date; `nil` derives it (deterministic merges) or takes the current time.
  public var createDate: CreateDate?

  /// Creates a request.
  public init(
    revisions: [String], message: String? = nil, branchLabels: [String] = [], revisionID: String? = nil,
    splice: Bool = false, createDate: CreateDate? = nil
  ) {
    self.revisions = revisions
    self.message = message
    self.branchLabels = branchLabels
    self.revisionID = revisionID
    self.splice = splice
    self.createDate = createDate
  }
}

/// A merge revision ready to be written.
public struct MergePlan: Sendable, Equatable {
  /// The new revision's header.
  public var revision: NewRevision
  /// The format it is written in (the project's).
  public var format: RevisionRecord.Format
  /// Where it goes and its exact bytes.
  public var file: PlannedFile
  /// Whether the id, parent order and date were derived from the parents alone, so every
  /// clone writes the same file.
  public var isDeterministic: Bool
}

/// Plans merge revisions for a project.
///
/// ## Deterministic merges
///
/// Without an explicit id, the merge's parents are sorted (by code point), its id is
/// ``deterministicID(parents:)``, its create date is the latest create date among the
/// parents, and its default message names the parents. Two people who merge the same heads
/// therefore write byte-identical files under the same name, and git shows one file instead
/// of two merge revisions (and two heads again).
public struct MergePlanner: Sendable {
  /// The history to merge in.
  public let graph: RevisionGraph
  /// The project: its kind picks the file format, its `file_template` the name.
  public let project: ProjectConfig

  /// Creates a planner.
  public init(graph: RevisionGraph, project: ProjectConfig) {
    self.graph = graph
    self.project = project
  }

  /// The id of the merge of `parents`: the first 12 hex digits of the SHA-256 of the parent
  /// ids sorted by code point, each followed by a newline.
  ///
  /// The same as `printf '%s\n' PARENTS… | LC_ALL=C sort | sha256sum | cut -c1-12`.
  public static func deterministicID(parents: [String]) -> String {
    let sorted = parents.sorted(by: RevisionLoader.codePointOrder)
    let text = sorted.map { $0 + "\n" }.joined()
    return String(Checksum.sha256Hex(Array(text.utf8)).prefix(12))
  }

  /// The create date a revision's file records (`-- create_date:` or the docstring's
  /// `Create Date:` line), if it records one that can be read.
  public static func createDate(of record: RevisionRecord) -> CreateDate? {
    if let text = record.attribute("create_date") { return CreateDate(parsing: text) }
    for line in record.longMessage.split(separator: "\n") {
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      if trimmed.hasPrefix("Create Date:") {
        return CreateDate(parsing: String(trimmed.dropFirst("Create Date:".count)))
      }
    }
    return nil
  }

  /// Plans the merge revision for `request`.
  ///
  /// - Returns: The revision header, its format and the file (path and bytes) to write.
  /// - Throws: ``GraphError`` when an argument does not resolve; ``MergeError`` when fewer than
  ///   two distinct revisions result, a revision is not a head (without `splice`), one
  ///   revision is an ancestor of another, the id or a label is taken or invalid, the file
  ///   exists, or the template needs a date that cannot be derived; ``ProjectError`` for a
  ///   bad `file_template`.
  public func plan(_ request: MergeRequest) throws -> MergePlan {
    var parents: [String] = []
    for argument in request.revisions {
      for id in try graph.resolve(argument) where !parents.contains(id) { parents.append(id) }
    }
    guard parents.count >= 2 else {
      throw MergeError.notEnoughRevisions(arguments: request.revisions, resolved: parents)
    }
    let nodes = parents.compactMap { graph.index(of: $0) }
    if !request.splice, let node = nodes.first(where: { !graph.isHead($0) }) {
      throw MergeError.notAHead(revision: graph.id(node), children: graph.ids(graph.childIndices(node)))
    }
    try checkNotRedundant(nodes)

    let isDeterministic = request.revisionID == nil
    if isDeterministic { parents.sort(by: RevisionLoader.codePointOrder) }
    let id = request.revisionID ?? Self.deterministicID(parents: parents)
    try checkNewNames(id: id, labels: request.branchLabels, parents: parents)

    let date: CreateDate?
    if let given = request.createDate {
      date = given
    } else if isDeterministic {
      date = parents.compactMap { graph.index(of: $0).flatMap { Self.createDate(of: graph.record($0)) } }
        .max { $0.isEarlier(than: $1) }
    } else {
      date = CreateDate.now(in: project.settings["timezone"].flatMap(Self.timeZone))
    }
    let template = FileTemplate(config: project)
    if date == nil && template.usesDateTokens {
      throw MergeError.noCreateDate(template: template.template, parents: parents)
    }
    let format: RevisionRecord.Format = project.kind == .alembic ? .alembic : .sql
    let message = request.message ?? Self.defaultMessage(parents)
    let name = try template.fileName(
      revision: id, message: message, date: date ?? CreateDate(year: 1970, month: 1, day: 1, utcOffset: 0),
      fileExtension: format == .sql ? "sql" : "py")
    let path = Self.join(directory(for: parents[0]), name)
    if FileManager.default.fileExists(atPath: path) { throw MergeError.fileExists(path: path) }

    let revision = NewRevision(
      id: id, parents: parents, branchLabels: request.branchLabels, message: message, createDate: date)
    return MergePlan(
      revision: revision, format: format,
      file: PlannedFile(path: path, contents: Array(revision.text(for: format).utf8)),
      isDeterministic: isDeterministic)
  }

  /// `merge a and b`, `merge a, b and c`.
  static func defaultMessage(_ parents: [String]) -> String {
    guard let last = parents.last, parents.count > 1 else { return "merge " + parents.joined() }
    return "merge " + parents.dropLast().joined(separator: ", ") + " and " + last
  }

  /// Throws when one revision to merge is an ancestor of another.
  private func checkNotRedundant(_ nodes: [RevisionGraph.Index]) throws {
    // One walk from every parent's own parents marks all proper ancestors of the set.
    let proper = graph.ancestorMask(of: nodes.flatMap { graph.parentIndices($0) })
    guard let redundant = nodes.first(where: { proper[Int($0)] }) else { return }
    let descendant = nodes.first { $0 != redundant && graph.ancestorMask(of: [$0])[Int(redundant)] }
    throw MergeError.redundantParent(revision: graph.id(redundant), descendant: descendant.map(graph.id) ?? "")
  }

  /// Throws when the new id or a new label is unusable or taken.
  private func checkNewNames(id: String, labels: [String], parents: [String]) throws {
    do {
      try RevisionGraph.validateRecord(RevisionRecord(id: id, downRevisions: parents))
    } catch let error as GraphError {
      guard case .invalidScript(_, let reason) = error else { throw error }
      throw MergeError.invalidRevisionID(id: id, reason: reason)
    }
    for label in labels {
      do {
        try RevisionGraph.validateRecord(RevisionRecord(id: id, branchLabels: [label]))
      } catch let error as GraphError {
        guard case .invalidScript(_, let reason) = error else { throw error }
        throw MergeError.invalidBranchLabel(label: label, reason: reason)
      }
    }
    if let existing = graph.index(of: id) {
      throw MergeError.revisionExists(id: id, path: graph.record(existing).path)
    }
    if let owner = graph.labelOwnerIndex(id) {
      throw MergeError.invalidRevisionID(id: id, reason: "it is a branch label of revision \(graph.id(owner))")
    }
    for label in labels {
      if let owner = graph.labelOwnerIndex(label) {
        throw MergeError.labelInUse(label: label, usedBy: "revision \(graph.id(owner))")
      }
      if graph.index(of: label) != nil || label == id {
        throw MergeError.labelInUse(label: label, usedBy: "the id of revision \(label)")
      }
    }
  }

  /// The version location holding `parent`'s file (Alembic: a merge goes beside its first
  /// parent), or the first location.
  private func directory(for parent: String) -> String {
    let fallback = project.versionLocations.first ?? project.scriptLocation + "/versions"
    guard let node = graph.index(of: parent) else { return fallback }
    let path = graph.record(node).path
    return project.versionLocations
      .filter { path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
      .max { $0.count < $1.count } ?? fallback
  }

  static func join(_ directory: String, _ name: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }

  /// Alembic's `timezone` option: the name as given, then upper-cased.
  static func timeZone(_ name: String) -> TimeZone? {
    TimeZone(identifier: name) ?? TimeZone(identifier: name.uppercased())
  }
}
