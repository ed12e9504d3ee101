/// Text escaping and colours for DOT output.
enum DOTStyle {
  /// Escapes text for a DOT double-quoted string: quotes and backslashes get a backslash,
  /// `&` and every non-ASCII character become HTML entities (which Graphviz decodes),
  /// control characters become spaces. The result is plain ASCII.
  static func escape(_ text: String) -> String {
    // Most ids, labels and messages are printable ASCII with nothing to escape.
    if text.utf8.allSatisfy(isPlain) { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 0x26: out += "&amp;"
      case 0..<0x20, 0x7F: out += " "
      case 0x20..<0x7F: out.unicodeScalars.append(scalar)
      // Graphviz up to 2.43 writes invalid UTF-8 for entities beyond the Basic Multilingual
      // Plane (emoji): those become U+FFFD, the replacement character.
      case 0x10000...: out += "&#65533;"
      default: out += "&#\(scalar.value);"
      }
    }
    return out
  }

  /// Whether a UTF-8 byte stands for itself in DOT text: printable ASCII other than `"`,
  /// `\` and `&`.
  static func isPlain(_ byte: UInt8) -> Bool {
    byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C && byte != 0x26
  }

  /// A quoted, escaped DOT string.
  static func quote(_ text: String) -> String { "\"" + escape(text) + "\"" }

  /// The first `length` characters of a message, with an ellipsis when it was longer.
  static func truncate(_ message: String, to length: Int) -> String {
    guard message.count > length else { return message }
    return String(message.prefix(max(length - 1, 0))).trimmingSuffix(while: { $0 == " " }) + "\u{2026}"
  }

  /// The 64-bit FNV-1a hash of the UTF-8 bytes: stable across runs and platforms (unlike
  /// `Hasher`, which is seeded per process).
  static func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
  }

  /// A label's colours: a saturated outline and a pale fill of the same hue, from the name.
  static func colours(forLabel label: String) -> (outline: String, fill: String) {
    let hue = Int(stableHash(label) % 360)
    return (hex(hue: hue, saturation: 70, value: 65), hex(hue: hue, saturation: 22, value: 100))
  }

  /// `#rrggbb` for a hue in degrees and saturation and value in percent (integer arithmetic,
  /// so the text is the same everywhere).
  static func hex(hue: Int, saturation: Int, value: Int) -> String {
    // Scaled by 100 * 60 so every step stays an integer.
    let v = value * 6000 / 100
    let c = value * saturation * 60 / 100
    let h = hue % 360
    let x = c * (60 - abs(h % 120 - 60)) / 60
    let m = v - c
    let (r, g, b): (Int, Int, Int) =
      switch h / 60 {
      case 0: (c, x, 0)
      case 1: (x, c, 0)
      case 2: (0, c, x)
      case 3: (0, x, c)
      case 4: (x, 0, c)
      default: (c, 0, x)
      }
    func byte(_ part: Int) -> String {
      let value = min(255, max(0, ((part + m) * 255 + 3000) / 6000))
      let digits = String(value, radix: 16)
      return value < 16 ? "0" + digits : digits
    }
    return "#" + byte(r) + byte(g) + byte(b)
  }
}

extension String {
  fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
    var copy = self
    while let last = copy.last, predicate(last) { copy.removeLast() }
    return copy
  }
}
