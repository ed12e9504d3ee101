extension RevisionGraph {
  /// Resolves an upgrade target (Alembic's `_parse_upgrade_target`) against the current rows.
  ///
  /// `+N` walks up from the single current revision (from nothing on an empty database);
  /// `Q@+N` from the current revision on branch `Q`, else from where `Q` leaves the applied
  /// history; `SYM±N` walks from `SYM`. Walking off the history is an error here, where
  /// Alembic fails with an internal assertion.
  func upgradeTargets(_ text: String, current: [Index]) throws -> [Index] {
    let target = try Target(parsing: text)
    guard let relative = target.relative else {
      return try revisionsOnly(points(for: text), text)
    }
    let outOfRange = { (why: String) in
      GraphError.relativeOutOfRange(argument: text, steps: relative.steps, reason: why)
    }
    if relative.symbol == nil {
      guard relative.steps > 0 else {
        throw outOfRange(
          relative.steps == 0
            ? "'\(text)' moves zero steps; name a revision, or use +1 or more"
            : "'\(text)' goes down; use downgrade \(text) to revert revisions")
      }
      var starts: [Index?] = current.isEmpty ? [nil] : current.map { $0 }
      if let qualifier = relative.qualifier {
        var onBranch = try filterForLineage(current, qualifier)
        if onBranch.isEmpty {
          // Where the branch leaves the applied history: the tips of the applied revisions on it.
          let active = ancestors(of: current, .all)
          let activeOnBranch = try filterForLineage(active.members, qualifier)
          var below = Set<Index>()
          for node in activeOnBranch { below.formUnion(effectiveParents(of: node)) }
          onBranch = activeOnBranch.filter { !below.contains($0) }.sorted()
        }
        starts = onBranch.isEmpty ? [nil] : onBranch.map { $0 }
      }
      if starts.count > 1 {
        throw GraphError.ambiguousRelativeStart(argument: text, current: ids(starts.compactMap { $0 }))
      }
      let start: Point? = starts[0].map { .revision($0) }
      guard
        case .revision(let end)? = try walk(
          from: start, steps: relative.steps, qualifier: relative.qualifier, overwalk: .fail)
      else {
        let from = starts[0].map { id($0) } ?? "base"
        throw outOfRange(
          "'\(text)' goes past the end of the history: there are fewer than \(relative.steps) revisions above \(from)\(relative.qualifier.map { " on branch '\($0)'" } ?? "")"
        )
      }
      return [end]
    }
    let start = try symbolStart(relative)
    let end = try walk(
      from: start, steps: relative.steps, qualifier: relative.steps > 0 ? relative.qualifier : nil, overwalk: .fail)
    guard case .revision(let node)? = end else {
      throw outOfRange(
        "'\(text)' walks \(relative.steps > 0 ? "past the newest revision" : "below the base") of the history")
    }
    return [node]
  }

  /// The starting point of `SYM±N`: `SYM` itself, or `Q@SYM` when walking down with a qualifier.
  func symbolStart(_ relative: Target.Relative) throws -> Point? {
    guard let symbol = relative.symbol else { return nil }
    var spelled = symbol
    if relative.steps <= 0, let qualifier = relative.qualifier { spelled = "\(qualifier)@\(symbol)" }
    do {
      return try singlePoint(for: spelled).map { .revision($0) }
    } catch GraphError.multipleHeads(_, let heads) {
      // Name the whole argument, as Alembic does ('heads+1', not 'heads').
      let whole = (relative.qualifier.map { "\($0)@" } ?? "") + symbol + relative.stepText
      throw GraphError.multipleHeads(argument: whole, heads: heads)
    }
  }

  /// Keeps the revisions of a resolution; a walk past the base is an error here.
  func revisionsOnly(_ points: [Point?], _ text: String) throws -> [Index] {
    try points.map { point in
      guard case .revision(let node)? = point else {
        throw GraphError.relativeOutOfRange(
          argument: text, steps: 0, reason: "'\(text)' walks below the base of the history")
      }
      return node
    }
  }

  /// Resolves a downgrade destination (Alembic's `_parse_downgrade_target`).
  ///
  /// Returns the branch qualifier (if any) and the destination: a revision, or `.base`/nil
  /// for the base.
  /// The third value, when set, is a root to revert (with everything above it) in place of
  /// the destination's children: a walk that stepped below a root.
  func downgradeDestination(_ text: String, current: [Index]) throws -> (String?, Point?, Index?) {
    let target = try Target(parsing: text)
    guard let relative = target.relative else {
      let (qualifier, symbol) = target.lastSplit
      if let qualifier { _ = try resolveBranch(qualifier) }
      return (qualifier, try singlePoint(for: symbol).map { .revision($0) }, nil)
    }
    let outOfRange = { (why: String) in
      GraphError.relativeOutOfRange(argument: text, steps: relative.steps, reason: why)
    }
    if relative.steps >= 0 {
      guard relative.symbol != nil else {
        throw outOfRange("'\(text)' goes up; use upgrade \(text) to apply revisions")
      }
      let start = try symbolStart(relative)
      guard let end = try walk(from: start, steps: relative.steps, qualifier: relative.qualifier, overwalk: .fail)
      else {
        throw outOfRange("'\(text)' walks past the newest revision of the history")
      }
      return (relative.qualifier, end, nil)
    }
    var qualifier = relative.qualifier
    var start: Point?
    if let symbol = relative.symbol {
      start = try symbolStart(
        Target.Relative(qualifier: qualifier, symbol: symbol, steps: relative.steps, stepText: relative.stepText))
    } else if let branch = qualifier {
      var onBranch = try filterForLineage(current, branch)
      if onBranch.isEmpty {
        let all = ancestors(of: current, .all)
        onBranch = try filterForLineage(tips(of: all, .versioned), branch)
      }
      guard onBranch.count == 1 else {
        if onBranch.isEmpty {
          throw GraphError.invalidTarget(
            text: text, reason: "the database has no revision on branch '\(branch)'")
        }
        throw GraphError.ambiguousRelativeStart(argument: text, current: ids(onBranch))
      }
      start = .revision(onBranch[0])
    } else {
      guard !current.isEmpty else {
        throw outOfRange("'\(text)': the database is empty, there is nothing to downgrade")
      }
      if current.count > 1 {
        throw GraphError.ambiguousRelativeStart(argument: text, current: ids(current))
      }
      start = .revision(current[0])
      qualifier = id(current[0])
    }
    guard let end = try walk(from: start, steps: relative.steps, qualifier: nil, overwalk: .fail) else {
      let from =
        start.map { point -> String in
          if case .revision(let node) = point { return id(node) }
          return "base"
        } ?? "base"
      throw outOfRange(
        "'\(text)' walks below the base: there are fewer than \(-relative.steps) revisions below \(from)")
    }
    if end == .base && relative.symbol == nil {
      // Stepping below the database's root reverts that root's line: the root is the only
      // "child" of the destination (Alembic takes every base, or every base below the
      // branch's labelled revision, and so reverts unrelated trees too).
      let root =
        relative.steps == -1 ? start : try walk(from: start, steps: relative.steps + 1, qualifier: nil, overwalk: .fail)
      if case .revision(let node)? = root { return (nil, end, node) }
    }
    return (qualifier, end, nil)
  }
}
