extension DOTScene {
  /// One legend entry: a sample node, or a sample edge between two points.
  enum LegendItem {
    case node(key: String, attributes: DOTAttributes)
    case edge(key: String, label: String, style: String)
  }

  /// The entries that explain what this picture uses, in a fixed order.
  func legendItems() -> [LegendItem] {
    /// `label` is DOT text: escaped, with `\n` line breaks.
    func node(_ key: String, _ label: String, _ extra: [(String, String)]) -> LegendItem {
      var attributes = DOTAttributes()
      attributes.setEscaped("label", label)
      for (name, value) in extra { attributes.set(name, value) }
      return .node(key: key, attributes: attributes)
    }
    let fill = state == nil ? "filled" : "solid"
    var items: [LegendItem] = [
      node("revision", "revision", [("style", fill)]),
      node("head", "head", [("style", fill), ("penwidth", "3")]),
      node("base", "base", [("style", fill + ",diagonals")]),
      node("merge", "merge point", [("style", fill), ("shape", "invtrapezium")]),
      node("branch", "branch point", [("style", fill), ("shape", "trapezium")]),
    ]
    if state != nil {
      items += [
        node("applied", "applied", [("style", "filled"), ("fillcolor", "#cccccc")]),
        node("pending", "pending", [("style", "solid")]),
        node("current", "version table row\\n(current)", [("style", "solid"), ("peripheries", "2")]),
      ]
    }
    for label in usedLabels.sorted() {
      let colours = DOTStyle.colours(forLabel: label)
      items.append(
        node(
          "label:" + label, "branch label\\n" + DOTStyle.escape(label),
          [("style", "filled"), ("color", colours.outline), ("fillcolor", colours.fill)]))
    }
    if !runs.isEmpty {
      items.append(node("run", "&#8230; n revisions &#8230;\\nfolded linear run", [("style", "dashed")]))
    }
    if hasGhosts {
      items.append(
        node("ghost", "missing file", [("style", "dotted"), ("color", "#a0a0a0"), ("fontcolor", "#808080")]))
    }
    if hasOutside { items.append(node("outside", "&#8230; outside the range", [("shape", "plaintext")])) }
    items.append(.edge(key: "parent", label: "down_revision", style: "solid"))
    if hasDependencies { items.append(.edge(key: "depends", label: "depends_on", style: "dashed")) }
    return items
  }

  /// A cluster of sample nodes, three to a rank, stacked with invisible edges.
  func writeLegend(_ out: inout DOTText) {
    out.append("  subgraph cluster_legend {\n")
    out.append("    label=\"Legend\"; style=\"rounded,dashed\"; color=\"#a0a0a0\"; fontsize=10;\n")
    out.append("    node [fontsize=9];\n")
    let items = legendItems()
    var anchors = [[String]]()
    for (i, item) in items.enumerated() {
      if i % 3 == 0 { anchors.append([]) }
      switch item {
      case .node(let key, let attributes):
        let name = DOTStyle.quote("legend:" + key)
        out.append("    ")
        out.append(dot: name)
        attributes.write(to: &out)
        out.append(";\n")
        anchors[anchors.count - 1].append(name)
      case .edge(let key, let label, let style):
        let from = DOTStyle.quote("legend:" + key + ":from"), to = DOTStyle.quote("legend:" + key + ":to")
        out.append(dot: "    \(from) [shape=point, width=0.05];\n")
        out.append(dot: "    \(to) [shape=point, width=0.05];\n")
        out.append(dot: "    \(from) -> \(to) [style=\(style), label=\(DOTStyle.quote(" " + label))];\n")
        anchors[anchors.count - 1].append(from)
      }
    }
    for row in anchors where row.count > 1 {
      out.append(dot: "    { rank=same; \(row.joined(separator: "; ")); }\n")
    }
    for (upper, lower) in zip(anchors, anchors.dropFirst()) {
      out.append(dot: "    \(upper[0]) -> \(lower[0]) [style=invis];\n")
    }
    out.append("  }\n")
  }
}
