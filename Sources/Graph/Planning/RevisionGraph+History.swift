extension RevisionGraph {
  /// The revisions of a history range, newest first, as `alembic history -r` lists them.
  ///
  /// The range is `start:end` (either side may be empty: `base` and `heads`). It lists what
  /// an upgrade from `start` to `end` would apply plus `start` itself; a concrete start
  /// limits the list to its descendants. `label@base:` keeps only heads carrying the label.
  /// `current` on either side stands for `current`'s rows. `-N` as a start counts down from
  /// the heads; a relative end counts from the start and stops at the end of the history.
  ///
  /// - Parameters:
  ///   - range: The range, or nil for the whole history.
  ///   - current: The version table, needed only when the range says `current`.
  /// - Throws: ``GraphError`` — `invalidTarget` for a malformed range, `rangeNotAncestor`
  ///   when start is not below end, and resolution errors.
  public func history(range: String? = nil, current: [String]? = nil) throws -> [Index] {
    guard let range else {
      return orderedWalk(NodeSet.all(count: count), starts: realHeads)
    }
    let parts = range.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 2 else {
      throw GraphError.invalidTarget(
        text: range,
        reason: parts.count < 2
          ? "a history range needs a ':' — write start:end, start: or :end"
          : "a history range has exactly one ':' — write start:end, start: or :end")
    }
    let startText = parts[0].isEmpty ? "base" : parts[0]
    let endText = parts[1].isEmpty ? "heads" : parts[1]
    func rows() throws -> [Index] {
      guard let current else {
        throw GraphError.invalidTarget(
          text: range, reason: "'current' needs the database's revisions (pass --from)")
      }
      return try currentRevisions(current)
    }

    // The start: revisions (or nothing for base).
    var lower = [Index]()
    var lowerQualifier: String?
    if startText == "current" {
      lower = try rows()
    } else {
      let start = try Target(parsing: startText)
      if let relative = start.relative {
        if relative.steps < 0 && relative.symbol == nil {
          do {
            lower = try revisionsOnly(points(for: startText), startText)
          } catch GraphError.ambiguousWalk {
            // Alembic stops at a merge ("Ambiguous walk"); a history range goes down every side.
            lower = try everySide(below: relative.qualifier, steps: -relative.steps, text: startText)
          }
        } else {
          // Alembic refuses SYM±N and +N as a start; a walk from SYM is what is meant.
          let from = try symbolStart(relative)
          guard
            case .revision(let node)? = try walk(
              from: from, steps: relative.steps, qualifier: relative.qualifier, overwalk: .fail)
          else {
            throw GraphError.relativeOutOfRange(
              argument: startText, steps: relative.steps, reason: "'\(startText)' walks off the history")
          }
          lower = [node]
        }
      } else {
        lower = try revisionsOnly(points(for: startText), startText)
      }
    }

    // Alembic: any start with '@' (`label@base:`, `label@-2:`) keeps the end heads carrying the label.
    if startText != "current", startText.contains("@") {
      lowerQualifier = try Target(parsing: startText).firstSplit.qualifier
    }

    // The end: the upgrade targets, counted from the start for relative forms.
    var targets: [Index]
    if endText == "current" {
      targets = try rows()
    } else {
      let end = try Target(parsing: endText)
      if let relative = end.relative, relative.symbol == nil, relative.steps > 0 {
        var start: [Index] = lower
        if let qualifier = relative.qualifier, !start.isEmpty {
          start = try filterForLineage(start, qualifier)
        }
        if start.count > 1 {
          throw GraphError.ambiguousRelativeStart(argument: endText, current: ids(start))
        }
        let point = try walk(
          from: start.first.map { .revision($0) }, steps: relative.steps, qualifier: relative.qualifier,
          overwalk: .stop)
        guard case .revision(let node)? = point else { return [] }
        targets = [node]
      } else if let relative = end.relative, relative.symbol != nil {
        guard
          case .revision(let node)? = try walk(
            from: try symbolStart(relative), steps: relative.steps,
            qualifier: relative.steps > 0 ? relative.qualifier : nil, overwalk: .stop)
        else { return [] }
        targets = [node]
      } else {
        targets = try upgradeTargets(endText, current: [])
      }
    }

    if let qualifier = lowerQualifier {
      // `label@base:` keeps the end heads that carry the label.
      var label = labelNames.firstIndex(of: qualifier).map { Int32($0) }
      if label == nil, let node = index(of: qualifier) {
        let own = propagatedLabels[node]
        guard own.count == 1 else {
          throw GraphError.invalidTarget(
            text: range,
            reason: own.isEmpty
              ? "revision \(qualifier) carries no branch label; write a label, or a plain range such as \(qualifier):"
              : "revision \(qualifier) carries several branch labels (\(branchLabels(node).joined(separator: ", "))); write one of them"
          )
        }
        label = own.first
      }
      guard let label else { throw GraphError.unknownBranch(qualifier, hint: nearMiss(qualifier)) }
      targets = targets.filter { propagatedLabels[$0].contains(label) }
    }

    try checkNoOverlap(targets)
    let required = ancestors(of: targets, .all)
    if let outside = lower.first(where: { !required[$0] }) {
      throw GraphError.rangeNotAncestor(
        lower: startText, upper: endText,
        reason: "range \(startText):\(endText) does not run along one branch: \(id(outside)) is not below \(endText)"
          + " (\(targets.isEmpty ? "nothing" : ids(targets).joined(separator: ", ")))")
    }
    try checkNoOverlap(lower)
    let below = ancestors(of: lower, .all)
    var members = NodeSet(count: count)
    for node in required.members where !below[node] { members.insert(node) }
    for node in lower { members.insert(node) }
    if !lower.isEmpty {
      let after = descendants(of: lower, .versioned)
      var limited = NodeSet(count: count)
      for node in members.members where after[node] { limited.insert(node) }
      members = limited
    }
    return orderedWalk(members, starts: targets)
  }
}

extension RevisionGraph {
  /// `-N` as a history start across merges: the revisions `steps` down from the real heads
  /// (those carrying `label`, when given) along every parent, in load order.
  /// - Throws: ``GraphError/relativeOutOfRange(argument:steps:reason:)`` when every path ends
  ///   before `steps`.
  func everySide(below label: String?, steps: Int, text: String) throws -> [Index] {
    var frontier = realHeads
    if let label {
      guard let number = labelNames.firstIndex(of: label) else {
        throw GraphError.unknownBranch(label, hint: nearMiss(label))
      }
      frontier = frontier.filter { propagatedLabels[$0].contains(Int32(number)) }
    }
    for _ in 0..<steps {
      var next = Set<Index>()
      for node in frontier { next.formUnion(parents[node]) }
      guard !next.isEmpty else {
        throw GraphError.relativeOutOfRange(
          argument: text, steps: -steps, reason: "'\(text)' walks below the bases of the history")
      }
      frontier = next.sorted()
    }
    return frontier
  }
}
