import TestSupport
import Testing

@testable import Graph

/// The lane drawing of `history --graph`: golden text and properties on random histories.
@Suite struct LaneLayoutTests {
  static func drawing(_ c: DiagramCase, _ charset: LaneCharset = .unicode) throws -> String {
    let (graph, _, revisions) = try c.load()
    let layout = LaneLayout(graph, revisions: revisions)
    return layout.render(graph, charset: charset, state: c.state(graph)) { graph.id($0) }
  }

  static let cases = DiagramCase.all.filter { $0.collapse == nil && $0.name != "escaping" }

  @Test("lane drawing matches its golden file", arguments: cases)
  func golden(_ c: DiagramCase) throws {
    try Golden.check(try Self.drawing(c), "lanes/\(c.name).txt")
  }

  @Test("ASCII lane drawing matches its golden file", arguments: cases)
  func goldenASCII(_ c: DiagramCase) throws {
    let text = try Self.drawing(c, .ascii)
    #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
    try Golden.check(text, "lanes/\(c.name).ascii.txt")
  }

  @Test("a diamond: the merge opens a lane, the branch point joins it")
  func diamond() throws {
    let graph = try Fixture.graph(Fixture.diamond)
    let layout = LaneLayout(graph, revisions: try graph.history())
    let text = layout.render(graph) { graph.id($0) }
    #expect(
      text == """
        ●─╮ e
        ● │ d1
        ● │ c1
        │ ● d2
        │ ● c2
        ├─╯
        ● b
        ● a

        """)
  }

  @Test("every revision once, newest first, and every parent edge drawn", arguments: Array(UInt64(1)...40))
  func randomHistories(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<5 {
      let graph = try RandomGraph.graph(sizes: 1...60, rng: &rng)
      var range: String?
      if Bool.random(using: &rng) {
        range = graph.id(RevisionGraph.Index(Int.random(in: 0..<graph.count, using: &rng))) + ":"
      }
      let revisions = try graph.history(range: range)
      let layout = LaneLayout(graph, revisions: revisions)
      #expect(layout.rows.compactMap(\.revision) == revisions, "seed \(seed)")
      var position = [RevisionGraph.Index: Int]()
      for (i, node) in revisions.enumerated() { position[node] = i }
      for node in revisions {
        for parent in graph.parentIndices(node) + graph.dependencyIndices(node) {
          if let p = position[parent], let n = position[node] { #expect(p > n, "seed \(seed)") }
        }
      }
      let problems = LaneCheck.problems(layout, graph: graph)
      #expect(problems.isEmpty, "seed \(seed) range \(range ?? "all"): \(problems.prefix(3))")
    }
  }
}

/// Reads a lane drawing back as a picture: every glyph's connections must meet their
/// neighbours', and following the lines down from a revision must reach exactly its
/// listed parents.
enum LaneCheck {
  enum Side: CaseIterable {
    case up, down, left, right
    var opposite: Side {
      switch self {
      case .up: .down
      case .down: .up
      case .left: .right
      case .right: .left
      }
    }
    var step: (row: Int, column: Int) {
      switch self {
      case .up: (-1, 0)
      case .down: (1, 0)
      case .left: (0, -1)
      case .right: (0, 1)
      }
    }
  }

  static func sides(_ glyph: LaneGlyph) -> Set<Side> {
    switch glyph {
    case .space, .node: []
    case .vertical: [.up, .down]
    case .horizontal: [.left, .right]
    case .crossing: [.up, .down, .left, .right]
    case .joinStart: [.up, .down, .right]
    case .joinEnd: [.up, .left]
    case .joinTee: [.up, .left, .right]
    case .forkEnd: [.left, .down]
    case .forkTee: [.left, .right, .down]
    }
  }

  static func problems(_ layout: LaneLayout, graph: RevisionGraph) -> [String] {
    let rows = layout.rows
    func glyph(_ r: Int, _ c: Int) -> LaneGlyph {
      guard rows.indices.contains(r), rows[r].glyphs.indices.contains(c) else { return .space }
      return rows[r].glyphs[c]
    }
    /// Whether the cell at (r, c) accepts a line arriving from `side` (its own side).
    func accepts(_ r: Int, _ c: Int, from side: Side) -> Bool {
      let g = glyph(r, c)
      return g == .node ? side != .left : sides(g).contains(side)
    }
    var problems = [String]()
    for (r, row) in rows.enumerated() {
      if row.revision != nil && row.glyphs.filter({ $0 == .node }).count != 1 {
        problems.append("row \(r) has \(row.glyphs.filter { $0 == .node }.count) nodes")
      }
      if row.revision == nil && row.glyphs.contains(.node) { problems.append("connector row \(r) has a node") }
      for (c, g) in row.glyphs.enumerated() {
        if c % 2 == 1 && ![.space, .horizontal].contains(g) { problems.append("gap \(r),\(c) is \(g)") }
        for side in sides(g) where !accepts(r + side.step.row, c + side.step.column, from: side.opposite) {
          problems.append("\(g) at \(r),\(c) leads \(side) to \(glyph(r + side.step.row, c + side.step.column))")
        }
      }
    }
    let listed = Set(rows.compactMap(\.revision))
    for (r, row) in rows.enumerated() {
      guard let node = row.revision, let c = row.glyphs.firstIndex(of: .node) else { continue }
      var reached = Set<RevisionGraph.Index>()
      var seen = Set<[Int]>()
      var stack = [(r, c, Side.down), (r, c, Side.right)]
      while let (r0, c0, side) = stack.popLast() {
        let r1 = r0 + side.step.row, c1 = c0 + side.step.column
        guard accepts(r1, c1, from: side.opposite),
          seen.insert([r1, c1, Side.allCases.firstIndex(of: side) ?? 0]).inserted
        else { continue }
        let g = glyph(r1, c1)
        if g == .node {
          if let found = rows[r1].revision { reached.insert(found) }
          continue
        }
        if g == .crossing {
          stack.append((r1, c1, side))
        } else {
          for next in sides(g) where next != side.opposite && next != .up { stack.append((r1, c1, next)) }
        }
      }
      let parents = Set(graph.parentIndices(node).filter { listed.contains($0) })
      if reached != parents {
        problems.append(
          "\(graph.id(node)) reaches \(graph.ids(reached).sorted()), parents \(graph.ids(parents).sorted())")
      }
    }
    return problems
  }
}
