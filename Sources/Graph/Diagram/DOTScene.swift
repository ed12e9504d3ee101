/// One rendering of a ``DOTWriter``: what is drawn, decided once, then written out.
struct DOTScene {
  typealias Index = RevisionGraph.Index

  let graph: RevisionGraph
  let writer: DOTWriter
  /// Whether each revision is drawn.
  let selected: [Bool]
  /// The drawn revisions, oldest first (reverse of the history order).
  let order: [Index]
  let state: DiagramState.Resolved?
  /// Missing references of drawn revisions, by referencing revision.
  let missingByNode: [Index: [MissingReference]]
  let shortIDs: [String]
  /// The label whose colour each revision takes, if any.
  let colourLabel: [String?]
  /// For each revision, the index into `runs` of the folded run it belongs to, or -1.
  var runOf: [Int32] = []
  var runs: [[Index]] = []
  /// What the legend must explain beyond the basic shapes.
  var usedLabels = Set<String>()
  var hasDependencies = false
  var hasGhosts = false
  var hasOutside = false

  init(
    graph: RevisionGraph, revisions: [Index]?, missing: [MissingReference], state: DiagramState?, writer: DOTWriter
  ) {
    self.graph = graph
    self.writer = writer
    var selected = [Bool](repeating: revisions == nil, count: graph.count)
    for node in revisions ?? [] where Int(node) >= 0 && Int(node) < graph.count { selected[Int(node)] = true }
    self.selected = selected
    var all = NodeSet(count: graph.count)
    for i in 0..<Index(graph.count) { all.insert(i) }
    order = graph.orderedWalk(all, starts: graph.realHeads).reversed().filter { selected[Int($0)] }
    self.state = state.map { DiagramState.Resolved($0, graph) }
    var missingByNode = [Index: [MissingReference]]()
    for reference in missing {
      guard let node = graph.index(of: reference.referencedBy), selected[Int(node)] else { continue }
      missingByNode[node, default: []].append(reference)
    }
    self.missingByNode = missingByNode
    shortIDs = graph.shortIDs(minimumLength: 8)
    colourLabel = Self.colourLabels(graph)
    runOf = [Int32](repeating: -1, count: graph.count)
    if let limit = writer.collapse { foldRuns(longerThan: limit) }
  }

  /// Each revision's colour label: its first declared label, else among the labels it
  /// carries the one declared nearest to it (latest in topological order).
  static func colourLabels(_ graph: RevisionGraph) -> [String?] {
    var position = [Int32](repeating: 0, count: graph.count)
    for (i, node) in graph.topologicalOrder.enumerated() { position[Int(node)] = Int32(i) }
    return (0..<Index(graph.count)).map { node in
      let declared = graph.record(node).branchLabels
      if let first = declared.first { return first }
      return graph.branchLabels(node).max { a, b in
        position[Int(graph.labelOwnerIndex(a) ?? 0)] < position[Int(graph.labelOwnerIndex(b) ?? 0)]
      }
    }
  }

  // MARK: - Writing

  mutating func render() -> String {
    var out = "digraph revgraph {\n"
    out += "  graph [rankdir=\(writer.direction.rawValue), fontname=\"Helvetica\", fontsize=10, nodesep=0.3,"
    out += " ranksep=0.35];\n"
    out += "  node [shape=box, fontname=\"Helvetica\", fontsize=10, color=\"#404040\", fillcolor=\"#eeeeee\"];\n"
    out += "  edge [color=\"#404040\", arrowsize=0.7, fontname=\"Helvetica\", fontsize=9];\n"
    writeStubs(&out)
    for node in order {
      if runOf[Int(node)] >= 0 {
        let run = runs[Int(runOf[Int(node)])]
        if run.first == node { out += "  \(runName(run))\(runAttributes(run).rendered);\n" }
      } else {
        out += "  \(DOTStyle.quote(graph.id(node)))\(revisionAttributes(node).rendered);\n"
      }
    }
    for id in state?.unknownRows ?? [] {
      hasGhosts = true
      var attributes = Self.ghostAttributes
      attributes.setEscaped("label", DOTStyle.escape(id) + "\\nmissing file\\n(current)")
      attributes.set("peripheries", "2")
      out += "  \(DOTStyle.quote("row:" + id))\(attributes.rendered);\n"
    }
    writeEdges(&out)
    if writer.includesLegend { writeLegend(&out) }
    out += "}\n"
    return out
  }

  /// Ghosts for missing files and stubs for parents outside the selection, before the
  /// revisions so that they are ranked above them.
  mutating func writeStubs(_ out: inout String) {
    var written = Set<String>()
    for node in order {
      for reference in missingByNode[node] ?? [] where written.insert("ghost:" + reference.id).inserted {
        hasGhosts = true
        var attributes = Self.ghostAttributes
        attributes.setEscaped("label", DOTStyle.escape(reference.id) + "\\nmissing file")
        out += "  \(DOTStyle.quote("ghost:" + reference.id))\(attributes.rendered);\n"
      }
      for other in graph.parentIndices(node) + graph.dependencyIndices(node)
      where !selected[Int(other)] && written.insert("outside:" + graph.id(other)).inserted {
        hasOutside = true
        var attributes = Self.outsideAttributes
        attributes.setEscaped("label", "&#8230; " + DOTStyle.escape(shortIDs[Int(other)]))
        attributes.set("tooltip", graph.id(other) + " (outside the drawn range)")
        out += "  \(DOTStyle.quote("outside:" + graph.id(other)))\(attributes.rendered);\n"
      }
    }
  }

  /// Edges into each drawn revision: parents, dependencies, ghosts; edges inside a folded
  /// run are left out and edges at its ends attach to the run's node.
  mutating func writeEdges(_ out: inout String) {
    for node in order {
      let target = name(of: node)
      for parent in graph.parentIndices(node) {
        let source = name(of: parent)
        guard source != target else { continue }
        out += "  \(source) -> \(target)\(selected[Int(parent)] ? "" : " [style=dotted]");\n"
      }
      for dependency in graph.dependencyIndices(node) {
        hasDependencies = true
        let style = selected[Int(dependency)] ? "dashed" : "dotted"
        out += "  \(name(of: dependency)) -> \(target) [style=\(style), color=\"#808080\"];\n"
      }
      for reference in missingByNode[node] ?? [] {
        let style = reference.isDependency ? "dashed" : "solid"
        out += "  \(DOTStyle.quote("ghost:" + reference.id)) -> \(target) [style=\(style), color=\"#a0a0a0\"];\n"
      }
    }
  }

  /// The quoted node name a revision is drawn as: its id, its run, or its outside stub.
  func name(of node: Index) -> String {
    if !selected[Int(node)] { return DOTStyle.quote("outside:" + graph.id(node)) }
    let run = runOf[Int(node)]
    return run >= 0 ? runName(runs[Int(run)]) : DOTStyle.quote(graph.id(node))
  }

  func runName(_ run: [Index]) -> String { DOTStyle.quote("run:" + graph.id(run[0])) }

  // MARK: - Node styles

  static let ghostAttributes = DOTAttributes([
    ("style", "\"dotted\""), ("color", "\"#a0a0a0\""), ("fontcolor", "\"#808080\""),
  ])
  static let outsideAttributes = DOTAttributes([("shape", "plaintext"), ("fontcolor", "\"#808080\"")])

  /// Whether a revision is drawn as applied (filled); always true without a state.
  func isFilled(_ node: Index) -> Bool { state?.applied[Int(node)] ?? true }

  mutating func revisionAttributes(_ node: Index) -> DOTAttributes {
    let record = graph.record(node)
    let missingParents = (missingByNode[node] ?? []).filter { !$0.isDependency }.count
    let isMerge = graph.parentIndices(node).count + missingParents > 1
    let isBranch = graph.isBranchPoint(node)
    let isBase = graph.isBase(node) && missingParents == 0
    let isRow = state?.isRow[Int(node)] ?? false
    var label = DOTStyle.escape(shortIDs[Int(node)])
    if !record.message.isEmpty {
      label += "\\n" + DOTStyle.escape(DOTStyle.truncate(record.message, to: writer.messageLength))
    }
    if !record.branchLabels.isEmpty {
      label += "\\n[" + DOTStyle.escape(record.branchLabels.joined(separator: ", ")) + "]"
    }
    if isRow { label += "\\n(current)" }

    var attributes = DOTAttributes()
    attributes.setEscaped("label", label)
    attributes.set("tooltip", record.message.isEmpty ? record.id : record.id + ": " + record.message)
    if isMerge || isBranch {
      attributes.set("shape", isMerge && isBranch ? "hexagon" : isMerge ? "invtrapezium" : "trapezium")
    }
    var style = [String]()
    if isFilled(node) { style.append("filled") }
    if isBase { style.append("diagonals") }
    attributes.set("style", style.isEmpty ? "solid" : style.joined(separator: ","))
    if graph.isHead(node) { attributes.set("penwidth", "3") }
    if isRow { attributes.set("peripheries", "2") }
    colour(&attributes, label: colourLabel[Int(node)], filled: isFilled(node))
    return attributes
  }

  mutating func runAttributes(_ run: [Index]) -> DOTAttributes {
    let first = run[0], last = run[run.count - 1]
    var attributes = DOTAttributes()
    let count = run.count == 1 ? "1 revision" : "\(run.count) revisions"
    attributes.setEscaped(
      "label",
      "&#8230; \(count) &#8230;\\n" + DOTStyle.escape(shortIDs[Int(first)]) + " &#8230; "
        + DOTStyle.escape(shortIDs[Int(last)]))
    attributes.set("tooltip", "\(count): \(graph.id(first)) to \(graph.id(last))")
    attributes.set("style", isFilled(first) ? "dashed,filled" : "dashed")
    colour(&attributes, label: colourLabel[Int(first)], filled: isFilled(first))
    return attributes
  }

  /// Outline and fill from the colour label; applied revisions without a label are grey.
  mutating func colour(_ attributes: inout DOTAttributes, label: String?, filled: Bool) {
    if let label {
      usedLabels.insert(label)
      let colours = DOTStyle.colours(forLabel: label)
      attributes.set("color", colours.outline)
      if filled { attributes.set("fillcolor", colours.fill) }
    } else if filled && state != nil {
      attributes.set("fillcolor", "#cccccc")
    }
  }
}
