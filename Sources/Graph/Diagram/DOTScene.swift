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
  /// ``DOTStyle/colours(forLabel:)`` of each label in ``usedLabels``.
  var labelColours: [String: (outline: String, fill: String)] = [:]
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

  mutating func render() -> [UInt8] {
    var out = DOTText()
    out.bytes.reserveCapacity(256 * order.count + 4096)
    out.append("digraph revgraph {\n")
    out.append("  graph [rankdir=")
    out.append(dot: writer.direction.rawValue)
    out.append(", fontname=\"Helvetica\", fontsize=10, nodesep=0.3, ranksep=0.35];\n")
    out.append("  node [shape=box, fontname=\"Helvetica\", fontsize=10, color=\"#404040\", fillcolor=\"#eeeeee\"];\n")
    out.append("  edge [color=\"#404040\", arrowsize=0.7, fontname=\"Helvetica\", fontsize=9];\n")
    writeStubs(&out)
    for node in order {
      if runOf[Int(node)] >= 0 {
        let run = runs[Int(runOf[Int(node)])]
        if run.first == node {
          out.append("  ")
          appendRunName(run, to: &out)
          runAttributes(run).write(to: &out)
          out.append(";\n")
        }
      } else {
        out.append("  ")
        out.appendQuoted(graph.id(node))
        revisionAttributes(node).write(to: &out)
        out.append(";\n")
      }
    }
    for id in state?.unknownRows ?? [] {
      hasGhosts = true
      var attributes = Self.ghostAttributes
      attributes.setEscaped("label", DOTStyle.escape(id) + "\\nmissing file\\n(current)")
      attributes.set("peripheries", "2")
      out.append("  ")
      out.appendQuoted(id, prefix: "row:")
      attributes.write(to: &out)
      out.append(";\n")
    }
    writeEdges(&out)
    if writer.includesLegend { writeLegend(&out) }
    out.append("}\n")
    return out.bytes
  }

  /// Ghosts for missing files and stubs for parents outside the selection, before the
  /// revisions so that they are ranked above them.
  mutating func writeStubs(_ out: inout DOTText) {
    // Everything drawn and no file missing: no stub to write.
    if missingByNode.isEmpty && !selected.contains(false) { return }
    var written = Set<String>()
    for node in order {
      for reference in missingByNode[node] ?? [] where written.insert("ghost:" + reference.id).inserted {
        hasGhosts = true
        var attributes = Self.ghostAttributes
        attributes.setEscaped("label", DOTStyle.escape(reference.id) + "\\nmissing file")
        out.append("  ")
        out.appendQuoted(reference.id, prefix: "ghost:")
        attributes.write(to: &out)
        out.append(";\n")
      }
      for other in graph.parentIndices(node) + graph.dependencyIndices(node)
      where !selected[Int(other)] && written.insert("outside:" + graph.id(other)).inserted {
        hasOutside = true
        var attributes = Self.outsideAttributes
        attributes.setEscaped("label", "&#8230; " + DOTStyle.escape(shortIDs[Int(other)]))
        attributes.set("tooltip", graph.id(other) + " (outside the drawn range)")
        out.append("  ")
        out.appendQuoted(graph.id(other), prefix: "outside:")
        attributes.write(to: &out)
        out.append(";\n")
      }
    }
  }

  /// Edges into each drawn revision: parents, dependencies, ghosts; edges inside a folded
  /// run are left out and edges at its ends attach to the run's node.
  mutating func writeEdges(_ out: inout DOTText) {
    var target = DOTText(), source = DOTText()
    for node in order {
      target.bytes.removeAll(keepingCapacity: true)
      appendName(of: node, to: &target)
      for parent in graph.parentIndices(node) {
        source.bytes.removeAll(keepingCapacity: true)
        appendName(of: parent, to: &source)
        guard source.bytes != target.bytes else { continue }
        out.append("  ")
        out.append(source)
        out.append(" -> ")
        out.append(target)
        if !selected[Int(parent)] { out.append(" [style=dotted]") }
        out.append(";\n")
      }
      for dependency in graph.dependencyIndices(node) {
        hasDependencies = true
        out.append("  ")
        appendName(of: dependency, to: &out)
        out.append(" -> ")
        out.append(target)
        out.append(selected[Int(dependency)] ? " [style=dashed" : " [style=dotted")
        out.append(", color=\"#808080\"];\n")
      }
      guard !missingByNode.isEmpty else { continue }
      for reference in missingByNode[node] ?? [] {
        out.append("  ")
        out.appendQuoted(reference.id, prefix: "ghost:")
        out.append(" -> ")
        out.append(target)
        out.append(reference.isDependency ? " [style=dashed" : " [style=solid")
        out.append(", color=\"#a0a0a0\"];\n")
      }
    }
  }

  /// Appends the quoted node name a revision is drawn as: its id, its run, or its outside stub.
  func appendName(of node: Index, to out: inout DOTText) {
    if !selected[Int(node)] {
      out.appendQuoted(graph.id(node), prefix: "outside:")
      return
    }
    let run = runOf[Int(node)]
    if run >= 0 {
      appendRunName(runs[Int(run)], to: &out)
    } else {
      out.appendQuoted(graph.id(node))
    }
  }

  func appendRunName(_ run: [Index], to out: inout DOTText) { out.appendQuoted(graph.id(run[0]), prefix: "run:") }

  // MARK: - Node styles

  static let ghostAttributes = DOTAttributes([
    ("style", "\"dotted\""), ("color", "\"#a0a0a0\""), ("fontcolor", "\"#808080\""),
  ])
  static let outsideAttributes = DOTAttributes([("shape", "plaintext"), ("fontcolor", "\"#808080\"")])

  /// Whether a revision is drawn as applied (filled); always true without a state.
  func isFilled(_ node: Index) -> Bool { state?.applied[Int(node)] ?? true }

  mutating func revisionAttributes(_ node: Index) -> DOTAttributes {
    let record = graph.record(node)
    let parentCount = graph.parentIndices(node).count
    let missingParents = missingByNode.isEmpty ? 0 : (missingByNode[node] ?? []).filter { !$0.isDependency }.count
    let isMerge = parentCount + missingParents > 1
    let isBranch = graph.isBranchPoint(node)
    let isBase = graph.isBase(node) && missingParents == 0
    let isRow = state?.isRow[Int(node)] ?? false

    var attributes = DOTAttributes()
    attributes.setEscaped("label") { label in
      label.appendEscaped(shortIDs[Int(node)])
      if !record.message.isEmpty {
        label.append("\\n")
        label.appendEscaped(record.message, truncatedTo: writer.messageLength)
      }
      if !record.branchLabels.isEmpty {
        label.append("\\n[")
        label.appendEscaped(record.branchLabels.joined(separator: ", "))
        label.append("]")
      }
      if isRow { label.append("\\n(current)") }
    }
    attributes.setEscaped("tooltip") { tooltip in
      tooltip.appendEscaped(record.id)
      if !record.message.isEmpty {
        tooltip.append(": ")
        tooltip.appendEscaped(record.message)
      }
    }
    if isMerge || isBranch {
      attributes.set("shape", isMerge && isBranch ? "hexagon" : isMerge ? "invtrapezium" : "trapezium")
    }
    let isFilled = isFilled(node)
    attributes.set(
      "style", isFilled ? (isBase ? "filled,diagonals" : "filled") : (isBase ? "diagonals" : "solid"))
    if graph.isHead(node) { attributes.set("penwidth", "3") }
    if isRow { attributes.set("peripheries", "2") }
    colour(&attributes, label: colourLabel[Int(node)], filled: isFilled)
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

  /// Outline from the colour label. With a database's state every applied revision is grey
  /// (a label colours only the outline, so "applied" reads the same on every branch); without
  /// one, a labelled revision is filled with its label's light colour.
  mutating func colour(_ attributes: inout DOTAttributes, label: String?, filled: Bool) {
    if let label {
      let colours: (outline: String, fill: String)
      if let known = labelColours[label] {
        colours = known
      } else {
        usedLabels.insert(label)
        colours = DOTStyle.colours(forLabel: label)
        labelColours[label] = colours
      }
      attributes.set("color", colours.outline)
      if filled { attributes.set("fillcolor", state != nil ? "#cccccc" : colours.fill) }
    } else if filled && state != nil {
      attributes.set("fillcolor", "#cccccc")
    }
  }
}
