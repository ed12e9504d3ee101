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
    let resolved = state.map { DiagramState.Resolved($0, graph) }
    var out = ""
    for row in rows {
      var mark: Character = charset == .unicode ? "\u{25CF}" : "*"
      if let node = row.revision, let resolved {
        if resolved.isRow[Int(node)] {
          mark = charset == .unicode ? "\u{25C9}" : "@"
        } else if !resolved.applied[Int(node)] {
          mark = charset == .unicode ? "\u{25CB}" : "o"
        }
      }
      for glyph in row.glyphs { out.append(glyph == .node ? mark : Self.character(glyph, charset)) }
      if let node = row.revision { out += " " + text(node) }
      out += "\n"
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
