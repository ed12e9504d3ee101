import TestSupport
import Testing

@testable import Graph

/// Group D of alembic-cases.md: upgrade and downgrade plans and the version table.
@Suite struct PlanTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var id: String
    var graph: String
    var direction: Plan.Direction
    var target: String
    var from: [String]
    /// The steps in order and the final version table, or an error kind.
    var steps: Outcome
    var final: [String] = []
    var testDescription: String { "\(id): \(direction.rawValue) \(target) from (\(from.joined(separator: ",")))" }
  }

  static let cases: [Case] = [
    Case(
      id: "D01", graph: Fixture.branched, direction: .upgrade, target: "heads", from: [],
      steps: .ids(["a", "b", "c2", "d2", "c1", "d1"]), final: ["d1", "d2"]),
    Case(
      id: "D02", graph: Fixture.diamond, direction: .upgrade, target: "e", from: ["d1"],
      steps: .ids(["c2", "d2", "e"]), final: ["e"]),
    Case(
      id: "D03", graph: Fixture.diamond, direction: .downgrade, target: "b", from: ["e"],
      steps: .ids(["e", "d1", "c1", "d2", "c2"]), final: ["b"]),
    Case(
      id: "D04 -1 from two heads (Alembic: first row, warning)", graph: Fixture.branched, direction: .downgrade,
      target: "-1", from: ["d1", "d2"], steps: .error("ambiguous-revision")),
    Case(
      id: "D05 +1 from two rows", graph: Fixture.branched, direction: .upgrade, target: "+1", from: ["c1", "c2"],
      steps: .error("ambiguous-revision")),
    Case(
      id: "D05 +1 at a branch point", graph: Fixture.branched, direction: .upgrade, target: "+1", from: ["b"],
      steps: .error("ambiguous-revision")),
    Case(
      id: "D06 -1 from a merge point", graph: Fixture.diamond, direction: .downgrade, target: "-1", from: ["e"],
      steps: .error("ambiguous-revision")),
    Case(
      id: "D07 branch-qualified", graph: Fixture.branched, direction: .downgrade, target: "c1br@b", from: ["d1", "d2"],
      steps: .ids(["d1", "c1"]), final: ["d2"]),
    Case(
      id: "D07 unqualified", graph: Fixture.branched, direction: .downgrade, target: "b", from: ["d1", "d2"],
      steps: .ids(["d1", "c1", "d2", "c2"]), final: ["b"]),
    Case(
      id: "D08 base", graph: Fixture.branched, direction: .downgrade, target: "base", from: ["d1", "d2"],
      steps: .ids(["d1", "c1", "d2", "c2", "b", "a"]), final: []),
    Case(
      id: "D08 label@base removes only that branch (Alembic: everything)", graph: Fixture.branched,
      direction: .downgrade, target: "c1br@base", from: ["d1", "d2"], steps: .ids(["d1", "c1"]), final: ["d2"]),
    Case(
      id: "D09 not applied", graph: Fixture.branched, direction: .downgrade, target: "d1", from: ["b"],
      steps: .error("range-not-ancestor")),
    Case(
      id: "D10 upgrade to an ancestor", graph: Fixture.branched, direction: .upgrade, target: "b", from: ["d1"],
      steps: .ids([]), final: ["d1"]),
    Case(
      id: "D10 downgrade to a row", graph: Fixture.branched, direction: .downgrade, target: "d1", from: ["d1", "c2"],
      steps: .ids([]), final: ["c2", "d1"]),
    Case(
      id: "D11 overlapping rows", graph: Fixture.branched, direction: .upgrade, target: "heads", from: ["a", "c1"],
      steps: .error("overlapping-targets")),
    Case(
      id: "D12 label@+1 from another branch", graph: Fixture.branched, direction: .upgrade, target: "c1br@+1",
      from: ["c2"], steps: .ids(["c1"]), final: ["c1", "c2"]),
    Case(
      id: "D13 +5", graph: Fixture.branched, direction: .upgrade, target: "+5", from: ["c1"],
      steps: .error("relative-out-of-range")),
    Case(
      id: "D13 upgrade -1", graph: Fixture.branched, direction: .upgrade, target: "-1", from: ["c1"],
      steps: .error("relative-out-of-range")),
    Case(
      id: "D13 +0", graph: Fixture.branched, direction: .upgrade, target: "+0", from: ["c1"],
      steps: .error("relative-out-of-range")),
    Case(
      id: "D13 downgrade +1", graph: Fixture.branched, direction: .downgrade, target: "+1", from: ["c1"],
      steps: .error("relative-out-of-range")),
    Case(
      id: "D13 downgrade -1 empty", graph: Fixture.branched, direction: .downgrade, target: "-1", from: [],
      steps: .error("relative-out-of-range")),
    Case(
      id: "D13 downgrade d1+1", graph: Fixture.branched, direction: .downgrade, target: "d1+1", from: ["d1"],
      steps: .error("relative-out-of-range")),
    Case(
      id: "D14 d1+5 (Alembic asserts)", graph: Fixture.branched, direction: .upgrade, target: "d1+5", from: [],
      steps: .error("relative-out-of-range")),
    Case(
      id: "D14 a-1 (Alembic asserts)", graph: Fixture.branched, direction: .upgrade, target: "a-1", from: [],
      steps: .error("relative-out-of-range")),
    Case(
      id: "D14 head+1 (Alembic asserts)", graph: Fixture.linear, direction: .upgrade, target: "head+1", from: [],
      steps: .error("relative-out-of-range")),
    Case(
      id: "D15 dependency pulled in", graph: Fixture.dependent, direction: .upgrade, target: "ybr@head", from: [],
      steps: .ids(["x1", "y1", "y2"]), final: ["y2"]),
    Case(
      id: "D16 dependency branch goes on", graph: "x1<base [xbr], x2<x1, y1<base [ybr], y2<y1 dep:x1",
      direction: .upgrade, target: "heads", from: [], steps: .ids(["x1", "y1", "y2", "x2"]), final: ["x2", "y2"]),
    Case(
      id: "D17 xbr@base takes dependents", graph: "x1<base [xbr], x2<x1, y1<base [ybr], y2<y1 dep:x1",
      direction: .downgrade, target: "xbr@base", from: ["y2", "x2"], steps: .ids(["x2", "y2", "x1"]), final: ["y1"]),
    Case(
      id: "D17 ybr@base", graph: "x1<base [xbr], x2<x1, y1<base [ybr], y2<y1 dep:x1",
      direction: .downgrade, target: "ybr@base", from: ["y2", "x2"], steps: .ids(["y2", "y1"]), final: ["x2"]),
    Case(
      id: "D18 xbr@-1 through an implied revision", graph: Fixture.dependent, direction: .downgrade,
      target: "xbr@-1", from: ["y2"], steps: .ids(["y2", "x1"]), final: ["y1"]),
    Case(
      id: "D18 ybr@-1", graph: Fixture.dependent, direction: .downgrade, target: "ybr@-1", from: ["y2"],
      steps: .ids(["y2"]), final: ["x1", "y1"]),
    Case(
      id: "D19 criss-cross", graph: "a1<base, a2<a1, b1<base, b2<b1 dep:a2, b3<b2, a3<a2 dep:b1",
      direction: .downgrade, target: "b1", from: ["a3", "b2"], steps: .ids(["b2"]), final: ["a3"]),
    Case(
      id: "D20 three-way merge with another row", graph: "a<base, b1<a, b2<a, b3<a, c<b1+b2+b3, x<base",
      direction: .upgrade, target: "c", from: ["b1", "b2", "b3", "x"], steps: .ids(["c"]), final: ["c", "x"]),
    Case(
      id: "D21 downgrade", graph: "a1<base, b1<base dep:a1, bmerge<a1+b1", direction: .downgrade, target: "a1",
      from: ["bmerge"], steps: .ids(["bmerge"]), final: ["b1"]),
    Case(
      id: "D21 upgrade", graph: "a1<base, b1<base dep:a1, bmerge<a1+b1", direction: .upgrade, target: "bmerge",
      from: ["b1"], steps: .ids(["bmerge"]), final: ["bmerge"]),
    Case(
      id: "D22 label through a merge", graph: Fixture.diamond, direction: .upgrade, target: "c1br@head", from: [],
      steps: .ids(["a", "b", "c2", "d2", "c1", "d1", "e"]), final: ["e"]),
    Case(
      id: "D23 unknown row", graph: Fixture.branched, direction: .upgrade, target: "heads", from: ["zzzz"],
      steps: .error("unknown-revision")),
    Case(
      id: "D24 unknown qualifier (Alembic ignores it)", graph: Fixture.branched, direction: .downgrade,
      target: "nosuch@c2", from: ["c2"], steps: .error("unknown-revision")),
    Case(
      id: "D24 unknown qualifier, relative", graph: Fixture.branched, direction: .downgrade, target: "nosuch@-1",
      from: ["c2"], steps: .error("unknown-revision")),
    Case(
      id: "D25 b+2", graph: Fixture.branched, direction: .upgrade, target: "b+2", from: ["a"],
      steps: .error("ambiguous-revision")),
    Case(
      id: "D25 d1-2", graph: Fixture.branched, direction: .upgrade, target: "d1-2", from: ["a"], steps: .ids(["b"]),
      final: ["b"]),
    Case(
      id: "D25 c1br@b+1", graph: Fixture.branched, direction: .upgrade, target: "c1br@b+1", from: [],
      steps: .ids(["a", "b", "c1"]), final: ["c1"]),
    Case(
      id: "D25 c1br@head-1", graph: Fixture.branched, direction: .upgrade, target: "c1br@head-1", from: ["b"],
      steps: .ids(["c1"]), final: ["c1"]),
    Case(
      id: "D26 +1 with two bases", graph: "x<base, y<base", direction: .upgrade, target: "+1", from: [],
      steps: .error("ambiguous-revision")),
    Case(
      id: "D26 base+1", graph: "x<base, y<base", direction: .upgrade, target: "base+1", from: [],
      steps: .error("ambiguous-revision")),
    Case(
      id: "D27 heads+1", graph: Fixture.branched, direction: .upgrade, target: "heads+1", from: ["a"],
      steps: .error("multiple-heads")),
    Case(
      id: "D28 (Alembic crashes half-way)", graph: "a<base, b<a, x<base, c<b dep:a+x", direction: .upgrade,
      target: "heads", from: [], steps: .ids(["x", "a", "b", "c"]), final: ["c"]),
    Case(
      id: "D30 trailing text (Alembic ignores it)", graph: Fixture.branched, direction: .upgrade, target: "d1-1xyz",
      from: ["a"], steps: .error("invalid-target")),
    Case(
      id: "D31 b@-1 from two rows (Alembic asserts)", graph: Fixture.branched, direction: .downgrade, target: "b@-1",
      from: ["d1", "d2"], steps: .error("ambiguous-revision")),
    Case(
      id: "D31 c1br@+1 at the branch's head", graph: Fixture.branched, direction: .upgrade, target: "c1br@+1",
      from: ["d1", "c2"], steps: .error("relative-out-of-range")),
    Case(
      id: "D32 qualifier excludes every root", graph: Fixture.branched, direction: .downgrade, target: "a@b",
      from: ["d1", "d2"], steps: .error("range-not-ancestor")),
    Case(
      id: "F22 a-1 from b", graph: Fixture.linear, direction: .downgrade, target: "a-1", from: ["b"],
      steps: .ids(["b", "a"]), final: []),
    // alembic-cases.md F22 reports a CLI success here; Alembic 1.20.1's RevisionMap answers
    // "Nothing to drop" (heads-1 = d, which is not applied), and so does revgraph.
    Case(
      id: "F22 heads-1 from b", graph: Fixture.linear, direction: .downgrade, target: "heads-1", from: ["b"],
      steps: .error("range-not-ancestor")),
    Case(
      id: "one child: the qualifier is not applied (as in Alembic)", graph: Fixture.branched, direction: .downgrade,
      target: "c2br@c1", from: ["d1", "d2"], steps: .ids(["d1"]), final: ["c1", "d2"]),
    Case(
      id: "E03 overlapping rows: downgrade is the way out", graph: Fixture.branched, direction: .downgrade,
      target: "c1", from: ["a", "d1"], steps: .ids(["d1"]), final: ["c1"]),
    Case(
      id: "E03 overlapping rows: downgrade base", graph: Fixture.branched, direction: .downgrade,
      target: "base", from: ["a", "d1"], steps: .ids(["d1", "c1", "b", "a"]), final: []),
    Case(
      id: "F22 base+1 from b", graph: Fixture.linear, direction: .downgrade, target: "base+1", from: ["b"],
      steps: .ids(["b"]), final: ["a"]),
    Case(
      id: "label@-1 below a root reverts only that root's line (Alembic: every base under the label)",
      graph: "r1<base, s1<base, s2<s1, m<s1+r1 [L]", direction: .downgrade, target: "L@-1", from: ["r1", "s2"],
      steps: .ids(["r1"]), final: ["s2"]),
    Case(
      id: "C15 upgrade heads on the docs graph", graph: Fixture.docs, direction: .upgrade, target: "heads", from: [],
      steps: .ids([
        "1975ea83b712", "ae1027a6acf", "55af2cb1c267", "27c6a30d7c24", "d747a8a8879", "3cac04ae8714", "109ec7d132bf",
        "29f859a13ea", "2a95102259be",
      ]),
      final: ["2a95102259be", "d747a8a8879"]),
  ]

  @Test(arguments: cases)
  func plan(_ c: Case) throws {
    let graph = try Fixture.graph(c.graph)
    var plan: Plan?
    let outcome = Outcome {
      let p =
        c.direction == .upgrade
        ? try graph.upgradePlan(to: c.target, from: c.from) : try graph.downgradePlan(to: c.target, from: c.from)
      plan = p
      return p.steps.map(\.id)
    }
    #expect(outcome == c.steps)
    if case .ids = c.steps, let plan {
      #expect(plan.finalVersionTable == c.final)
      try PlanChecks.verify(plan, in: graph)
    }
  }

  @Test("D01 version table after each step")
  func stepTables() throws {
    let graph = try Fixture.graph(Fixture.branched)
    let plan = try graph.upgradePlan(to: "heads", from: [])
    #expect(plan.steps.map(\.versionTable) == [["a"], ["b"], ["c2"], ["d2"], ["c1", "d2"], ["d1", "d2"]])
  }
}

/// Checks any plan against the definitions, independently of how it was computed.
enum PlanChecks {
  static func verify(_ plan: Plan, in graph: RevisionGraph) throws {
    var applied = graph.ancestors(of: try graph.currentRevisions(plan.from, allowingOverlap: true), .all).contains
    var seen = Set<String>()
    for step in plan.steps {
      #expect(seen.insert(step.id).inserted, "\(step.id) appears twice")
      let node = step.revision
      let below = graph.allParents(node)
      let above = graph.childIndices(node) + graph.dependents[node]
      if plan.direction == .upgrade {
        #expect(!applied[Int(node)], "\(step.id) applied twice")
        #expect(below.allSatisfy { applied[Int($0)] }, "\(step.id) applied before a parent")
        applied[Int(node)] = true
      } else {
        #expect(applied[Int(node)], "\(step.id) reverted but not applied")
        #expect(above.allSatisfy { !applied[Int($0)] }, "\(step.id) reverted before a child")
        applied[Int(node)] = false
      }
      // The version table is the set of applied revisions no applied revision builds on.
      let expected = (0..<graph.count).filter { i in
        applied[i] && !(graph.childIndices(Int32(i)) + graph.dependents[Int32(i)]).contains { applied[Int($0)] }
      }.map { graph.id(Int32($0)) }.sorted()
      #expect(step.versionTable == expected, "version table after \(step.id)")
    }
  }
}
