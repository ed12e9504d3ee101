import TestSupport
import Testing

@testable import Graph

/// Group A of alembic-cases.md: building the map.
@Suite struct BuildingTests {
  @Test("A01 heads and bases of a branched graph")
  func headsAndBases() throws {
    let g = try Fixture.graph(Fixture.branched)
    #expect(g.ids(g.heads) == ["d1", "d2"])
    #expect(g.ids(g.bases) == ["a"])
  }

  @Test("A02 dependency-only head: heads vs real heads, bases vs real bases")
  func realHeadsAndBases() throws {
    let g = try Fixture.graph("x1<base [xbr], y1<base [ybr], y2<y1 dep:x1, z<base dep:y1")
    #expect(g.ids(g.heads) == ["x1", "y2", "z"])
    #expect(g.ids(g.realHeads) == ["y2", "z"])
    #expect(g.ids(g.bases) == ["x1", "y1", "z"])
    #expect(g.ids(g.realBases) == ["x1", "y1"])
  }

  struct LabelCase: Sendable, CustomTestStringConvertible {
    var id: String
    var graph: String
    var labels: [String: [String]]
    var testDescription: String { id }
  }

  static let labelCases: [LabelCase] = [
    LabelCase(
      id: "A03 chain: label reaches ancestors", graph: "a<base, b<a [L], c<b, d<c",
      labels: ["a": ["L"], "b": ["L"], "c": ["L"], "d": ["L"]]),
    LabelCase(
      id: "A04 branching subtree: ancestors unlabelled", graph: "a<base, b<a [L], c<b, d1<c, d2<c",
      labels: ["a": [], "b": ["L"], "c": ["L"], "d1": ["L"], "d2": ["L"]]),
    LabelCase(
      id: "A05 stops at the nearest branch point", graph: "z<base, a<z, a2<z, b<a [L], c<b",
      labels: ["z": [], "a": ["L"], "a2": [], "b": ["L"], "c": ["L"]]),
    LabelCase(
      id: "A06 a dependent counts as a child", graph: "a<base, b<a [L], x<base dep:a",
      labels: ["a": [], "b": ["L"], "x": []]),
    LabelCase(
      id: "A07 a merge inherits and passes on", graph: "a<base, b1<a [L], b2<a, m<b1+b2, n<m",
      labels: ["a": [], "b1": ["L"], "b2": [], "m": ["L"], "n": ["L"]]),
    LabelCase(
      id: "a dependency that is also the parent counts once", graph: "a<base, b<a [bl], c<b dep:b",
      labels: ["a": ["bl"], "b": ["bl"], "c": ["bl"]]),
    LabelCase(
      id: "two labels on one branch", graph: "a<base [A], b<a [B], c<b",
      labels: ["a": ["A", "B"], "b": ["A", "B"], "c": ["A", "B"]]),
  ]

  @Test(arguments: labelCases)
  func labelPropagation(_ c: LabelCase) throws {
    let g = try Fixture.graph(c.graph)
    for (id, labels) in c.labels {
      #expect(g.branchLabels(try #require(g.index(of: id))) == labels, "labels of \(id)")
    }
  }

  struct ErrorCase: Sendable, CustomTestStringConvertible {
    var id: String
    var records: [RevisionRecord]
    var expected: GraphError
    var testDescription: String { id }
  }

  static let errorCases: [ErrorCase] = [
    ErrorCase(id: "A08 self loop", records: Fixture.records("a<a"), expected: .cycle(path: ["a", "a"])),
    ErrorCase(
      id: "A09 dependency self loop", records: Fixture.records("a<base dep:a"),
      expected: .dependencyCycle(path: ["a", "a"])),
    ErrorCase(
      id: "A10 plain cycle", records: Fixture.records("a<c, b<a, c<b"),
      expected: .cycle(path: ["a", "b", "c", "a"])),
    ErrorCase(
      id: "A11 cycle off a valid base", records: Fixture.records("a<base, b<a, c<b+e, d<c, e<d"),
      expected: .cycle(path: ["c", "d", "e", "c"])),
    ErrorCase(
      id: "A12 dependency cycle", records: Fixture.records("a<base dep:c, b<a, c<b"),
      expected: .dependencyCycle(path: ["a", "b", "c", "a"])),
    ErrorCase(
      id: "A13 missing down_revision", records: Fixture.records("a<base, b<zzz"),
      expected: .missingRevision(id: "zzz", referencedBy: "b", field: "down_revision", location: "b.sql")),
    ErrorCase(
      id: "missing depends_on", records: Fixture.records("a<base, b<a dep:nope"),
      expected: .missingRevision(id: "nope", referencedBy: "b", field: "depends_on", location: "b.sql")),
    ErrorCase(
      id: "A14 duplicate revision id",
      records: Fixture.records("a<base, b<a") + [RevisionRecord(id: "b", downRevisions: ["a"], path: "b2.sql")],
      expected: .duplicateRevision(id: "b", paths: ["b.sql", "b2.sql"])),
    ErrorCase(
      id: "A15 label equal to a revision id", records: Fixture.records("a<base, b<a, c<b [b]"),
      expected: .labelConflict(label: "b", revision: "c", location: "c.sql", usedBy: "the id of revision b")),
    ErrorCase(
      id: "label declared twice", records: Fixture.records("a<base [L], b<a [L]"),
      expected: .labelConflict(label: "L", revision: "b", location: "b.sql", usedBy: "revision a")),
    ErrorCase(
      id: "A16 illegal characters", records: [RevisionRecord(id: "a@b:c+d", path: "x.sql")],
      expected: .invalidScript(
        location: "x.sql",
        reason: "revision id 'a@b:c+d' contains '+, :, @'; ids may not contain @ - + : (they are target syntax)")),
    ErrorCase(
      id: "A17 reserved id", records: [RevisionRecord(id: "base", path: "x.sql")],
      expected: .invalidScript(
        location: "x.sql", reason: "'base' is a reserved word in targets and cannot be a revision id")),
    ErrorCase(
      id: "A18 duplicate parent", records: Fixture.records("a<base, b<a+a"),
      expected: .invalidScript(location: "b.sql", reason: "down_revision lists 'a' twice; list each parent once")),
    ErrorCase(
      id: "A19 empty-string down_revision", records: [RevisionRecord(id: "a", downRevisions: [""], path: "a.py")],
      expected: .missingRevision(id: "", referencedBy: "a", field: "down_revision", location: "a.py")),
    ErrorCase(
      id: "down_revision naming a label", records: Fixture.records("a<base [L], b<L"),
      expected: .invalidScript(
        location: "b.sql",
        reason:
          "down_revision names branch label 'L'; down_revision must list revision ids (the label belongs to revision a)"
      )),
  ]

  @Test(arguments: errorCases)
  func buildErrors(_ c: ErrorCase) {
    #expect(throws: c.expected) { try RevisionGraph(records: c.records) }
  }

  @Test("A12 messages print the cycle path")
  func cycleMessage() {
    let error = graphError { try Fixture.graph("a<c, b<a, c<b") }
    #expect(error?.description.contains("a -> b -> c -> a") == true)
    #expect(error?.kind == "cycle")
  }

  @Test("branch points, merge points, effective heads")
  func shapeFlags() throws {
    let g = try Fixture.graph(Fixture.diamond)
    let b = try #require(g.index(of: "b")), e = try #require(g.index(of: "e"))
    #expect(g.isBranchPoint(b) && !g.isMergePoint(b))
    #expect(g.isMergePoint(e) && g.isHead(e) && g.isRealHead(e))
    let d = try Fixture.graph(Fixture.dependent)
    let x1 = try #require(d.index(of: "x1"))
    #expect(d.isHead(x1) && !d.isRealHead(x1))
  }

  @Test("D28 a dependency on an ancestor of the own parent stays an effective parent")
  func normalisedDependencies() throws {
    let g = try Fixture.graph("a<base, b<a, x<base, c<b dep:a+x")
    let c = try #require(g.index(of: "c"))
    #expect(g.ids(g.effectiveParents(of: c)) == ["b", "a", "x"])
    // A dependency that an ancestor already declares is dropped.
    let h = try Fixture.graph("x<base, a<base dep:x, b<a dep:x")
    let b = try #require(h.index(of: "b"))
    #expect(h.ids(h.effectiveParents(of: b)) == ["a"])
  }
}
