import Graph
import Project

extension HeadPolicy {
  /// The policy a project configures (`allow_multiple_heads`, `branches`).
  public init(config: ProjectConfig) {
    self.init(allowMultipleHeads: config.allowMultipleHeads, branches: config.branches)
  }
}

/// The CI gate behind `revgraph check`: analyses a history tolerantly and reports every
/// problem, each with the command that fixes it.
///
/// ## Topics
/// - Running: ``check(_:base:changedAppliedRevisions:)``
/// - Results: ``CheckReport``, ``CheckFinding``
public struct HistoryChecker: Sendable {
  /// How many heads are acceptable.
  public var policy: HeadPolicy
  /// Appended to every `revgraph …` command in fixes (e.g. ` -c alembic.ini`).
  public var commandSuffix: String
  /// Paths under this directory are shown relative to it.
  public var displayRoot: String?

  /// Creates a checker.
  public init(policy: HeadPolicy = HeadPolicy(), commandSuffix: String = "", displayRoot: String? = nil) {
    self.policy = policy
    self.commandSuffix = commandSuffix
    self.displayRoot = displayRoot
  }

  /// Checks a history.
  ///
  /// - Parameters:
  ///   - history: The project's revision files, read tolerantly.
  ///   - base: The same files at a git ref, for the stale-branch check.
  ///   - changedAppliedRevisions: Applied revisions whose files changed, when a database was
  ///     consulted (`nil`: not checked).
  ///   - versionTable: The database's version-table rows, when it was read: a duplicate merge
  ///     keeps the applied copy, and the fix rewrites the rows of the ones it removes.
  /// - Returns: Every finding, most severe first.
  /// - Complexity: O(*v* + *e*) per kind of check, plus O(*h* (*v* + *e*)) for *h* heads or
  ///   stale branch starts.
  public func check(
    _ history: LoadedHistory, base: (ref: String, history: LoadedHistory)? = nil,
    changedAppliedRevisions: [ChangedRevision]? = nil, versionTable: [String]? = nil
  ) -> CheckReport {
    let loose = LooseHistory(records: history.records)
    var findings: [CheckFinding] = history.failures.map(parseFailure)
    let structural = invalidRecords(loose) + duplicateIDs(loose) + missingReferences(loose) + cycles(loose)
    findings += structural
    if structural.isEmpty {
      // Whatever else the full validation rejects (label clashes, …).
      do {
        _ = try RevisionGraph(records: history.records)
      } catch let error as GraphError {
        findings.append(graphFinding(error))
      } catch {
        findings.append(CheckFinding(kind: .invalidHistory, message: "\(error)", fix: "fix the history"))
      }
    }
    for changed in changedAppliedRevisions ?? [] {
      findings.append(
        CheckFinding(
          kind: .changedAppliedRevision,
          message:
            "revision \(changed.revision) (\(display(changed.path))) changed since it was applied: \(changed.reason)",
          fix: "restore the applied version (`git log -p -- \(display(changed.path))` shows the change) and put the"
            + " change in a new revision instead", revisions: [changed.revision], locations: [display(changed.path)]))
    }
    let duplicates = duplicateMerges(loose, versionTable: versionTable ?? [])
    findings += duplicates.findings
    // Heads that only the duplicate merges make: their fix is the one above, not a merge.
    findings += multipleHeads(loose).filter { finding in
      duplicates.removed.isEmpty || Set(finding.revisions).subtracting(duplicates.removed).count > 1
    }
    if let base { findings += staleBranches(loose, base: base.history, ref: base.ref) }
    let ordered = findings.enumerated().sorted {
      $0.element.kind.exitCode != $1.element.kind.exitCode
        ? $0.element.kind.exitCode < $1.element.kind.exitCode : $0.offset < $1.offset
    }.map(\.element)
    return CheckReport(
      findings: ordered, revisionCount: history.records.count + history.failures.count,
      heads: loose.heads.map { loose.records[$0].id }, notes: [])
  }

  // MARK: - Broken files and links

  private func parseFailure(_ error: GraphError) -> CheckFinding {
    guard case .invalidScript(let location, let reason) = error else { return graphFinding(error) }
    let shown = display(location)
    return CheckFinding(
      kind: .invalidScript, message: "\(shown): \(reason)", fix: "edit \(shown) as the message says",
      locations: [shown])
  }

  private func graphFinding(_ error: GraphError) -> CheckFinding {
    let kind: CheckFinding.Kind
    switch error {
    case .invalidScript: kind = .invalidScript
    case .missingRevision: kind = .missingRevision
    case .cycle, .dependencyCycle: kind = .cycle
    default: kind = .invalidHistory
    }
    return CheckFinding(kind: kind, message: display(error.description), fix: "edit the file the message names")
  }

  /// Ids, labels and self references each record gets wrong on its own.
  private func invalidRecords(_ loose: LooseHistory) -> [CheckFinding] {
    var findings: [CheckFinding] = []
    for record in loose.records {
      do {
        try RevisionGraph.validateRecord(record)
      } catch let error as GraphError {
        var finding = graphFinding(error)
        if case .cycle = error {
          finding.message =
            "\(display(record.location(of: "down_revision"))): revision \(record.id) names itself as its down_revision"
        }
        finding.fix = "edit \(display(record.location(of: "revision"))) as the message says"
        finding.revisions = [record.id]
        findings.append(finding)
      } catch {}
    }
    for i in loose.selfDependent {
      let record = loose.records[i]
      findings.append(
        CheckFinding(
          kind: .cycle,
          message: "\(display(record.location(of: "depends_on"))): revision \(record.id) depends on itself",
          fix: "remove \(record.id) from the depends_on line at \(display(record.location(of: "depends_on")))",
          revisions: [record.id], locations: [display(record.location(of: "depends_on"))]))
    }
    return findings
  }

  private func duplicateIDs(_ loose: LooseHistory) -> [CheckFinding] {
    var byID: [String: [Int]] = [:]
    for i in loose.duplicates { byID[loose.records[i].id, default: []].append(i) }
    return byID.keys.sorted().compactMap { id -> CheckFinding? in
      guard let first = loose.indexByID[id], let later = byID[id] else { return nil }
      let records = ([first] + later).map { loose.records[$0] }
      let paths = records.map { display($0.path) }
      let fix = GraphError.duplicateRevisionFix(paths: paths, sameMerge: GraphError.isSameMerge(records))
      return CheckFinding(
        kind: .invalidHistory,
        message: "revision id '\(id)' is declared by \(paths.count) files: \(paths.joined(separator: ", "))",
        fix: fix, revisions: [id], locations: paths)
    }
  }

  private func missingReferences(_ loose: LooseHistory) -> [CheckFinding] {
    loose.missing.map { entry in
      let record = loose.records[entry.record]
      let location = display(record.location(of: entry.field))
      let directory = display(parentDirectory(record.path))
      return CheckFinding(
        kind: .missingRevision,
        message: "\(location): revision \(record.id) names '\(entry.id)' in \(entry.field), but no revision"
          + (entry.field == "depends_on" ? " or branch label" : "") + " '\(entry.id)' exists",
        fix:
          "restore the file of \(entry.id) (`git log --all --diff-filter=D --name-only -- \(directory)` lists deleted"
          + " revision files) or fix the \(entry.field) line at \(location)",
        revisions: [record.id], locations: [location])
    }
  }

  private func cycles(_ loose: LooseHistory) -> [CheckFinding] {
    let (versioned, withDependencies) = loose.cycles()
    return versioned.map { cycleFinding($0, loose, dependencies: false) }
      + withDependencies.map { cycleFinding($0, loose, dependencies: true) }
  }

  private func cycleFinding(_ path: [String], _ loose: LooseHistory, dependencies: Bool) -> CheckFinding {
    let field = dependencies ? "down_revision or depends_on" : "down_revision"
    let locations = path.dropLast().compactMap { id in
      loose.indexByID[id].map { display(loose.records[$0].location(of: dependencies ? "depends_on" : "down_revision")) }
    }
    return CheckFinding(
      kind: .cycle,
      message: "cycle through \(field) links: \(path.joined(separator: " -> ")); a revision cannot descend from itself",
      fix: "edit the \(field) line of one of: \(locations.joined(separator: ", "))", revisions: Array(path.dropLast()),
      locations: locations)
  }

  // MARK: - Paths

  /// `path` (or a message containing it) with ``displayRoot`` removed.
  func display(_ text: String) -> String {
    guard let root = displayRoot, !root.isEmpty, root != "/" else { return text }
    let prefix = root.hasSuffix("/") ? root : root + "/"
    return text.replacingOccurrences(of: prefix, with: "")
  }

  private func parentDirectory(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return String(path[..<slash])
  }
}

extension Array where Element == Bool {
  /// `self[i]`, for use as a filter predicate.
  func elementAt(_ i: Int) -> Bool { self[i] }
}
