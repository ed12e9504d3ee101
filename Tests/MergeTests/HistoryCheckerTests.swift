import Graph
import Testing

@testable import Merge

@Suite struct HistoryCheckerTests {
  /// A record at `/p/v/<id>.sql` with header lines 1 (revision), 2 (down_revision), 3 (depends_on).
  static func record(
    _ id: String, _ parents: [String] = [], labels: [String] = [], deps: [String] = [], path: String? = nil
  )
    -> RevisionRecord
  {
    RevisionRecord(
      id: id, downRevisions: parents, branchLabels: labels, dependsOn: deps, message: "rev \(id)",
      path: path ?? "/p/v/\(id).sql", lines: ["revision": 1, "down_revision": 2, "depends_on": 3])
  }

  static let checker = HistoryChecker(displayRoot: "/p")

  static func kinds(_ report: CheckReport) -> [String] { report.findings.map(\.kind.rawValue) }

  @Test("a clean linear history")
  func clean() {
    let report = Self.checker.check(LoadedHistory(records: [Self.record("a"), Self.record("b", ["a"])]))
    #expect(report.findings.isEmpty)
    #expect(report.exitCode == 0)
    #expect(report.heads == ["b"])
  }

  @Test("two heads: exit 9, fixed by merge heads (or a rebase)")
  func multipleHeads() throws {
    let report = Self.checker.check(
      LoadedHistory(records: [Self.record("a"), Self.record("b1", ["a"]), Self.record("b2", ["a"])]))
    #expect(Self.kinds(report) == ["multiple-heads"])
    #expect(report.exitCode == 9)
    let finding = try #require(report.findings.first)
    #expect(finding.message.hasPrefix("2 heads: b1 (v/b1.sql), b2 (v/b2.sql)"))
    #expect(finding.fix == "revgraph merge heads  (or, for a linear history: revgraph rebase b2 --onto b1)")
    let suffixed = HistoryChecker(commandSuffix: " -c alembic.ini").check(
      LoadedHistory(records: [Self.record("a"), Self.record("b1", ["a"]), Self.record("b2", ["a"])]))
    #expect(suffixed.findings.first?.fix.hasPrefix("revgraph merge heads -c alembic.ini") == true)
  }

  @Test("allow_multiple_heads and named branches")
  func headPolicy() {
    let records = [
      Self.record("n1", labels: ["net"]), Self.record("n2", ["n1"]), Self.record("c1", labels: ["cart"]),
      Self.record("c2", ["c1"]), Self.record("c3", ["c1"]),
    ]
    #expect(
      HistoryChecker(policy: HeadPolicy(allowMultipleHeads: true)).check(LoadedHistory(records: records)).findings
        .isEmpty)
    let branches = HistoryChecker(policy: HeadPolicy(branches: ["net", "cart"])).check(LoadedHistory(records: records))
    #expect(branches.findings.map(\.message) == ["branch 'cart' has 2 heads: c2 (/p/v/c2.sql), c3 (/p/v/c3.sql)"])
    #expect(branches.findings.first?.fix.hasPrefix("revgraph merge c2 c3") == true)
    let unnamed = HistoryChecker(policy: HeadPolicy(branches: ["net"])).check(
      LoadedHistory(records: Array(records.prefix(3))))
    #expect(unnamed.findings.count == 1)
    #expect(unnamed.findings.first?.message.contains("c1") == true)
    #expect(unnamed.findings.first?.message.contains("none of the configured branches (net)") == true)
  }

  @Test("every problem at once, most severe first; the exit code is the lowest")
  func everything() {
    let history = LoadedHistory(
      records: [
        Self.record("a"), Self.record("b", ["a", "gone"]), Self.record("c", ["d"]), Self.record("d", ["c"]),
        Self.record("e", ["a"], deps: ["nolabel"]), Self.record("a", path: "/p/v/a_copy.sql"),
        Self.record("x-y"),
      ],
      failures: [.invalidScript(location: "/p/v/broken.py:3", reason: "down_revision must be …")])
    let report = Self.checker.check(history)
    #expect(
      Self.kinds(report) == [
        "invalid-script", "invalid-script", "missing-revision", "missing-revision", "cycle", "invalid-history",
        "multiple-heads",
      ])
    #expect(report.exitCode == 3)
    #expect(report.findings[0].message == "v/broken.py:3: down_revision must be …")
    #expect(report.findings[2].message.hasPrefix("v/b.sql:2: revision b names 'gone' in down_revision"))
    #expect(report.findings[3].message.contains("no revision or branch label 'nolabel'"))
    #expect(report.findings[4].message.contains("c -> d -> c"))
    #expect(report.findings[5].message == "revision id 'a' is declared by 2 files: v/a.sql, v/a_copy.sql")
    #expect(report.findings[5].fix.hasPrefix("give v/a_copy.sql a new revision id"))
  }

  @Test("two merges of the same heads: exit 8, keep one, git rm the other")
  func duplicateMerges() throws {
    let merge = MergePlanner.deterministicID(parents: ["b1", "b2"])
    let history = LoadedHistory(records: [
      Self.record("a"), Self.record("b1", ["a"]), Self.record("b2", ["a"]), Self.record("m1", ["b2", "b1"]),
      Self.record(merge, ["b1", "b2"]),
    ])
    let report = Self.checker.check(history)
    // One finding, one fix: the second head is the duplicate's, so no `merge heads` advice
    // (which would add a third merge) beside it.
    #expect(Self.kinds(report) == ["duplicate-merge"])
    #expect(report.exitCode == 8)
    #expect(report.findings[0].fix == "git rm v/m1.sql")
    // When the other merge has children, they are moved first.
    let built = Self.checker.check(LoadedHistory(records: history.records + [Self.record("n", ["m1"])]))
    #expect(built.findings[0].fix == "git rm v/\(merge).sql")
    // A head of its own beside the duplicates is still a multiple-heads finding.
    let another = Self.checker.check(LoadedHistory(records: history.records + [Self.record("z", ["a"])]))
    #expect(Self.kinds(another) == ["duplicate-merge", "multiple-heads"])
  }

  @Test("the same merge written twice with different messages: git rm one")
  func sameMergeTwice() {
    let history = LoadedHistory(records: [
      Self.record("a"), Self.record("b1", ["a"]), Self.record("b2", ["a"]),
      Self.record("m", ["b1", "b2"], path: "/p/v/m_merge.sql"),
      Self.record("m", ["b1", "b2"], path: "/p/v/m_join.sql"),
    ])
    let report = Self.checker.check(history)
    #expect(Self.kinds(report) == ["invalid-history"])
    #expect(report.findings[0].fix.hasPrefix("`git rm v/m_join.sql`"))
  }

  @Test("applied revisions whose file changed are reported when the runner supplies them (exit 7)")
  func changedApplied() {
    let report = Self.checker.check(
      LoadedHistory(records: [Self.record("a")]),
      changedAppliedRevisions: [ChangedRevision(revision: "a", path: "/p/v/a.sql", reason: "checksum differs")])
    #expect(Self.kinds(report) == ["changed-applied-revision"])
    #expect(report.exitCode == 7)
    #expect(report.findings[0].message == "revision a (v/a.sql) changed since it was applied: checksum differs")
  }

  @Test("stale branch: added since REF on top of a revision REF has moved past (exit 10)")
  func staleBranch() throws {
    let base = LoadedHistory(records: [Self.record("a"), Self.record("m1", ["a"]), Self.record("m2", ["m1"])])
    // My branch forked at m1 and never saw m2.
    let mine = LoadedHistory(records: [
      Self.record("a"), Self.record("m1", ["a"]), Self.record("f1", ["m1"]), Self.record("f2", ["f1"]),
    ])
    let report = Self.checker.check(mine, base: (ref: "origin/main", history: base))
    #expect(Self.kinds(report) == ["stale-branch"])
    #expect(report.exitCode == 10)
    let finding = try #require(report.findings.first)
    #expect(finding.revisions == ["f1", "f2"])
    #expect(finding.message.contains("added on top of m1, but origin/main has moved on to m2"))
    #expect(finding.fix.contains("git merge origin/main"))
    #expect(finding.fix.contains("revgraph rebase f1 --onto m2"))
    // After `git merge origin/main` and a merge revision, nothing is stale (but two heads were merged).
    let merged = LoadedHistory(records: mine.records + [Self.record("m2", ["m1"]), Self.record("mm", ["f2", "m2"])])
    #expect(Self.checker.check(merged, base: (ref: "origin/main", history: base)).findings.isEmpty)
    // Building on REF's head is fine; so is a new independent root.
    let fresh = LoadedHistory(records: base.records + [Self.record("f1", ["m2"])])
    #expect(Self.checker.check(fresh, base: (ref: "origin/main", history: base)).findings.isEmpty)
  }

  @Test("exit codes: one per kind, ordered by severity")
  func exitCodes() {
    // 11 belongs to `revgraph conflicts`; 12 and 13 are the declared-schema findings.
    #expect(CheckFinding.Kind.allCases.map(\.exitCode) == Array(3...10) + [12, 13])
  }
}

extension HistoryCheckerTests {
  @Test("a label clash is still found when another file does not parse")
  func labelClashBesideBrokenFile() {
    let history = LoadedHistory(
      records: [Self.record("a", labels: ["x"]), Self.record("b", ["a"], labels: ["x"])],
      failures: [.invalidScript(location: "/p/v/broken.sql:1", reason: "no revision")])
    let report = Self.checker.check(history)
    #expect(Self.kinds(report) == ["invalid-script", "invalid-history"])
    #expect(report.findings[1].message.contains("branch label 'x'"))
  }
}
