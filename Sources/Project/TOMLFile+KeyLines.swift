/// Where keys stand in a TOML file, for messages (TOMLKit does not keep source positions).
extension TOMLFile {
  /// The line (from 1) on which each key of `text` is first written, by dotted path.
  ///
  /// A key under a `[table]` or `[[array.of.tables]]` header is recorded with the header's
  /// path in front, and every prefix of a dotted key or header is recorded too (so
  /// `[hooks]` gives `hooks`, and `a.b.c = 1` gives `a`, `a.b` and `a.b.c`). Lines inside
  /// multi-line strings are skipped. `text` must already have parsed as TOML: a line this
  /// cannot read is passed over, never reported.
  static func firstLines(ofKeysIn text: String) -> [String: Int] {
    var lines: [String: Int] = [:]
    var table: [String] = []
    var openString: Substring?  // the delimiter of a multi-line string not yet closed
    func record(_ parts: [String], _ number: Int) {
      for end in parts.indices {
        let path = parts[...end].joined(separator: ".")
        if lines[path] == nil { lines[path] = number }
      }
    }
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let number = index + 1
      var rest = line.drop { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" }
      if let delimiter = openString {
        guard let close = rest.firstRange(of: delimiter) else { continue }
        openString = unclosedMultilineString(in: rest[close.upperBound...])
        continue
      }
      if rest.hasPrefix("[") {
        let isArray = rest.hasPrefix("[[")
        rest = rest.dropFirst(isArray ? 2 : 1)
        if let (parts, after) = keyPath(rest), after.hasPrefix("]") {
          table = parts
          record(parts, number)
        }
        continue
      }
      if let (parts, after) = keyPath(rest), after.hasPrefix("=") {
        record(table + parts, number)
        rest = after.dropFirst()
      }
      openString = unclosedMultilineString(in: rest)
    }
    return lines
  }

  /// The parts of a key (bare, `"basic"` or `'literal'`, joined by dots) at the start of
  /// `text`, and the text after it with leading blanks removed; nil if there is no key.
  private static func keyPath(_ text: Substring) -> ([String], Substring)? {
    var parts: [String] = []
    var rest = text
    while true {
      rest = rest.drop { $0 == " " || $0 == "\t" }
      guard let first = rest.first else { return nil }
      if first == "\"" || first == "'" {
        var part = ""
        var escaped = false
        var closed = false
        rest = rest.dropFirst()
        while let character = rest.popFirst() {
          if escaped {
            part.append(character)
            escaped = false
          } else if first == "\"", character == "\\" {
            escaped = true
          } else if character == first {
            closed = true
            break
          } else {
            part.append(character)
          }
        }
        guard closed else { return nil }
        parts.append(part)
      } else {
        let bare = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        guard !bare.isEmpty else { return nil }
        parts.append(String(bare))
        rest = rest.dropFirst(bare.count)
      }
      rest = rest.drop { $0 == " " || $0 == "\t" }
      guard rest.hasPrefix(".") else { return (parts, rest) }
      rest = rest.dropFirst()
    }
  }

  /// The delimiter (`"""` or `'''`) of a multi-line string opened in `text` and not closed
  /// on the same line, if any; single-line strings and comments are skipped.
  private static func unclosedMultilineString(in text: Substring) -> Substring? {
    var rest = text
    while let first = rest.first {
      if rest.hasPrefix("\"\"\"") || rest.hasPrefix("'''") {
        let delimiter = rest.prefix(3)
        rest = rest.dropFirst(3)
        guard let close = rest.firstRange(of: delimiter) else { return delimiter }
        rest = rest[close.upperBound...]
      } else if first == "\"" || first == "'" {
        rest = rest.dropFirst()
        var escaped = false
        while let character = rest.popFirst() {
          if escaped {
            escaped = false
          } else if first == "\"", character == "\\" {
            escaped = true
          } else if character == first {
            break
          }
        }
      } else if first == "#" {
        return nil
      } else {
        rest = rest.dropFirst()
      }
    }
    return nil
  }
}
