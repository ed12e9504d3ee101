import Foundation
import Graph

/// Plans a new native `.sql` revision (`revgraph revision`) with Alembic's rules.
public struct NativeRevision: Sendable {
  /// What the user asked for.
  public struct Request: Sendable {
    public var message: String
    /// Where the revision goes: `head` by default, `base` for a new root, `heads` (or
    /// several revisions) for a merge.
    public var head: String
    public var splice: Bool
    public var branchLabels: [String]
    public var dependsOn: [String]
    public var revisionID: String?
    public var versionPath: String?
    /// `-x KEY=VALUE` arguments: the template's `${x.KEY}` placeholders become `VALUE`.
    public var arguments: [String: String]

    public init(
      message: String, head: String = "head", splice: Bool = false, branchLabels: [String] = [],
      dependsOn: [String] = [], revisionID: String? = nil, versionPath: String? = nil, arguments: [String: String] = [:]
    ) {
      self.message = message
      self.head = head
      self.splice = splice
      self.branchLabels = branchLabels
      self.dependsOn = dependsOn
      self.revisionID = revisionID
      self.versionPath = versionPath
      self.arguments = arguments
    }
  }

  /// The file to write.
  public var path: String
  /// Its full text.
  public var text: String
  /// The revision as the loader will read it.
  public var record: RevisionRecord

  /// The template `revgraph init` writes and `revision` falls back to.
  public static let defaultTemplate = """
    -- revision: ${revision}
    -- down_revision: ${down_revision}
    -- branch_labels: ${branch_labels}
    -- depends_on: ${depends_on}
    -- message: ${message}
    -- create_date: ${create_date}

    -- +upgrade


    -- +downgrade

    """

  /// Plans the revision: resolves the parents and dependencies, checks Alembic's rules and
  /// that the history stays valid with the new file, and renders the template.
  /// - Parameters:
  ///   - template: The text of `script.sql.template`.
  ///   - newID: Makes a random id (12 hex digits) when the request has none.
  /// - Throws: ``AuthoringError`` or ``GraphError`` with the reason and the fix.
  public static func plan(
    _ request: Request, config: ProjectConfig, graph: RevisionGraph, template: String, date: CreateDate,
    newID: () -> String = NativeRevision.randomID
  ) throws -> NativeRevision {
    if let id = request.revisionID {
      // The id rules first, as Alembic does: a one-revision history checks them.
      _ = try RevisionGraph(records: [RevisionRecord(id: id, downRevisions: [], path: "--rev-id")])
    }
    let heads: [String]
    do {
      heads = try graph.resolve(request.head)
    } catch GraphError.multipleHeads(_, let found) where request.head == "head" {
      throw AuthoringError.multipleHeads(found)
    }
    if Set(heads).count != heads.count { throw AuthoringError.duplicateParents(heads) }
    if !request.splice {
      for id in heads {
        if let node = graph.index(of: id), !graph.isHead(node) { throw AuthoringError.notAHead(id) }
      }
    }
    let dependencies = try request.dependsOn.map { text -> String in
      let found = try graph.resolve(text)
      guard found.count == 1, let id = found.first, let node = graph.index(of: id) else {
        throw GraphError.invalidTarget(text: text, reason: "--depends-on needs one revision or label")
      }
      return graph.branchLabels(node).contains(text) ? text : id
    }
    let id = request.revisionID ?? newID()
    if let existing = graph.index(of: id) {
      throw AuthoringError.duplicateID(id, existing: graph.record(existing).path)
    }
    let directory = try versionDirectory(request, config: config, graph: graph, parents: heads)
    let name = try FileTemplate(config: config).fileName(
      revision: id, message: request.message, date: date, fileExtension: "sql")
    let path = URL(fileURLWithPath: name, relativeTo: URL(fileURLWithPath: directory, isDirectory: true))
      .standardizedFileURL.path
    var values = [
      "revision": id, "down_revision": heads.joined(separator: ", "),
      "branch_labels": request.branchLabels.joined(separator: ", "),
      "depends_on": dependencies.joined(separator: ", "),
      "message": request.message.split(whereSeparator: \.isNewline).joined(separator: " "),
      "create_date": date.description,
    ]
    for (key, value) in request.arguments { values["x." + key] = value }
    let text = render(template, values)
    let record = try SQLRevisionParser.parse(text, path: path)
    guard record.id == id, record.downRevisions == heads else {
      throw AuthoringError.badTemplate(
        "the rendered file does not declare revision \(id) with down_revision \(heads); "
          + "keep the '-- revision: ${revision}' and '-- down_revision: ${down_revision}' header lines")
    }
    // The history must stay valid with the new file (labels, dependencies, ids).
    _ = try RevisionGraph(records: graph.records + [record])
    return NativeRevision(path: path, text: text, record: record)
  }

  /// `text` with `upgrade` put right after its `-- +upgrade` line and `downgrade` right
  /// after its `-- +downgrade` line (a downgrade section is added at the end when the
  /// template has none). Anything the template puts in the sections stays below.
  public static func fillingSections(_ text: String, upgrade: String, downgrade: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    func insert(_ body: String, after marker: String) -> Bool {
      guard let index = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == marker }) else {
        return false
      }
      var next = index + 1
      while next < lines.count && lines[next].trimmingCharacters(in: .whitespaces).isEmpty { next += 1 }
      // The body, then one blank line before whatever follows (the template's blank lines go).
      var inserted = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      while inserted.last?.isEmpty == true { inserted.removeLast() }
      lines.replaceSubrange((index + 1)..<next, with: inserted + [""])
      return true
    }
    if !insert(downgrade, after: "-- +downgrade") {
      if lines.last == "" { lines.removeLast() }
      lines +=
        ["", "-- +downgrade"] + downgrade.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) + [
          ""
        ]
    }
    // ``plan(_:config:graph:template:date:newID:)`` has checked that the marker is there.
    _ = insert(upgrade, after: "-- +upgrade")
    return lines.joined(separator: "\n")
  }

  /// Replaces `${name}` placeholders; a header line `-- key: ${name}` whose value is empty
  /// is left out.
  static func render(_ template: String, _ values: [String: String]) -> String {
    var lines = [Substring]()
    for line in template.split(separator: "\n", omittingEmptySubsequences: false) {
      let empty = values.contains { key, value in
        value.isEmpty && line.hasPrefix("-- ") && line.hasSuffix(": ${\(key)}")
      }
      if !empty { lines.append(line) }
    }
    var text = lines.joined(separator: "\n")
    for (key, value) in values { text = text.replacingOccurrences(of: "${\(key)}", with: value) }
    return text
  }

  /// Where the file goes (Alembic's rules): `--version-path` when it is a configured location;
  /// else the only location; else the first parent's directory.
  static func versionDirectory(
    _ request: Request, config: ProjectConfig, graph: RevisionGraph, parents: [String]
  ) throws -> String {
    let locations = config.versionLocations.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    if let given = request.versionPath {
      let path = URL(fileURLWithPath: given).standardizedFileURL.path
      guard locations.contains(path) else { throw AuthoringError.unknownVersionPath(given, locations) }
      return path
    }
    if locations.count == 1, let only = locations.first { return only }
    for parent in parents {
      if let node = graph.index(of: parent) {
        return URL(fileURLWithPath: graph.record(node).path).deletingLastPathComponent().standardizedFileURL.path
      }
    }
    throw AuthoringError.unknownVersionPath(nil, locations)
  }

  /// 12 random hex digits, as Alembic's ids.
  public static func randomID() -> String {
    String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().suffix(12))
  }
}

/// Why a new revision cannot be written.
public enum AuthoringError: Error, Equatable, Sendable, CustomStringConvertible {
  case multipleHeads([String])
  case duplicateParents([String])
  case notAHead(String)
  case duplicateID(String, existing: String)
  case unknownVersionPath(String?, [String])
  case badTemplate(String)
  case fileExists(String)
  case notNative(String)

  /// The stable kind used in JSON output.
  public var kind: String {
    switch self {
    case .multipleHeads: "multiple-heads"
    case .duplicateParents, .notAHead, .unknownVersionPath: "invalid-target"
    case .duplicateID: "duplicate-revision"
    case .badTemplate: "invalid-template"
    case .fileExists: "file-exists"
    case .notNative: "not-native"
    }
  }

  public var description: String {
    switch self {
    case .multipleHeads(let heads):
      return "there are \(heads.count) heads (\(heads.joined(separator: ", "))); give --head REV to pick the one "
        + "the new revision builds on, or merge them first ('revgraph merge heads')"
    case .duplicateParents(let heads):
      return "the same parent is named twice (\(heads.joined(separator: ", "))); name each once"
    case .notAHead(let id):
      return "\(id) is not a head (other revisions build on it); pass --splice to start a new branch from it"
    case .duplicateID(let id, let existing):
      return "revision id \(id) is already used by \(existing); choose another --rev-id (or leave it out)"
    case .unknownVersionPath(let given?, let locations):
      return "--version-path \(given) is not one of the version locations (\(locations.joined(separator: ", ")))"
    case .unknownVersionPath(nil, let locations):
      return "several version locations (\(locations.joined(separator: ", "))) and no parent to follow; "
        + "give --version-path"
    case .badTemplate(let reason):
      return "script.sql.template: \(reason)"
    case .fileExists(let path):
      return "\(path) already exists; revgraph never overwrites a revision file (give another -m or --rev-id)"
    case .notNative(let config):
      return "\(config) is an Alembic project: create revisions with 'alembic revision' "
        + "(revgraph writes native .sql revisions in revgraph.toml projects; 'revgraph merge' works in both)"
    }
  }
}
