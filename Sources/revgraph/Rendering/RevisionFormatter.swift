import Graph

/// Renders revisions in Alembic's familiar line formats, and as JSON objects.
struct RevisionFormatter {
  let graph: RevisionGraph
  /// Revisions to mark `(current)`.
  var current: Set<RevisionGraph.Index> = []

  struct Parts {
    var parents = false
    var labels = true
    var heads = true
    var tree = true
    var doc = false
  }

  /// `<Parents> -> rev (labels) (head) (branchpoint), message` with the chosen parts.
  func short(_ node: RevisionGraph.Index, _ parts: Parts) -> String {
    var out = [UInt8]()
    appendShort(node, parts, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the UTF-8 bytes of ``short(_:_:)``.
  func appendShort(_ node: RevisionGraph.Index, _ parts: Parts, to out: inout [UInt8]) {
    let record = graph.record(node)
    if parts.parents {
      appendParents(node, to: &out)
      out.append(list: record.dependsOn, opening: " (")
      out.append(utf8: " -> ")
    }
    out.append(utf8: record.id)
    if parts.labels {
      out.append(list: graph.branchLabels(node), opening: " (")
    }
    if parts.heads {
      if graph.isRealHead(node) {
        out.append(utf8: " (head)")
      } else if graph.isHead(node) {
        out.append(utf8: " (effective head)")
      }
      if !current.isEmpty && current.contains(node) { out.append(utf8: " (current)") }
    }
    if parts.tree {
      if graph.isBranchPoint(node) { out.append(utf8: " (branchpoint)") }
      if graph.isMergePoint(node) { out.append(utf8: " (mergepoint)") }
    }
    if parts.doc {
      out.append(utf8: ", ")
      out.append(utf8: record.message)
    }
  }

  /// Appends the text after a revision's lanes in `history --graph` (UTF-8): the short line without
  /// parents (the lanes show them), with dependencies, which lanes do not show.
  func appendLaneText(_ node: RevisionGraph.Index, to out: inout [UInt8]) {
    let record = graph.record(node)
    appendShort(node, .init(), to: &out)
    out.append(list: record.dependsOn, opening: " (depends on ")
    out.append(utf8: ", ")
    out.append(utf8: record.message)
  }

  /// Alembic's verbose entry (`-v`, and `show`).
  func verbose(_ node: RevisionGraph.Index) -> String {
    let record = graph.record(node)
    var out = "Rev: \(record.id)"
    if graph.isHead(node) { out += " (head)" }
    if graph.isBranchPoint(node) { out += " (branchpoint)" }
    if graph.isMergePoint(node) { out += " (mergepoint)" }
    if current.contains(node) { out += " (current)" }
    out += "\n"
    out += graph.isMergePoint(node) ? "Merges: \(parentsText(node))\n" : "Parent: \(parentsText(node))\n"
    if !record.dependsOn.isEmpty { out += "Also depends on: \(record.dependsOn.joined(separator: ", "))\n" }
    if graph.isBranchPoint(node) {
      out += "Branches into: \(graph.ids(graph.childIndices(node)).joined(separator: ", "))\n"
    }
    let labels = graph.branchLabels(node)
    if !labels.isEmpty { out += "Branch names: \(labels.joined(separator: ", "))\n" }
    out += "Path: \(record.path)\n\n"
    let lines = record.longMessage.split(separator: "\n", omittingEmptySubsequences: false)
    out += lines.map { "    \($0)" }.joined(separator: "\n") + "\n"
    return out
  }

  func parentsText(_ node: RevisionGraph.Index) -> String {
    let parents = graph.parentIndices(node)
    return parents.isEmpty ? "<base>" : graph.ids(parents).joined(separator: ", ")
  }

  /// Appends the UTF-8 bytes of ``parentsText(_:)``.
  func appendParents(_ node: RevisionGraph.Index, to out: inout [UInt8]) {
    let parents = graph.parentIndices(node)
    guard !parents.isEmpty else {
      out.append(utf8: "<base>")
      return
    }
    for (i, parent) in parents.enumerated() {
      if i > 0 { out.append(utf8: ", ") }
      out.append(utf8: graph.id(parent))
    }
  }

  /// The JSON object of the output contract.
  func json(_ node: RevisionGraph.Index) -> JSON {
    let record = graph.record(node)
    return .object([
      ("revision", .string(record.id)),
      ("down_revisions", JSON.strings(record.downRevisions)),
      ("branch_labels", JSON.strings(graph.branchLabels(node))),
      ("depends_on", JSON.strings(record.dependsOn)),
      ("message", .string(record.message)),
      ("path", .string(record.path)),
      ("is_head", .bool(graph.isHead(node))),
      ("is_base", .bool(graph.isBase(node))),
      ("is_merge_point", .bool(graph.isMergePoint(node))),
      ("is_branch_point", .bool(graph.isBranchPoint(node))),
    ])
  }

  /// `{"revisions": [...]}`.
  func jsonList(_ nodes: [RevisionGraph.Index]) -> String { String(decoding: jsonListUTF8(nodes), as: UTF8.self) }

  /// The UTF-8 bytes of ``jsonList(_:)``.
  func jsonListUTF8(_ nodes: [RevisionGraph.Index]) -> [UInt8] {
    var out = [UInt8]()
    out.append(utf8: "{\"revisions\": [")
    for (i, node) in nodes.enumerated() {
      if i > 0 { out.append(utf8: ", ") }
      json(node).write(to: &out)
    }
    out.append(utf8: "]}\n")
    return out
  }

  /// One line per entry, each ending in a newline.
  static func lines(_ lines: [String]) -> String {
    lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
  }
}

extension [UInt8] {
  /// Appends `strings` joined by `", "`.
  /// `opening`, the strings joined by ", ", and ")"; nothing for no strings.
  mutating func append(list strings: [String], opening: String) {
    guard !strings.isEmpty else { return }
    append(utf8: opening)
    append(joining: strings)
    append(utf8: ")")
  }

  mutating func append(joining strings: [String]) {
    for (i, string) in strings.enumerated() {
      if i > 0 { append(utf8: ", ") }
      append(utf8: string)
    }
  }
}
