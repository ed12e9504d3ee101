import TestSupport
import Testing

@testable import Graph

/// Group E of alembic-cases.md: `stamp`.
@Suite struct StampTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var id: String
    var graph: String
    var targets: [String]
    var from: [String]
    /// Each step as `from->to` (`c1,c2->d1`, `->d2`, `d1->`), or an error kind.
    var steps: Outcome
    var final: [String] = []
    var testDescription: String {
      "\(id): stamp \(targets.joined(separator: " ")) from (\(from.joined(separator: ",")))"
    }
  }

  static let cases: [Case] = [
    Case(
      id: "E01", graph: Fixture.branched, targets: ["b"], from: ["d1", "c2"], steps: .ids(["d1,c2->b"]), final: ["b"]),
    Case(
      id: "E02 heads on an empty table", graph: Fixture.branched, targets: ["heads"], from: [],
      steps: .ids(["->d1", "->d2"]), final: ["d1", "d2"]),
    Case(
      id: "E02 label@base", graph: Fixture.branched, targets: ["c1br@base"], from: ["d1", "d2"],
      steps: .ids(["d1->"]), final: ["d2"]),
    Case(
      id: "E02 base", graph: Fixture.branched, targets: ["base"], from: ["d1", "d2"], steps: .ids(["d1->", "d2->"]),
      final: []),
    Case(
      id: "E02 no target means base", graph: Fixture.branched, targets: [], from: ["d1"], steps: .ids(["d1->"]),
      final: []),
    Case(
      id: "E03 overlapping targets are both stored", graph: Fixture.branched, targets: ["c1", "d1"], from: [],
      steps: .ids(["->c1", "->d1"]), final: ["c1", "d1"]),
    Case(
      id: "E04", graph: Fixture.branched, targets: ["d1", "d2"], from: ["c1", "c2"],
      steps: .ids(["c1,c2->d1", "c1,c2->d2"]), final: ["d1", "d2"]),
    Case(
      id: "E05 x1 from y2", graph: Fixture.dependent, targets: ["x1"], from: ["y2"], steps: .ids(["y2->x1"]),
      final: ["x1"]),
    Case(
      id: "E05 y1 from x2,y2", graph: Fixture.dependent + ", x2<x1", targets: ["y1"], from: ["x2", "y2"],
      steps: .ids(["y2->y1"]), final: ["x2", "y1"]),
    Case(
      id: "E05 x2 from y2", graph: Fixture.dependent + ", x2<x1", targets: ["x2"], from: ["y2"],
      steps: .ids(["->x2"]), final: ["x2", "y2"]),
    Case(
      id: "E06 head with several heads", graph: Fixture.branched, targets: ["head"], from: [],
      steps: .error("multiple-heads")),
    Case(
      id: "E07 unknown row", graph: Fixture.branched, targets: ["c1"], from: ["zzzz"],
      steps: .error("unknown-revision")),
    Case(id: "E07 --purge", graph: Fixture.branched, targets: ["c1"], from: [], steps: .ids(["->c1"]), final: ["c1"]),
    Case(
      id: "F28 label@-1 on an empty table", graph: Fixture.branched, targets: ["c1br@-1"], from: [],
      steps: .ids(["->c1"]), final: ["c1"]),
    Case(
      id: "F28 label@-1 with rows fails", graph: Fixture.branched, targets: ["c1br@-1"], from: ["a"],
      steps: .error("unknown-revision")),
    Case(
      id: "already there", graph: Fixture.linear, targets: ["c"], from: ["c"], steps: .ids([]), final: ["c"]),
    Case(
      id: "down a line", graph: Fixture.linear, targets: ["b"], from: ["e"], steps: .ids(["e->b"]), final: ["b"]),
    Case(id: "up a line", graph: Fixture.linear, targets: ["heads"], from: ["b"], steps: .ids(["b->e"]), final: ["e"]),
  ]

  @Test(arguments: cases)
  func stamp(_ c: Case) throws {
    let graph = try Fixture.graph(c.graph)
    let result = Result { try graph.stampPlan(to: c.targets, from: c.from) }
    switch c.steps {
    case .ids(let expected):
      let plan = try result.get()
      let described = plan.steps.map { "\($0.from.joined(separator: ","))->\($0.to ?? "")" }
      #expect(described == expected)
      #expect(plan.finalVersionTable == c.final)
    case .error(let kind):
      #expect(throws: GraphError.self) { try result.get() }
      if case .failure(let error as GraphError) = result { #expect(error.kind == kind) }
    }
  }
}
