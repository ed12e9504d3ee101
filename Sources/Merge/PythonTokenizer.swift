/// One token of Python source, with where it stands (for rewriting and line numbers).
struct PythonToken: Equatable {
  enum Kind: Equatable {
    case name
    /// A string literal; ``PythonToken/text`` holds its value (escapes decoded unless raw).
    case string
    case number
    /// An operator or delimiter (`(`, `.`, `=`, `==`, `->`, …).
    case op
  }

  var kind: Kind
  var text: String
  /// 1-based line of the first character.
  var line: Int
  /// Byte column of the first character (0 = start of the line).
  var column: Int
  /// Byte offsets of the token in the (line-ending-normalized) source.
  var start: Int
  var end: Int
  /// Bracket depth before the token.
  var depth: Int
  /// Whether the token is the first on its physical line.
  var isFirstOnLine: Bool

  func isOp(_ text: String) -> Bool { kind == .op && self.text == text }
  func isName(_ text: String) -> Bool { kind == .name && self.text == text }
  /// The first token of a top-level statement at column 0.
  var startsTopLevelStatement: Bool { isFirstOnLine && column == 0 && depth == 0 }
}

/// A small Python tokenizer: names, numbers, strings (all prefixes and quote styles),
/// operators; comments and line continuations are stepped over. It never fails.
enum PythonTokenizer {
  static func tokens(_ bytes: [UInt8]) -> [PythonToken] {
    var tokens: [PythonToken] = []
    var i = 0
    var line = 1
    var lineStart = 0
    var depth = 0
    var lastTokenLine = 0
    let n = bytes.count
    func isNameStart(_ b: UInt8) -> Bool {
      (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80
    }
    func isNameByte(_ b: UInt8) -> Bool { isNameStart(b) || (b >= 0x30 && b <= 0x39) }
    func append(_ kind: PythonToken.Kind, _ text: String, from start: Int, to end: Int, at position: (Int, Int)) {
      tokens.append(
        PythonToken(
          kind: kind, text: text, line: position.0, column: position.1, start: start, end: end,
          depth: depth, isFirstOnLine: position.0 != lastTokenLine))
      lastTokenLine = position.0
    }
    func newline(at offset: Int) {
      line += 1
      lineStart = offset + 1
    }
    while i < n {
      let b = bytes[i]
      let position = (line, i - lineStart)
      switch b {
      case 0x0A:
        newline(at: i)
        i += 1
      case 0x20, 0x09, 0x0C, 0x0D:
        i += 1
      case 0x23:  // comment
        while i < n && bytes[i] != 0x0A { i += 1 }
      case 0x5C:  // backslash continuation: the next line continues this one
        i += 1
        if i < n && bytes[i] == 0x0D { i += 1 }
        if i < n && bytes[i] == 0x0A {
          newline(at: i)
          i += 1
          if lastTokenLine == line - 1 { lastTokenLine = line }
        }
      case 0x27, 0x22:
        let (value, end) = readString(bytes, from: i, raw: false, newline: newline)
        append(.string, value, from: i, to: end, at: position)
        i = end
      case _ where isNameStart(b):
        var j = i + 1
        while j < n && isNameByte(bytes[j]) { j += 1 }
        let word = String(decoding: bytes[i..<j], as: UTF8.self)
        if j < n, bytes[j] == 0x27 || bytes[j] == 0x22, word.count <= 2,
          word.lowercased().allSatisfy({ "rbuf".contains($0) })
        {
          let (value, end) = readString(bytes, from: j, raw: word.lowercased().contains("r"), newline: newline)
          append(.string, value, from: i, to: end, at: position)
          i = end
        } else {
          append(.name, word, from: i, to: j, at: position)
          i = j
        }
      case 0x30...0x39:
        var j = i + 1
        while j < n && (isNameByte(bytes[j]) || bytes[j] == 0x2E) { j += 1 }
        append(.number, String(decoding: bytes[i..<j], as: UTF8.self), from: i, to: j, at: position)
        i = j
      default:
        var j = i + 1
        let pair = i + 1 < n ? String(decoding: bytes[i...(i + 1)], as: UTF8.self) : ""
        if ["==", "!=", "<=", ">=", "->", ":=", "**", "//", "<<", ">>"].contains(pair) { j = i + 2 }
        let text = String(decoding: bytes[i..<j], as: UTF8.self)
        if text == ")" || text == "]" || text == "}" { depth = max(0, depth - 1) }
        append(.op, text, from: i, to: j, at: position)
        if text == "(" || text == "[" || text == "{" { depth += 1 }
        i = j
      }
    }
    return tokens
  }

  /// Reads a string literal whose opening quote is at `start`; returns its value and the
  /// offset past the closing quote (or the end of the line / file when unterminated).
  private static func readString(
    _ bytes: [UInt8], from start: Int, raw: Bool, newline: (Int) -> Void
  ) -> (String, Int) {
    let n = bytes.count
    let quote = bytes[start]
    let triple = start + 2 < n && bytes[start + 1] == quote && bytes[start + 2] == quote
    var i = start + (triple ? 3 : 1)
    var value: [UInt8] = []
    while i < n {
      let b = bytes[i]
      if b == quote && (!triple || (i + 2 < n && bytes[i + 1] == quote && bytes[i + 2] == quote)) {
        return (String(decoding: value, as: UTF8.self), i + (triple ? 3 : 1))
      }
      if b == 0x0A {
        if !triple { return (String(decoding: value, as: UTF8.self), i) }
        newline(i)
      }
      if b == 0x5C && i + 1 < n {
        let next = bytes[i + 1]
        if next == 0x0A { newline(i + 1) }
        if raw {
          value.append(b)
          value.append(next)
        } else {
          switch next {
          case 0x6E: value.append(0x0A)  // \n
          case 0x74: value.append(0x09)  // \t
          case 0x72: value.append(0x0D)  // \r
          case 0x0A: break  // line continuation inside the string
          case 0x5C, 0x27, 0x22: value.append(next)
          default:
            value.append(b)
            value.append(next)
          }
        }
        i += 2
        continue
      }
      value.append(b)
      i += 1
    }
    return (String(decoding: value, as: UTF8.self), n)
  }
}
