import Graph

/// The shape checks: duplicate merges, multiple heads, stale branches.
extension HistoryChecker {
  /// Merge revisions of the same parents: one finding per group, whose fix keeps one copy —
  /// the applied one, else the one others build on, else the deterministic id, else the
  /// first — and removes the others (rebasing their children onto the kept one first, and,
  /// when a removed copy is in the version table, stamping the rows without it). `removed`:
  /// the ids the fixes remove.
  func duplicateMerges(_ loose: LooseHistory, versionTable rows: [String]) -> (
    findings: [CheckFinding], removed: Set<String>
  ) {
    var removed = Set<String>()
    var groups: [[String]: [Int]] = [:]
    var order: [[String]] = []
    for i in 0..<loose.count where loose.isPrimary(i) && loose.parents[i].count > 1 {
      let key = loose.parents[i].map { loose.records[$0].id }.sorted()
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(i)
    }
    let findings = order.compactMap { key -> CheckFinding? in
      guard let members = groups[key], members.count > 1 else { return nil }
      let deterministic = MergePlanner.deterministicID(parents: key)
      let keep =
        members.first { rows.contains(loose.records[$0].id) } ?? members.first { !loose.children[$0].isEmpty }
        ?? members.first { loose.records[$0].id == deterministic } ?? members[0]
      let others = members.filter { $0 != keep }
      var steps: [String] = []
      for other in others {
        for child in loose.children[other] {
          steps.append("revgraph rebase \(loose.records[child].id) --onto \(loose.records[keep].id)\(commandSuffix)")
        }
      }
      let otherIDs = Set(others.map { loose.records[$0].id })
      removed.formUnion(otherIDs)
      if rows.contains(where: otherIDs.contains) {
        // The kept copy merges the same parents, so it stands in for the removed ones.
        var kept = rows.filter { !otherIDs.contains($0) }
        if !kept.contains(loose.records[keep].id) { kept.append(loose.records[keep].id) }
        steps.append("revgraph stamp --purge \(kept.sorted().joined(separator: " "))\(commandSuffix)")
      }
      for other in others { steps.append("git rm \(display(loose.records[other].path))") }
      let described = members.map { "\(loose.records[$0].id) (\(display(loose.records[$0].path)))" }
      return CheckFinding(
        kind: .duplicateMerge,
        message: "\(described.joined(separator: " and ")) all merge \(key.joined(separator: ", ")): the same heads"
          + " were merged twice, so the history has a head per merge",
        fix: steps.joined(separator: " && "), revisions: members.map { loose.records[$0].id },
        locations: members.map { display(loose.records[$0].path) })
    }
    return (findings, removed)
  }

  func multipleHeads(_ loose: LooseHistory) -> [CheckFinding] {
    let heads = loose.heads
    guard !policy.allowMultipleHeads, heads.count > 1 else { return [] }
    func describe(_ list: [Int]) -> String {
      list.map { "\(loose.records[$0].id) (\(display(loose.records[$0].path)))" }.joined(separator: ", ")
    }
    func mergeCommand(_ list: [Int]) -> String {
      let everyHead = list.count == heads.count && list.allSatisfy { loose.isRealHead($0) }
      let arguments = everyHead ? "heads" : list.map { loose.records[$0].id }.joined(separator: " ")
      var fix = "revgraph merge \(arguments)\(commandSuffix)"
      if list.count == 2, let start = branchStart(loose, of: list[1], notIn: list[0]) {
        fix +=
          "  (or, for a linear history: revgraph rebase \(start) --onto \(loose.records[list[0]].id)\(commandSuffix))"
      }
      return fix
    }
    guard !policy.branches.isEmpty else {
      return [
        CheckFinding(
          kind: .multipleHeads,
          message: "\(heads.count) heads: \(describe(heads)); `head` is ambiguous and upgrades must pick a branch",
          fix: mergeCommand(heads), revisions: heads.map { loose.records[$0].id },
          locations: heads.map { display(loose.records[$0].path) })
      ]
    }
    var findings: [CheckFinding] = []
    var byBranch: [String: [Int]] = [:]
    var unnamed: [Int] = []
    for head in heads {
      let labels = loose.labels(reaching: head)
      let branches = policy.branches.filter(labels.contains)
      if branches.isEmpty { unnamed.append(head) }
      for branch in branches { byBranch[branch, default: []].append(head) }
    }
    for branch in policy.branches {
      guard let list = byBranch[branch], list.count > 1 else { continue }
      findings.append(
        CheckFinding(
          kind: .multipleHeads, message: "branch '\(branch)' has \(list.count) heads: \(describe(list))",
          fix: mergeCommand(list), revisions: list.map { loose.records[$0].id },
          locations: list.map { display(loose.records[$0].path) }))
    }
    if !unnamed.isEmpty {
      let names = policy.branches.joined(separator: ", ")
      findings.append(
        CheckFinding(
          kind: .multipleHeads,
          message: "\(unnamed.count == 1 ? "head" : "heads") \(describe(unnamed)) \(unnamed.count == 1 ? "is" : "are")"
            + " on none of the configured branches (\(names))",
          fix: "merge \(unnamed.count == 1 ? "it" : "them") into a branch: revgraph merge "
            + (unnamed + (byBranch[policy.branches[0]]?.prefix(1) ?? [])).map { loose.records[$0].id }.joined(
              separator: " ")
            + commandSuffix + ", or add its branch label to `branches` in the config",
          revisions: unnamed.map { loose.records[$0].id }, locations: unnamed.map { display(loose.records[$0].path) }))
    }
    return findings
  }

  /// The single revision where `head`'s line leaves `other`'s history, if there is exactly
  /// one and it is not a merge (so rebasing it onto `other` linearises the two).
  func branchStart(_ loose: LooseHistory, of head: Int, notIn other: Int) -> String? {
    let mine = loose.ancestors(of: [head])
    let theirs = loose.ancestors(of: [other])
    let starts = (0..<loose.count).filter { i in
      mine[i] && !theirs[i] && !loose.parents[i].contains { mine[$0] && !theirs[$0] }
    }
    guard starts.count == 1, loose.parents[starts[0]].count <= 1 else { return nil }
    return loose.records[starts[0]].id
  }

  // MARK: - Stale branches

  func staleBranches(_ loose: LooseHistory, base: LoadedHistory, ref: String) -> [CheckFinding] {
    let baseLoose = LooseHistory(records: base.records)
    let baseIDs = Set(base.records.map(\.id))
    let baseHeads = baseLoose.heads
    guard !baseHeads.isEmpty else { return [] }
    let headsHere = baseHeads.compactMap { loose.indexByID[baseLoose.records[$0].id] }
    // Fine: revisions that are, or lead to, a descendant of one of REF's heads.
    let fine = loose.ancestors(of: (0..<loose.count).filter(loose.descendants(of: headsHere).elementAt))
    let onBase = loose.descendants(of: (0..<loose.count).filter { baseIDs.contains(loose.records[$0].id) })
    let stale = (0..<loose.count).filter { i in
      loose.isPrimary(i) && !baseIDs.contains(loose.records[i].id) && onBase[i] && !fine[i]
    }
    let staleSet = Set(stale)
    return stale.filter { i in !loose.parents[i].contains(where: staleSet.contains) }.map { start in
      let record = loose.records[start]
      let branch = loose.descendants(of: [start])
      let members = stale.filter { branch[$0] }.map { loose.records[$0].id }
      // REF's heads on the same line: those built on the start's parents in REF's history.
      let parentsInBase = record.downRevisions.compactMap { baseLoose.indexByID[$0] }
      let reach = baseLoose.descendants(of: parentsInBase)
      var targets = baseHeads.filter { reach[$0] }.map { baseLoose.records[$0].id }
      if targets.isEmpty { targets = baseHeads.map { baseLoose.records[$0].id } }
      var fix = "git merge \(ref) (or git rebase \(ref)), then revgraph merge heads\(commandSuffix)"
      if targets.count == 1 && loose.parents[start].count <= 1 {
        fix += "  (or, for a linear history: revgraph rebase \(record.id) --onto \(targets[0])\(commandSuffix))"
      }
      return CheckFinding(
        kind: .staleBranch,
        message:
          "\(members.joined(separator: ", ")) (from \(display(record.path))) \(members.count == 1 ? "was" : "were")"
          + " added on top of \(record.downRevisions.joined(separator: ", ")), but \(ref) has moved on to"
          + " \(targets.joined(separator: ", ")); merged as is, the history would have several heads",
        fix: fix, revisions: members, locations: [display(record.path)])
    }
  }
}
