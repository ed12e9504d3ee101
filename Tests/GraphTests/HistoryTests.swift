import TestSupport
import Testing

@testable import Graph

/// Group C of alembic-cases.md: iteration order and history ranges.
@Suite struct HistoryTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var id: String
    var graph: String
    var range: String?
    var current: [String]? = nil
    var expected: Outcome
    var testDescription: String { "\(id): \(range ?? "(all)")" }
  }

  static let cases: [Case] = [
    Case(
      id: "C01 heads in file order", graph: Fixture.branched, range: nil,
      expected: .ids(["d1", "c1", "d2", "c2", "b", "a"])),
    Case(
      id: "C02 fed in another order", graph: "a<base, b<a, c2<b [c2br], d2<c2, c1<b [c1br], d1<c1", range: nil,
      expected: .ids(["d2", "c2", "d1", "c1", "b", "a"])),
    Case(id: "C04 wrong direction", graph: Fixture.linear, range: "d:b", expected: .error("range-not-ancestor")),
    Case(
      id: "C05 -3:current counts from the script head", graph: Fixture.linear, range: "-3:current",
      current: ["c"], expected: .ids(["c", "b"])),
    Case(
      id: "C06 -1:current above the database", graph: Fixture.linear, range: "-1:current", current: ["c"],
      expected: .error("range-not-ancestor")),
    Case(
      id: "C07 -10: (Alembic: misleading 'heads' error)", graph: Fixture.linear, range: "-10:",
      expected: .error("relative-out-of-range")),
    Case(id: "C07 -5: reaches base", graph: Fixture.linear, range: "-5:", expected: .error("relative-out-of-range")),
    Case(id: "C07 -4:", graph: Fixture.linear, range: "-4:", expected: .ids(["e", "d", "c", "b", "a"])),
    Case(
      id: "C08 head-2: (Alembic refuses; revgraph walks)", graph: Fixture.linear, range: "head-2:",
      expected: .ids(["e", "d", "c"])),
    Case(id: "C08 :head-2", graph: Fixture.linear, range: ":head-2", expected: .ids(["c", "b", "a"])),
    Case(id: "C08 :+2", graph: Fixture.linear, range: ":+2", expected: .ids(["b", "a"])),
    Case(
      id: "C08 :+10 stops at the head", graph: Fixture.linear, range: ":+10", expected: .ids(["e", "d", "c", "b", "a"])),
    Case(id: "C09 no colon", graph: Fixture.linear, range: "current", expected: .error("invalid-target")),
    Case(id: "C09 :-1", graph: Fixture.linear, range: ":-1", expected: .error("relative-out-of-range")),
    Case(id: "F28 two colons", graph: Fixture.linear, range: "a:b:c", expected: .error("invalid-target")),
    Case(
      id: "C10 shoppingcart@base:", graph: Fixture.docs, range: "shoppingcart@base:",
      expected: .ids(["d747a8a8879", "27c6a30d7c24", "1975ea83b712"])),
    Case(
      id: "C11 networking@base: includes the dependency chain", graph: Fixture.docs, range: "networking@base:",
      expected: .ids([
        "2a95102259be", "29f859a13ea", "109ec7d132bf", "3cac04ae8714", "55af2cb1c267", "ae1027a6acf", "1975ea83b712",
      ])),
    Case(
      id: "C12 label whose head is an effective head", graph: Fixture.dependent, range: "xbr@base:", expected: .ids([])),
    Case(
      id: "C13 rev@base: on an unlabelled revision (Alembic crashes)", graph: Fixture.linear, range: "b@base:",
      expected: .error("invalid-target")),
    Case(
      id: "C15 docs graph", graph: Fixture.docs, range: nil,
      expected: .ids([
        "2a95102259be", "29f859a13ea", "109ec7d132bf", "3cac04ae8714", "d747a8a8879", "27c6a30d7c24", "55af2cb1c267",
        "ae1027a6acf", "1975ea83b712",
      ])),
    Case(
      id: "C16 concrete start keeps its versioned descendants", graph: Fixture.docs, range: "3cac04ae8714:",
      expected: .ids(["2a95102259be", "29f859a13ea", "109ec7d132bf", "3cac04ae8714"])),
    Case(
      id: "C16 end reached only through depends_on (Alembic crashes)", graph: Fixture.docs,
      range: "1975ea83b712:networking@head", expected: .ids(["55af2cb1c267", "ae1027a6acf", "1975ea83b712"])),
    Case(
      id: "D29 two dependencies: stable declared order", graph: "xa<base, xb<xa, ya<base, yb<ya, z<base dep:xb+yb",
      range: nil, expected: .ids(["z", "xb", "xa", "yb", "ya"])),
    Case(
      id: "label@-N: keeps the heads carrying the label", graph: Fixture.branched, range: "c1br@-2:",
      expected: .ids(["d1", "c1", "b"])),
    Case(id: "current needs rows", graph: Fixture.linear, range: "a:current", expected: .error("invalid-target")),
    // Alembic answers "Ambiguous walk" below a merge; a history range goes down every side.
    Case(
      id: "-N below a merge: every side", graph: Fixture.diamond, range: "-2:",
      expected: .ids(["e", "d1", "c1", "d2", "c2"])),
    Case(
      id: "-N below a merge, to the current rows", graph: Fixture.diamond, range: "-3:current", current: ["e"],
      expected: .ids(["e", "d1", "c1", "d2", "c2", "b"])),
    Case(
      id: "-N below every base", graph: Fixture.diamond, range: "-9:", expected: .error("relative-out-of-range")),
  ]

  @Test(arguments: cases)
  func history(_ c: Case) throws {
    let graph = try Fixture.graph(c.graph)
    #expect(Outcome { graph.ids(try graph.history(range: c.range, current: c.current)) } == c.expected)
  }

  @Test("C03 requested revisions that overlap")
  func overlap() throws {
    let graph = try Fixture.graph(Fixture.linear)
    let b = try #require(graph.index(of: "b")), d = try #require(graph.index(of: "d"))
    #expect(throws: GraphError.overlappingTargets(revision: "d", others: ["b"])) { try graph.checkNoOverlap([b, d]) }
  }
}
