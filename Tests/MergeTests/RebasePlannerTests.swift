import Foundation
import Graph
import TestSupport
import Testing

@testable import Merge

@Suite struct RebasePlannerTests {
  @Test("round trip on random histories: loads, one head fewer, only the rebased file changed")
  func randomRoundTrips() throws {
    let rebased = try (1...40).filter { try Self.roundTrip(seed: $0) }
    #expect(rebased.count >= 15, "only \(rebased.count) of 40 random histories had a branch to rebase")
  }

  /// Rebases one branch of a random history onto another head; false when there was none.
  static func roundTrip(seed: UInt64) throws -> Bool {
    var rng = SplitMix64(seed: seed)
    let project = try TestProject()
    try RandomHistory.write(size: Int.random(in: 4...40, using: &rng), into: project, rng: &rng)
    let graph = try project.graph()
    let heads = graph.heads
    guard heads.count >= 2 else { return false }
    // Find a head whose line leaves another head's history at one non-merge revision.
    for target in heads {
      for moving in heads where moving != target {
        let theirs = graph.ancestorMask(of: [target])
        let mine = graph.ancestorMask(of: [moving])
        let starts = (0..<graph.count).map { RevisionGraph.Index($0) }.filter { i in
          mine[Int(i)] && !theirs[Int(i)] && !graph.parentIndices(i).contains { mine[Int($0)] && !theirs[Int($0)] }
        }
        guard starts.count == 1, !graph.isMergePoint(starts[0]) else { continue }
        let start = graph.id(starts[0])
        let plan: RebasePlan
        do {
          plan = try RebasePlanner(graph: graph).plan(revision: start, onto: graph.id(target))
        } catch MergeError.rebaseInvalid, MergeError.rebaseCycle {
          continue  // a depends_on link would loop: refusing is right
        }
        let before = try project.snapshot()
        try plan.file.write(replacing: true)
        let after = try project.snapshot()
        let changed = before.keys.filter { before[$0] != after[$0] }
        #expect(changed == [URL(fileURLWithPath: plan.file.path).lastPathComponent], "seed \(seed)")
        #expect(Set(after.keys) == Set(before.keys))
        let rebased = try project.graph()
        rebased.checkInvariants()
        #expect(rebased.heads.count == heads.count - 1, "seed \(seed): \(start) onto \(graph.id(target))")
        #expect(rebased.ids(rebased.heads) == plan.headsAfter)
        #expect(rebased.record(try #require(rebased.index(of: start))).downRevisions == [graph.id(target)])
        // Only the down_revision line differs.
        let old = String(decoding: before[changed[0]] ?? Data(), as: UTF8.self).split(separator: "\n")
        let new = String(decoding: after[changed[0]] ?? Data(), as: UTF8.self).split(separator: "\n")
        let isParentLine = { (line: Substring) in line.hasPrefix("-- down_revision:") }
        #expect(old.filter { !isParentLine($0) } == new.filter { !isParentLine($0) }, "seed \(seed)")
        #expect(new.filter(isParentLine) == ["-- down_revision: \(graph.id(target))"])
        return true
      }
    }
    return false
  }

  @Test("native: a base gets a down_revision line after its revision line, CRLF kept")
  func nativeBase() throws {
    let project = try TestProject()
    try project.revision("a")
    try project.write("m/versions/b.sql", "-- revision: b\r\n-- message: b\r\n\r\n-- +upgrade\r\n")
    let plan = try RebasePlanner(graph: try project.graph()).plan(revision: "b", onto: "a")
    #expect(plan.file.text == "-- revision: b\r\n-- down_revision: a\r\n-- message: b\r\n\r\n-- +upgrade\r\n")
    #expect(plan.oldParents == [])
    #expect(plan.headsAfter == ["b"])
  }

  @Test("Alembic: the assignment (annotation, comment, quote style kept) and the Revises: line")
  func alembicRewrite() throws {
    let project = try TestProject(kind: .alembic)
    try project.script("a")
    try project.script("b", parents: ["a"])
    try project.write(
      "m/versions/c_r.py",
      """
      \"\"\"black-formatted

      Revision ID: c
      Revises: a
      \"\"\"
      revision = "c"
      down_revision = (  # the parent
          "a"
      )
      branch_labels = None


      def upgrade():
          pass

      """)
    let plan = try RebasePlanner(graph: try project.graph()).plan(revision: "c", onto: "b")
    #expect(
      plan.file.text == """
        \"\"\"black-formatted

        Revision ID: c
        Revises: b
        \"\"\"
        revision = "c"
        down_revision = "b"
        branch_labels = None


        def upgrade():
            pass

        """)
    let two = try RebasePlanner(graph: try project.graph()).plan(revision: "b", onto: "base")
    #expect(two.file.text.contains("down_revision: Union[str, Sequence[str], None] = None\n"))
    #expect(two.file.text.contains("\nRevises: \nCreate Date:"))
  }

  @Test("refusals: cycles, merge revisions, no change, applied revisions")
  func refusals() throws {
    let project = try TestProject()
    try project.revision("a")
    try project.revision("b", parents: ["a"])
    try project.revision("c", parents: ["b"])
    try project.revision("d", parents: ["a"])
    try project.revision("m", parents: ["c", "d"])
    let planner = RebasePlanner(graph: try project.graph())
    #expect(throws: MergeError.rebaseCycle(revision: "b", onto: ["m"], path: ["b", "c", "m", "b"])) {
      try planner.plan(revision: "b", onto: "m")
    }
    #expect(throws: MergeError.rebaseMergeRevision(revision: "m", parents: ["c", "d"])) {
      try planner.plan(revision: "m", onto: "a")
    }
    #expect(throws: MergeError.rebaseNoChange(revision: "b", parents: ["a"])) {
      try planner.plan(revision: "b", onto: "a")
    }
    #expect(throws: MergeError.rebaseApplied(revision: "d", applied: ["d", "m"], downgrades: [])) {
      try planner.plan(revision: "d", onto: "c", appliedRevisions: ["a", "d", "m"])
    }
    // Not applied: fine, and the moved revisions are listed.
    #expect(try planner.plan(revision: "d", onto: "c", appliedRevisions: ["a"]).moved == ["d", "m"])
  }

  /// Applies `targets` as `revgraph downgrade` would, in turn, from `rows`: the revisions
  /// reverted, and the rows after.
  static func simulate(_ graph: RevisionGraph, _ targets: [String], from rows: [String]) throws -> (
    Set<String>, [String]
  ) {
    var rows = rows
    var reverted = Set<String>()
    for target in targets {
      let plan = try graph.downgradePlan(to: target, from: rows)
      reverted.formUnion(plan.steps.map(\.id))
      rows = plan.finalVersionTable
    }
    return (reverted, rows)
  }

  @Test("refused because the branch is applied: the advised downgrades revert exactly the moved applied revisions")
  func appliedAdvice() throws {
    var advised = 0
    var unadvised: [String] = []
    for seed in UInt64(1)...80 {
      var rng = TestSupport.SplitMix64(seed: seed &* 7919)
      let graph = try RandomGraph.graph(sizes: 3...30, rng: &rng)
      let rows = RandomGraph.state(graph, rng: &rng)
      let applied = Set(try graph.appliedRevisions(rows).map(graph.id))
      let planner = RebasePlanner(graph: graph)
      for node in (0..<graph.count).map({ RevisionGraph.Index($0) }) where !graph.isMergePoint(node) {
        let id = graph.id(node)
        guard applied.contains(id) else { continue }
        do {
          _ = try planner.plan(revision: id, onto: "base", appliedRevisions: applied, versionTable: rows)
        } catch MergeError.rebaseApplied(_, let moved, let downgrades) {
          guard !downgrades.isEmpty else {
            unadvised.append("seed \(seed) \(id) from \(rows)")
            continue
          }
          advised += 1
          let (reverted, after) = try Self.simulate(graph, downgrades, from: rows)
          #expect(reverted == Set(moved), "seed \(seed), \(id): \(downgrades) from \(rows)")
          // Nothing else was touched: every other applied revision is still applied.
          let still = Set(try graph.appliedRevisions(after).map(graph.id))
          #expect(still == applied.subtracting(moved), "seed \(seed), \(id): \(downgrades)")
        } catch is MergeError {
          continue
        }
      }
    }
    #expect(advised >= 40, "advised \(advised)")
    // Every refusal comes with commands that revert exactly the moved revisions.
    #expect(unadvised.isEmpty, "\(unadvised.count) without advice: \(unadvised.prefix(5))")
  }

  @Test("two branches applied: the advice reverts only the branch being rebased")
  func appliedAdviceTwoBranches() throws {
    let project = try TestProject()
    try project.revision("p")
    try project.revision("a1", parents: ["p"])
    try project.revision("a2", parents: ["a1"])
    try project.revision("b1", parents: ["p"])
    let graph = try project.graph()
    let rows = ["a2", "b1"]
    #expect(
      throws: MergeError.rebaseApplied(revision: "a1", applied: ["a1", "a2"], downgrades: ["a2@-2"])
    ) {
      try RebasePlanner(graph: graph).plan(
        revision: "a1", onto: "b1", appliedRevisions: Set(try graph.appliedRevisions(rows).map(graph.id)),
        versionTable: rows)
    }
    // The old advice, `a1-1` (= p), would have reverted b1 too.
    #expect(try Self.simulate(graph, ["a1-1"], from: rows).0 == ["a1", "a2", "b1"])
    #expect(try Self.simulate(graph, ["a2@-2"], from: rows) == (["a1", "a2"], ["b1"]))
  }
}
