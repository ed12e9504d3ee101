import TestSupport
import Testing

@testable import Graph

/// A named history to draw, shared by the DOT and lane golden tests.
struct DiagramCase: Sendable, CustomTestStringConvertible {
  /// The golden file's base name.
  var name: String
  var notation: String
  var range: String? = nil
  var collapse: Int? = nil
  var direction = DOTWriter.Direction.topToBottom
  var versionTable: [String]? = nil
  /// Messages replacing the fixture's `rev <id>`.
  var messages: [String: String] = [:]

  var testDescription: String { name }

  /// The graph (missing references become ghosts) and the revisions to draw.
  func load() throws -> (graph: RevisionGraph, missing: [MissingReference], revisions: [RevisionGraph.Index]) {
    let records = Fixture.records(notation).map { record in
      var record = record
      if let message = messages[record.id] { record.message = message }
      return record
    }
    let (graph, missing) = try RevisionGraph.drawable(records: records)
    graph.checkInvariants()
    return (graph, missing, try graph.history(range: range))
  }

  func state(_ graph: RevisionGraph) -> DiagramState? {
    versionTable.map { DiagramState(versionTable: $0, in: graph) }
  }

  /// `a<base, r1<a, …, r12<r11`, a labelled side branch from r4 and a merge: long runs.
  static let longRun: String = {
    var entries = ["a<base", "r1<a"]
    for i in 2...12 { entries.append("r\(i)<r\(i - 1)") }
    entries += ["s1<r4 [side]", "s2<s1", "s3<s2", "s4<s3", "s5<s4", "m<r12+s5", "n<m"]
    return entries.joined(separator: ", ")
  }()

  static let all: [DiagramCase] = [
    DiagramCase(name: "linear", notation: Fixture.linear),
    DiagramCase(name: "diamond", notation: Fixture.diamond),
    DiagramCase(name: "labeled-bases", notation: "x1<base [xbr], x2<x1, x3<x2, y1<base [ybr], y2<y1"),
    DiagramCase(name: "depends-on", notation: Fixture.docs),
    DiagramCase(name: "three-way-merge", notation: "a<base, b1<a, b2<a, b3<a, m<b1+b2+b3, n<m"),
    DiagramCase(name: "collapsed-run", notation: longRun, collapse: 3),
    DiagramCase(name: "ghosts", notation: "a<base, b<a, c<zz, d<b dep:yy"),
    DiagramCase(name: "applied-state", notation: Fixture.diamond, versionTable: ["d1", "c2", "gone1"]),
    DiagramCase(name: "range-left-to-right", notation: Fixture.diamond, range: "b:", direction: .leftToRight),
    DiagramCase(name: "criss-cross", notation: "a<base, b<a, c<a, d<b+c, e<b+c, f<d+e"),
    DiagramCase(
      name: "escaping", notation: "a<base, b<a [caf\u{E9}]",
      messages: ["a": "say \"hi\" \\ back\\slash & <tag>", "b": "caf\u{E9} \u{65E5}\u{672C} \u{1F600} tab\there"]),
  ]
}
