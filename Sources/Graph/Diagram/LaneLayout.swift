/// One cell of a lane drawing: a lane's column or the gap between two lanes.
public enum LaneGlyph: Hashable, Sendable {
  /// Nothing.
  case space
  /// A lane passing down.
  case vertical
  /// A connector passing sideways.
  case horizontal
  /// A lane passing down across a sideways connector (not joined to it).
  case crossing
  /// The revision of the row.
  case node
  /// A lane passing down that lanes on its right join (`├`).
  case joinStart
  /// The rightmost lane joining: from above, turning left (`╯`).
  case joinEnd
  /// A lane joining between the others: from above, into the connector (`┴`).
  case joinTee
  /// The rightmost new lane of a merge: from the left, turning down (`╮`).
  case forkEnd
  /// A new lane of a merge under a connector that goes on to the right (`┬`).
  case forkTee
}

/// A `git log --graph`-style layout of a history, newest first: one row per revision, in
/// lanes that run down from each revision to its parents, plus connector rows where lanes
/// meet at a branch point.
///
/// Lanes are columns at even glyph positions; odd positions are the gaps between them.
/// Every `down_revision` link between two listed revisions is drawn: a revision's first
/// listed parent continues its lane, further parents (a merge) open lanes to the right on
/// the revision's own row, and lanes that wait for the same revision (a branch point) are
/// joined on a connector row just above it. `depends_on` links are not drawn as lanes.
///
/// ## Topics
/// - Laying out: ``init(_:revisions:)``, ``rows``
/// - Drawing: ``render(_:charset:state:text:)``
public struct LaneLayout: Hashable, Sendable {
  /// One line of the drawing.
  public struct Row: Hashable, Sendable {
    /// The revision on this row, or nil for a connector row.
    public var revision: RevisionGraph.Index?
    /// The cells, left to right, without trailing spaces.
    public var glyphs: [LaneGlyph]
  }

  /// The rows, top to bottom.
  public let rows: [Row]

  /// Lays out revisions in the order given.
  ///
  /// - Parameters:
  ///   - graph: The history.
  ///   - revisions: The revisions to draw, each listed before its parents (as
  ///     ``RevisionGraph/history(range:current:)`` returns them). A parent that is not
  ///     listed, or listed earlier, gets no lane.
  /// - Complexity: O(*r* · *w*) for *r* rows and at most *w* lanes open at once.
  public init(_ graph: RevisionGraph, revisions: [RevisionGraph.Index]) {
    var position = [Int32](repeating: -1, count: graph.count)
    for (i, node) in revisions.enumerated() where position[Int(node)] < 0 { position[Int(node)] = Int32(i) }
    var lanes = [RevisionGraph.Index?]()
    var rows = [Row]()
    /// The column of the previous row's revision when it had no listed parent.
    var ended: Int?
    for (row, node) in revisions.enumerated() where position[Int(node)] == Int32(row) {
      let targets = lanes.indices.filter { lanes[$0] == node }
      let column: Int
      if let first = targets.first {
        column = first
        if let last = targets.last, targets.count > 1 {
          rows.append(Self.joinRow(lanes: lanes, column: first, targets: targets, last: last))
          for target in targets.dropFirst() { lanes[target] = nil }
        }
      } else if let free = lanes.indices.first(where: { lanes[$0] == nil && $0 != ended }) {
        // Not right under a revision whose lane just ended: it would read as its parent.
        column = free
      } else {
        column = max(lanes.count, (ended ?? -1) + 1)
        while lanes.count <= column { lanes.append(nil) }
      }
      let before = lanes
      let parents = graph.parentIndices(node).filter { position[Int($0)] > Int32(row) }
      lanes[column] = parents.first
      var opened = [Int]()
      for parent in parents.dropFirst() {
        if let free = lanes.indices.first(where: { $0 > column && lanes[$0] == nil }) {
          lanes[free] = parent
          opened.append(free)
        } else {
          opened.append(lanes.count)
          lanes.append(parent)
        }
      }
      rows.append(Self.nodeRow(node, before: before, column: column, opened: opened, width: lanes.count))
      ended = parents.isEmpty ? column : nil
      while let last = lanes.last, last == nil { lanes.removeLast() }
    }
    self.rows = rows
  }

  /// The connector row above a branch point: lanes `targets` join lane `column`.
  static func joinRow(lanes: [RevisionGraph.Index?], column: Int, targets: [Int], last: Int) -> Row {
    var glyphs = [LaneGlyph]()
    for i in lanes.indices {
      let inside = column < i && i < last
      if i == column {
        glyphs.append(.joinStart)
      } else if targets.contains(i) {
        glyphs.append(i == last ? .joinEnd : .joinTee)
      } else if lanes[i] != nil {
        glyphs.append(inside ? .crossing : .vertical)
      } else {
        glyphs.append(inside ? .horizontal : .space)
      }
      glyphs.append(column <= i && i < last ? .horizontal : .space)
    }
    return Row(revision: nil, glyphs: trimmed(glyphs))
  }

  /// A revision's row: its node, lanes passing by, and the lanes a merge opens.
  static func nodeRow(
    _ node: RevisionGraph.Index, before: [RevisionGraph.Index?], column: Int, opened: [Int], width: Int
  ) -> Row {
    let far = opened.max() ?? column
    var glyphs = [LaneGlyph]()
    for i in 0..<width {
      let inside = column < i && i < far
      if i == column {
        glyphs.append(.node)
      } else if opened.contains(i) {
        glyphs.append(i == far ? .forkEnd : .forkTee)
      } else if i < before.count && before[i] != nil {
        glyphs.append(inside ? .crossing : .vertical)
      } else {
        glyphs.append(inside ? .horizontal : .space)
      }
      glyphs.append(column <= i && i < far ? .horizontal : .space)
    }
    return Row(revision: node, glyphs: trimmed(glyphs))
  }

  static func trimmed(_ glyphs: [LaneGlyph]) -> [LaneGlyph] {
    var glyphs = glyphs
    while glyphs.last == .space { glyphs.removeLast() }
    return glyphs
  }
}
