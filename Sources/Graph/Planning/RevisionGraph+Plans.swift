extension RevisionGraph {
  /// Resolves version-table rows (or `--from` ids) and checks that none is an ancestor of another.
  ///
  /// - Throws: ``GraphError/unknownRevision(text:hint:)`` for a row that names no revision,
  ///   ``GraphError/overlappingTargets(revision:others:)`` when rows overlap.
  public func currentRevisions(_ rows: [String], allowingOverlap: Bool = false) throws -> [Index] {
    var result = [Index]()
    var seen = Set<Index>()
    for row in rows {
      guard let node = index(of: row) else {
        throw GraphError.unknownRevision(
          text: row, hint: "the version table names a revision that has no file; restore it or use stamp --purge")
      }
      if seen.insert(node).inserted { result.append(node) }
    }
    if !allowingOverlap { try checkNoOverlap(result) }
    return result
  }

  /// Throws when one of `targets` is an ancestor (through any link) of another.
  /// - Complexity: O(*v* + *e*) over the targets' ancestors; the error path costs more.
  func checkNoOverlap(_ targets: [Index]) throws {
    guard targets.count > 1 else { return }
    _ = try ancestorsCheckingOverlap(targets)
  }

  /// The revisions `targets` build on through any link, the targets included; throws when one
  /// of `targets` is an ancestor of another (as ``checkNoOverlap(_:)``).
  /// - Complexity: O(*v* + *e*) over the targets' ancestors; the error path costs more.
  func ancestorsCheckingOverlap(_ targets: [Index]) throws -> NodeSet {
    // Nothing builds on a real head, so none lies below another; and every revision lies
    // below one of them (follow children and dependents until there are none).
    if targets.allSatisfy({ children.count($0) == 0 && dependents.count($0) == 0 }),
      Set(targets).count == realHeads.count
    {
      return NodeSet.all(count: count)
    }
    // Proper ancestors of all targets together first: a target among them overlaps.
    var set = NodeSet(count: count)
    var stack = [Index]()
    for t in targets {
      stack.append(contentsOf: parents[t])
      stack.append(contentsOf: dependencies[t])
    }
    while let node = stack.popLast() {
      guard set.insert(node) else { continue }
      stack.append(contentsOf: parents[node])
      stack.append(contentsOf: dependencies[node])
    }
    if targets.count > 1 && targets.contains(where: { set[$0] }) {
      for t in targets {
        let others = ancestors(of: allParents(t), .all)
        let overlapping = targets.filter { $0 != t && others[$0] }
        if !overlapping.isEmpty {
          throw GraphError.overlappingTargets(revision: id(t), others: ids(overlapping))
        }
      }
    }
    for t in targets { set.insert(t) }
    return set
  }

  /// The plan that upgrades a database at `rows` to `target`, as `alembic upgrade` would.
  ///
  /// - Parameters:
  ///   - target: Any upgrade target: absolute (`heads`, `ae10`, `branch@head`) or relative
  ///     (`+2`, `branch@+1`, `ae10+2`, `head-1`).
  ///   - rows: The version table (empty for a new database).
  /// - Returns: The revisions to apply, oldest first, each with the version table after it.
  /// - Throws: ``GraphError`` for an unresolvable target or inconsistent rows.
  /// - Complexity: O(*v* + *e*) over the revisions involved.
  public func upgradePlan(to target: String, from rows: [String]) throws -> Plan {
    let current = try currentRevisions(rows)
    let targets = try upgradeTargets(target, current: current)
    let required = try ancestorsCheckingOverlap(targets)
    let applied = ancestors(of: current, .all)
    var needed = required
    if !applied.isEmpty {
      needed = NodeSet(count: count)
      for node in required.members where !applied[node] { needed.insert(node) }
    }
    let order: [Index]
    var tracker = VersionTableTracker(graph: self, applied: applied, steps: needed.count)
    if applied.isEmpty {
      // Everything applied afterwards is walked: the walk knows which rows each step replaces.
      let walk = orderedWalk(needed, starts: targets, recordingFreed: true)
      order = walk.order.reversed()
      // Id ranks by position: the walk's revisions are near one another there, where reading
      // `idRank` in load order would be a cache miss per step.
      let rank = layout.order.map { idRank[Int($0)] }
      for k in walk.order.indices.reversed() {
        let replaced = walk.freed[Int(walk.freedOffsets[k])..<Int(walk.freedOffsets[k + 1])]
        tracker.apply(walk.order[k], rank: rank[Int(walk.positions[k])], replacing: replaced.lazy.map { rank[Int($0)] })
      }
    } else {
      order = orderedWalk(needed, starts: targets).reversed()
      for node in order { tracker.apply(node) }
    }
    return Plan(direction: .upgrade, from: ids(current).sorted(), target: target, steps: steps(order, tracker))
  }

  /// The steps of a plan that applied or reverted `order` with `tracker`.
  private func steps(_ order: [Index], _ tracker: VersionTableTracker) -> [Plan.Step] {
    let log = tracker.log(revisions: order)
    var steps = [Plan.Step]()
    steps.reserveCapacity(order.count)
    for (position, node) in order.enumerated() {
      steps.append(Plan.Step(revision: node, log: log, position: Int32(position)))
    }
    return steps
  }

  /// The plan that downgrades a database at `rows` to `target`, as `alembic downgrade` would.
  ///
  /// Everything that builds on the target (through `down_revision` or `depends_on`) and is
  /// applied is reverted, newest first. `branch@rev` reverts only the children of `rev` on
  /// that branch; `branch@base` reverts only that branch (from where it starts).
  /// - Throws: ``GraphError`` — `rangeNotAncestor` when the target is not below the
  ///   database's revisions, `relativeOutOfRange` for a walk past the base, and resolution errors.
  public func downgradePlan(to target: String, from rows: [String]) throws -> Plan {
    // Overlapping rows (left by a bad stamp) are accepted here, as in Alembic: downgrading
    // is the way out, and the version table after each step holds only the tips.
    let current = try currentRevisions(rows, allowingOverlap: true)
    let (qualifier, destination, root) = try downgradeDestination(target, current: current)
    var roots: [Index]
    switch destination {
    case .base? where root != nil:
      roots = root.map { [$0] } ?? []
    case nil, .base?:
      if let qualifier, let label = labelNames.firstIndex(of: qualifier) {
        roots = branchStarts(label: Int32(label))
      } else {
        roots = bases
        if let qualifier {
          let allowed = ancestors(of: [try resolveBranch(qualifier)], .versioned)
          roots = roots.filter { allowed[$0] }
          if roots.isEmpty {
            throw GraphError.rangeNotAncestor(
              lower: target, upper: ids(current).joined(separator: ","),
              reason: "'\(target)': no base lies below '\(qualifier)', so there is nothing to revert on that branch")
          }
        }
      }
    case .revision(let node)?:
      roots = Array(children[node])
      if let qualifier {
        // The qualifier must name something; with several children it keeps those leading to
        // the branch (with one child, Alembic applies no filter, and neither does revgraph).
        let branch = try resolveBranch(qualifier)
        if roots.count > 1 {
          let allowed = ancestors(of: [branch], .versioned)
          roots = roots.filter { allowed[$0] }
        }
        if roots.isEmpty && children.count(node) > 0 {
          throw GraphError.rangeNotAncestor(
            lower: target, upper: ids(current).joined(separator: ","),
            reason: "'\(target)': no child of \(id(node)) is on branch '\(qualifier)', so nothing on that branch"
              + " can be reverted; check the branch name")
        }
      }
    }
    let drop = descendants(of: roots, .all)
    let applied = ancestors(of: current, .all)
    var reverting = NodeSet(count: count)
    for node in drop.members where applied[node] { reverting.insert(node) }
    if case .revision(let node)? = destination, reverting.isEmpty, !current.contains(node) {
      let at = current.isEmpty ? "base" : ids(current).joined(separator: ", ")
      let why =
        applied[node]
        ? "\(id(node)) is applied only as a dependency of \(at), and nothing above it on its own line is applied"
        : "\(id(node)) is not applied (the database is at \(at)); use upgrade to move forward"
      throw GraphError.rangeNotAncestor(
        lower: target, upper: at, reason: "destination \(target) is not a valid downgrade target: \(why)")
    }
    let order = orderedWalk(reverting, starts: current)
    var tracker = VersionTableTracker(graph: self, applied: applied, steps: order.count)
    for node in order { tracker.revert(node) }
    return Plan(direction: .downgrade, from: ids(current).sorted(), target: target, steps: steps(order, tracker))
  }

  /// The revisions where a label's branch starts: those carrying the label whose parents do not.
  func branchStarts(label: Int32) -> [Index] {
    (0..<Index(count)).filter { node in
      propagatedLabels[node].contains(label)
        && !parents[node].contains { propagatedLabels[$0].contains(label) }
    }
  }
}
