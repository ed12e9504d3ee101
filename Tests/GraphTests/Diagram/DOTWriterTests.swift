import Foundation
import TestSupport
import Testing

@testable import Graph

/// The DOT writer: golden files, validity for graphviz, and a large random history.
@Suite struct DOTWriterTests {
  static func dot(_ c: DiagramCase) throws -> String {
    let (graph, missing, revisions) = try c.load()
    let writer = DOTWriter(direction: c.direction, collapse: c.collapse)
    return writer.render(graph, revisions: revisions, missing: missing, state: c.state(graph))
  }

  @Test("DOT output matches its golden file", arguments: DiagramCase.all)
  func golden(_ c: DiagramCase) throws {
    try Golden.check(try Self.dot(c), "dot/\(c.name).dot")
  }

  @Test("a golden comparison fails when the output differs or the file is missing", .enabled(if: !Golden.isUpdating))
  func goldenMismatchFails() throws {
    let linear = try #require(DiagramCase.all.first { $0.name == "linear" })
    #expect(Golden.mismatch(try Self.dot(linear), "dot/linear.dot") == nil)
    let changed = try Self.dot(linear).replacingOccurrences(of: "rev c", with: "rev C")
    #expect(Golden.mismatch(changed, "dot/linear.dot")?.contains("expected:") == true)
    #expect(Golden.mismatch("", "dot/no-such-file.dot")?.contains("missing") == true)
  }

  @Test("the same input gives byte-identical output", arguments: DiagramCase.all)
  func deterministic(_ c: DiagramCase) throws {
    #expect(try Self.dot(c) == Self.dot(c))
  }

  @Test("output is ASCII: quotes, backslashes and non-ASCII are escaped")
  func escaping() throws {
    let c = try #require(DiagramCase.all.first { $0.name == "escaping" })
    let dot = try Self.dot(c)
    #expect(dot.unicodeScalars.allSatisfy { $0.isASCII })
    #expect(dot.contains(#"say \"hi\" \\ back\\slash &amp; <tag>"#))
    #expect(dot.contains("caf&#233; &#26085;&#26412; &#65533; tab here"))
  }

  @Test(
    "every golden DOT file is accepted by dot -Tsvg",
    .enabled(if: Graphviz.isInstalled, "graphviz 'dot' is not installed (apt-get install graphviz); skipped"))
  func goldenFilesRender() throws {
    let names = Golden.names(in: "dot").filter { $0.hasSuffix(".dot") }
    #expect(names.count == DiagramCase.all.count)
    for name in names {
      let url = try #require(Golden.url(name))
      let text = try String(contentsOf: url, encoding: .utf8)
      let (status, svg, errors) = try Graphviz.run(["-Tsvg"], input: text)
      #expect(status == 0 && errors.isEmpty, "\(name): \(errors)")
      #expect(String(decoding: svg, as: UTF8.self).contains("<svg"), "\(name)")
    }
  }

  @Test(
    "a rendered 200-revision random history has one node per revision and one edge per link",
    .enabled(if: Graphviz.isInstalled, "graphviz 'dot' is not installed (apt-get install graphviz); skipped"))
  func largeRandomHistory() throws {
    var rng = SplitMix64(seed: 2026)
    let graph = try RevisionGraph(records: RandomGraph.records(size: 200, rng: &rng))
    let (status, data, errors) = try Graphviz.run(["-Tjson"], input: DOTWriter().render(graph))
    #expect(status == 0, "\(errors)")
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let objects = try #require(json["objects"] as? [[String: Any]])
    let names = objects.map { $0["name"] as? String ?? "" }
    let revisionIDs = Set(graph.records.map(\.id))
    #expect(names.filter { revisionIDs.contains($0) }.count == graph.count)
    #expect(Set(names).isSuperset(of: revisionIDs))

    var drawn = [String: Int]()
    for edge in json["edges"] as? [[String: Any]] ?? [] {
      guard let tail = edge["tail"] as? Int, let head = edge["head"] as? Int else { continue }
      guard revisionIDs.contains(names[tail]), revisionIDs.contains(names[head]) else { continue }
      drawn["\(names[tail]) \(names[head]) \(edge["style"] as? String ?? "solid")", default: 0] += 1
    }
    var expected = [String: Int]()
    for node in 0..<RevisionGraph.Index(graph.count) {
      for parent in graph.parentIndices(node) {
        expected["\(graph.id(parent)) \(graph.id(node)) solid", default: 0] += 1
      }
      for dependency in graph.dependencyIndices(node) {
        expected["\(graph.id(dependency)) \(graph.id(node)) dashed", default: 0] += 1
      }
    }
    #expect(drawn == expected)
    #expect(expected.values.reduce(0, +) > 200)
  }

  @Test("labels get stable colours from their names")
  func labelColours() {
    #expect(DOTStyle.stableHash("") == 0xcbf2_9ce4_8422_2325)
    #expect(DOTStyle.stableHash("a") == 0xaf63_dc4c_8601_ec8c)
    #expect(DOTStyle.hex(hue: 0, saturation: 100, value: 100) == "#ff0000")
    #expect(DOTStyle.hex(hue: 120, saturation: 100, value: 100) == "#00ff00")
    #expect(DOTStyle.hex(hue: 240, saturation: 50, value: 100) == "#8080ff")
    #expect(DOTStyle.colours(forLabel: "shopping_cart") == DOTStyle.colours(forLabel: "shopping_cart"))
    #expect(DOTStyle.colours(forLabel: "shopping_cart") != DOTStyle.colours(forLabel: "networking"))
  }

  @Test("applied revisions are filled, pending hollow, rows doubled, unknown rows drawn as missing files")
  func appliedState() throws {
    let graph = try Fixture.graph(Fixture.linear)
    let state = DiagramState(versionTable: ["c", "zz"], in: graph)
    #expect(state.applied == ["a", "b", "c"])
    let dot = DOTWriter(includesLegend: false).render(graph, state: state)
    let lines = dot.split(separator: "\n")
    func line(_ id: String) -> String { String(lines.first { $0.hasPrefix("  \"\(id)\" [") } ?? "") }
    #expect(line("b").contains("style=\"filled\""))
    #expect(line("d").contains("style=\"solid\""))
    #expect(line("c").contains("peripheries=\"2\"") && line("c").contains("(current)"))
    #expect(!line("b").contains("peripheries"))
    #expect(dot.contains("\"row:zz\" ["))
  }

  @Test("missing parents become ghost nodes instead of errors")
  func ghosts() throws {
    let records = Fixture.records("a<base, b<a, c<zz, d<b dep:yy")
    #expect(throws: GraphError.self) { try RevisionGraph(records: records) }
    let (graph, missing) = try RevisionGraph.drawable(records: records)
    #expect(
      missing == [
        MissingReference(id: "zz", referencedBy: "c", isDependency: false),
        MissingReference(id: "yy", referencedBy: "d", isDependency: true),
      ])
    let dot = DOTWriter().render(graph, missing: missing)
    #expect(dot.contains("\"ghost:zz\" -> \"c\" [style=solid"))
    #expect(dot.contains("\"ghost:yy\" -> \"d\" [style=dashed"))
  }

  @Test("a folded run keeps its ends and replaces the rest with one node")
  func collapse() throws {
    let graph = try Fixture.graph(Fixture.linear)
    let dot = DOTWriter(collapse: 2, includesLegend: false).render(graph)
    #expect(dot.contains("\"run:b\" [label=\"&#8230; 3 revisions &#8230;\\nb &#8230; d\""))
    #expect(dot.contains("\"a\" -> \"run:b\";") && dot.contains("\"run:b\" -> \"e\";"))
    #expect(!dot.contains("\"c\" ["))
    // Runs no longer than the limit stay.
    #expect(!DOTWriter(collapse: 3).render(graph).contains("run:"))
  }

  @Test("short ids are unique prefixes of at least the minimum length")
  func shortIDs() throws {
    let graph = try Fixture.graph("abcdef01<base, abcdef02<abcdef01, abcdx<abcdef02, z<abcdx")
    #expect(graph.shortIDs(minimumLength: 4) == ["abcdef01", "abcdef02", "abcdx", "z"])
    #expect(graph.shortIDs(minimumLength: 3) == ["abcdef01", "abcdef02", "abcdx", "z"])
    let docs = try Fixture.graph(Fixture.docs)
    #expect(docs.shortIDs(minimumLength: 4).contains("1975"))
  }
}
