import TestSupport
import Testing

@testable import Graph

/// Group B of alembic-cases.md: resolving identifiers (`get_revisions`).
@Suite struct ResolutionTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var id: String
    var graph: String
    var target: String
    var expected: Outcome
    var testDescription: String { "\(id): \(target)" }
  }

  static let cases: [Case] = [
    Case(id: "B01", graph: Fixture.long, target: "heads", expected: .ids(["dddd1", "dddd2", "yyyy1"])),
    Case(id: "B02", graph: Fixture.long, target: "head", expected: .error("multiple-heads")),
    Case(id: "B03", graph: Fixture.long, target: "base", expected: .ids([])),
    Case(id: "B04 label", graph: Fixture.long, target: "c1br", expected: .ids(["cccc1"])),
    Case(id: "B04 label@head", graph: Fixture.long, target: "c1br@head", expected: .ids(["dddd1"])),
    Case(id: "B04 label@heads", graph: Fixture.long, target: "c1br@heads", expected: .ids(["dddd1"])),
    Case(id: "B04 label@base", graph: Fixture.long, target: "c1br@base", expected: .ids([])),
    Case(id: "B05 rev@head", graph: Fixture.long, target: "bbbb1@head", expected: .error("multiple-heads")),
    Case(id: "B05 rev@heads", graph: Fixture.long, target: "bbbb1@heads", expected: .ids(["dddd1", "dddd2"])),
    Case(id: "B05 root@heads", graph: Fixture.long, target: "aaaa1@heads", expected: .ids(["dddd1", "dddd2"])),
    Case(id: "B06", graph: Fixture.long, target: "cccc", expected: .error("ambiguous-revision")),
    Case(id: "B07", graph: Fixture.long, target: "c", expected: .error("ambiguous-revision")),
    Case(id: "B08 c1br", graph: Fixture.long, target: "c1br@dd", expected: .ids(["dddd1"])),
    Case(id: "B08 c2br", graph: Fixture.long, target: "c2br@dd", expected: .ids(["dddd2"])),
    Case(id: "B09 short", graph: Fixture.long, target: "zz", expected: .error("unknown-revision")),
    Case(id: "B09 long", graph: Fixture.long, target: "zzzzz", expected: .error("unknown-revision")),
    Case(id: "B10 exact short id", graph: "ab<base, bcdef<ab", target: "ab", expected: .ids(["ab"])),
    Case(
      id: "B10 short ids need exact match", graph: "ab<base, bcdef<ab", target: "a",
      expected: .error("unknown-revision")),
    Case(id: "B10 one-character prefix", graph: "ab<base, bcdef<ab", target: "b", expected: .ids(["bcdef"])),
    Case(id: "B11", graph: "abcdef12<base [abcdlabel]", target: "abcd", expected: .error("ambiguous-revision")),
    Case(id: "B11 label prefix", graph: "abcdef12<base [abcdlabel]", target: "abcdl", expected: .ids(["abcdef12"])),
    Case(id: "B12 other tree", graph: Fixture.long, target: "xbr@aaaa1", expected: .error("unknown-revision")),
    Case(id: "B12 sibling", graph: Fixture.long, target: "c1br@c2br", expected: .error("unknown-revision")),
    Case(id: "B13 head", graph: Fixture.long, target: "nope@head", expected: .error("unknown-revision")),
    Case(id: "B13 rev", graph: Fixture.long, target: "nope@dddd1", expected: .error("unknown-revision")),
    Case(id: "B14 -1", graph: Fixture.long, target: "-1", expected: .ids(["cccc1", "cccc2", "xxxx1"])),
    Case(id: "B14 label@-1", graph: Fixture.long, target: "c1br@-1", expected: .ids(["cccc1"])),
    Case(id: "B15 case", graph: Fixture.long, target: "DDDD1", expected: .error("unknown-revision")),
    Case(id: "B15 space", graph: Fixture.long, target: "dddd1 ", expected: .error("unknown-revision")),
    Case(id: "B16 heads", graph: Fixture.dependent, target: "heads", expected: .ids(["y2"])),
    Case(id: "B16 head", graph: Fixture.dependent, target: "head", expected: .error("multiple-heads")),
    Case(id: "B16 xbr@heads", graph: Fixture.dependent, target: "xbr@heads", expected: .ids(["x1"])),
    Case(id: "B16 ybr@head", graph: Fixture.dependent, target: "ybr@head", expected: .ids(["y2"])),
    Case(id: "relative up from nothing", graph: Fixture.linear, target: "+2", expected: .ids(["b"])),
    Case(id: "rev+N", graph: Fixture.linear, target: "b+2", expected: .ids(["d"])),
    Case(id: "head-N", graph: Fixture.linear, target: "head-2", expected: .ids(["c"])),
    Case(id: "label@rev+N", graph: Fixture.branched, target: "c1br@b+1", expected: .ids(["c1"])),
    Case(id: "ambiguous walk up", graph: Fixture.branched, target: "b+1", expected: .error("ambiguous-revision")),
    Case(id: "walk past the end", graph: Fixture.linear, target: "d+5", expected: .error("relative-out-of-range")),
    Case(id: "D30 trailing text", graph: Fixture.branched, target: "d1-1xyz", expected: .error("invalid-target")),
    Case(
      id: "a step count that does not fit", graph: Fixture.linear, target: "-9223372036854775808",
      expected: .error("invalid-target")),
    Case(
      id: "a huge step from a revision", graph: Fixture.linear, target: "a-9223372036854775808",
      expected: .error("invalid-target")),
    Case(id: "empty after @", graph: Fixture.branched, target: "c1br@", expected: .error("invalid-target")),
  ]

  @Test(arguments: cases)
  func resolve(_ c: Case) throws {
    let graph = try Fixture.graph(c.graph)
    #expect(Outcome { try graph.resolve(c.target) } == c.expected)
  }

  @Test("B02 multiple heads names the heads in load order")
  func multipleHeadsMessage() throws {
    let graph = try Fixture.graph(Fixture.long)
    #expect(throws: GraphError.multipleHeads(argument: "head", heads: ["dddd1", "dddd2", "yyyy1"])) {
      try graph.resolve("head")
    }
  }

  @Test("B06/B07 ambiguous prefixes list every candidate, ids in load order then labels")
  func ambiguousCandidates() throws {
    let graph = try Fixture.graph(Fixture.long)
    #expect(throws: GraphError.ambiguousRevision(text: "c", candidates: ["cccc1", "cccc2", "c1br", "c2br"])) {
      try graph.resolve("c")
    }
  }

  @Test("B09 short unknown text explains the four-character rule")
  func hint() throws {
    let graph = try Fixture.graph(Fixture.long)
    let error = graphError { try graph.resolve("zz") }
    #expect(error?.description.contains("at least four characters") == true)
    let long = graphError { try graph.resolve("zzzzz") }
    #expect(long?.description.contains("four") == false)
  }

  @Test(
    "a target that names nothing says what it was probably meant to be",
    arguments: [
      ("c1bt@head", "did you mean 'c1br'?"), ("hed", "did you mean 'head'?"), ("haeds", "did you mean 'heads'?"),
      ("cccd2", "did you mean 'cccc2'?"), ("cc1br@head", "did you mean 'c1br'?"), ("zzzzzz", nil),
    ] as [(String, String?)])
  func didYouMean(target: String, hint: String?) throws {
    let graph = try Fixture.graph(Fixture.long)
    let error = graphError { try graph.resolve(target) }
    let text = error?.description ?? ""
    #expect(error?.kind == "unknown-revision", "\(text)")
    if let hint { #expect(text.contains(hint), "\(text)") } else { #expect(!text.contains("did you mean"), "\(text)") }
  }

  @Test("B12/B13 membership and unknown branch errors")
  func branchErrors() throws {
    let graph = try Fixture.graph(Fixture.long)
    #expect(throws: GraphError.notOnBranch(revision: "cccc2", branch: "c1br")) { try graph.resolve("c1br@c2br") }
    #expect(throws: GraphError.unknownBranch("nope")) { try graph.resolve("nope@dddd1") }
  }

  @Test("relative forms from the database's revisions")
  func relativeFromCurrent() throws {
    let graph = try Fixture.graph(Fixture.branched)
    #expect(try graph.resolve("+1", current: ["c1"]) == ["d1"])
    #expect(try graph.resolve("-1", current: ["d1"]) == ["c1"])
    #expect(try graph.resolve("c1br@+1", current: ["c2"]) == ["c1"])
  }

  struct ParseCase: Sendable, CustomTestStringConvertible {
    var text: String
    var qualifier: String?
    var symbol: String?
    var steps: Int?
    var testDescription: String { text }
  }

  static let parseCases: [ParseCase] = [
    ParseCase(text: "heads", qualifier: nil, symbol: nil, steps: nil),
    ParseCase(text: "+2", qualifier: nil, symbol: nil, steps: 2),
    ParseCase(text: "-1", qualifier: nil, symbol: nil, steps: -1),
    ParseCase(text: "+05", qualifier: nil, symbol: nil, steps: 5),
    ParseCase(text: "ae10+2", qualifier: nil, symbol: "ae10", steps: 2),
    ParseCase(text: "head-1", qualifier: nil, symbol: "head", steps: -1),
    ParseCase(text: "branch@+1", qualifier: "branch", symbol: nil, steps: 1),
    ParseCase(text: "branch@ae10-2", qualifier: "branch", symbol: "ae10", steps: -2),
    ParseCase(text: "a@b@+1", qualifier: "a@b", symbol: nil, steps: 1),
    ParseCase(text: "ae10@head", qualifier: nil, symbol: nil, steps: nil),
  ]

  @Test(arguments: parseCases)
  func parsing(_ c: ParseCase) throws {
    let target = try? Target(parsing: c.text)
    if let steps = c.steps {
      #expect(target?.relative?.steps == steps)
      #expect(target?.relative?.symbol == c.symbol)
      #expect(target?.relative?.qualifier == c.qualifier)
    } else {
      #expect(target?.relative == nil)
    }
  }
}
