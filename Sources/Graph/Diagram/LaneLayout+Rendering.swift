/// The characters a lane drawing is made of.
public enum LaneCharset: String, Hashable, Sendable, CaseIterable {
  /// Box-drawing characters and circles (`│ ├─╯ ●─╮ ○ ◉`).
  case unicode
  /// Plain ASCII (`| |-' *-. o @`).
  case ascii
}

extension LaneLayout {
  /// Draws the layout as text, one line per row, each ending in a newline.
  ///
  /// A revision row is its lanes, a space and `text(revision)`; connector rows are lanes
  /// only. Revisions are marked `●` (`*`); with a state, applied ones `●` (`*`), pending
  /// ones `○` (`o`) and version-table rows `◉` (`@`).
  ///
  /// - Parameters:
  ///   - graph: The history the layout was made from.
  ///   - charset: Unicode box drawing or plain ASCII.
  ///   - state: The database state, when known.
  ///   - text: The text after a revision's lanes (for example its id and message).
  public func render(
    _ graph: RevisionGraph, charset: LaneCharset = .unicode, state: DiagramState? = nil,
    text: (RevisionGraph.Index) -> String
  ) -> String {
    let bytes = renderUTF8(graph, charset: charset, state: state) { node, out in
      var text = text(node)
      text.withUTF8 { out.append(contentsOf: $0) }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The text of ``render(_:charset:state:text:)`` as UTF-8 bytes; `text` appends the UTF-8
  /// bytes of the text after a revision's lanes.
  public func renderUTF8(
    _ graph: RevisionGraph, charset: LaneCharset = .unicode, state: DiagramState? = nil,
    text: (RevisionGraph.Index, inout [UInt8]) -> Void
  ) -> [UInt8] {
    let resolved = state.map { DiagramState.Resolved($0, graph) }
    func utf8(_ character: Character) -> [UInt8] { Array(String(character).utf8) }
    let glyphBytes = LaneGlyph.all.map { utf8(Self.character($0, charset)) }
    let marks = (
      revision: utf8(charset == .unicode ? "\u{25CF}" : "*"), row: utf8(charset == .unicode ? "\u{25C9}" : "@"),
      pending: utf8(charset == .unicode ? "\u{25CB}" : "o")
    )
    var out = [UInt8]()
    out.reserveCapacity(rows.count * 64)
    for row in rows {
      var mark = marks.revision
      if let node = row.revision, let resolved {
        if resolved.isRow[Int(node)] {
          mark = marks.row
        } else if !resolved.applied[Int(node)] {
          mark = marks.pending
        }
      }
      for glyph in row.glyphs {
        out += glyph == .node ? mark : glyphBytes[glyph.ordinal]
      }
      if let node = row.revision {
        out.append(UInt8(ascii: " "))
        text(node, &out)
      }
      out.append(UInt8(ascii: "\n"))
    }
    return out
  }

  /// The character of a glyph other than a node.
  static func character(_ glyph: LaneGlyph, _ charset: LaneCharset) -> Character {
    switch (glyph, charset) {
    case (.space, _): " "
    case (.node, .unicode): "\u{25CF}"
    case (.node, .ascii): "*"
    case (.vertical, .unicode): "\u{2502}"
    case (.horizontal, .unicode): "\u{2500}"
    case (.crossing, .unicode): "\u{253C}"
    case (.joinStart, .unicode): "\u{251C}"
    case (.joinEnd, .unicode): "\u{256F}"
    case (.joinTee, .unicode): "\u{2534}"
    case (.forkEnd, .unicode): "\u{256E}"
    case (.forkTee, .unicode): "\u{252C}"
    case (.vertical, .ascii), (.crossing, .ascii), (.joinStart, .ascii): "|"
    case (.horizontal, .ascii): "-"
    case (.joinEnd, .ascii), (.joinTee, .ascii): "'"
    case (.forkEnd, .ascii), (.forkTee, .ascii): "."
    }
  }
}

extension LaneGlyph {
  /// Every glyph, in ``ordinal`` order.
  fileprivate static let all: [LaneGlyph] = [
    .space, .vertical, .horizontal, .crossing, .node, .joinStart, .joinEnd, .joinTee, .forkEnd, .forkTee,
  ]

  /// The glyph's position in ``all``.
  fileprivate var ordinal: Int {
    switch self {
    case .space: 0
    case .vertical: 1
    case .horizontal: 2
    case .crossing: 3
    case .node: 4
    case .joinStart: 5
    case .joinEnd: 6
    case .joinTee: 7
    case .forkEnd: 8
    case .forkTee: 9
    }
  }
}
