/// A cursor over the bytes of a Python source file.
///
/// It knows just enough of Python's lexical rules (strings, brackets, comments, backslash
/// continuations) to step from one top-level statement to the next without executing or
/// fully tokenizing anything. Line endings are normalized to `\n` first, as Python does.
struct PythonScanner {
  let bytes: [UInt8]
  /// The offset of the next byte to read.
  var position = 0
  /// The 1-based line of ``position``.
  var line = 1

  init(_ text: String) {
    var bytes = Array(text.utf8)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    if bytes.contains(Byte.cr) { bytes = Self.normalizingLineEndings(bytes) }
    self.bytes = bytes
  }

  private static func normalizingLineEndings(_ bytes: [UInt8]) -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == Byte.cr {
        result.append(Byte.lf)
        if index + 1 < bytes.count, bytes[index + 1] == Byte.lf { index += 1 }
      } else {
        result.append(byte)
      }
      index += 1
    }
    return result
  }

  // MARK: - Reading bytes

  var isAtEnd: Bool { position >= bytes.count }

  /// The byte `offset` places ahead, or `nil` past the end.
  func peek(_ offset: Int = 0) -> UInt8? {
    let index = position + offset
    return index < bytes.count ? bytes[index] : nil
  }

  /// Moves one byte forward, counting lines.
  mutating func advance() {
    if bytes[position] == Byte.lf { line += 1 }
    position += 1
  }

  /// The text of `range`, decoded as UTF-8.
  func text(_ range: Range<Int>) -> String {
    String(decoding: bytes[range], as: UTF8.self)
  }

  /// The rest of the physical line from `start`, trimmed and shortened for messages.
  func excerpt(from start: Int) -> String {
    var end = start
    while end < bytes.count, bytes[end] != Byte.lf { end += 1 }
    let found = Self.strip(text(start..<end))
    return found.count > 60 ? String(found.prefix(57)) + "..." : found
  }

  // MARK: - Skipping

  /// Skips spaces, tabs, form feeds and backslash-newline continuations.
  mutating func skipInlineSpace() {
    while let byte = peek() {
      if byte == Byte.space || byte == Byte.tab || byte == Byte.formFeed {
        advance()
      } else if byte == Byte.backslash, peek(1) == Byte.lf {
        advance()
        advance()
      } else {
        return
      }
    }
  }

  /// Skips whitespace, newlines and comments, as allowed inside brackets.
  mutating func skipSpaceInBrackets() {
    while let byte = peek() {
      if byte == Byte.space || byte == Byte.tab || byte == Byte.formFeed || byte == Byte.lf {
        advance()
      } else if byte == Byte.backslash, peek(1) == Byte.lf {
        advance()
        advance()
      } else if byte == Byte.hash {
        skipComment()
      } else {
        return
      }
    }
  }

  /// Skips a `#` comment up to (not including) the end of the line.
  mutating func skipComment() {
    while let byte = peek(), byte != Byte.lf { advance() }
  }

  /// Skips to the start of the next logical line, stepping over strings, bracketed
  /// expressions, comments and continuations.
  mutating func skipLogicalLine() {
    _ = skipExpression(stoppingAtEquals: false)
    if peek() == Byte.lf { advance() }
  }

  /// Skips an annotation up to its `=` (consumed); returns `false` at the end of the
  /// logical line instead (a bare annotation such as `revision: str`).
  mutating func skipAnnotation() -> Bool {
    skipExpression(stoppingAtEquals: true)
  }

  /// Skips until the end of the logical line (left unconsumed) or, when asked, until an
  /// assignment `=` at bracket depth 0 (consumed, returning `true`).
  private mutating func skipExpression(stoppingAtEquals: Bool) -> Bool {
    var depth = 0
    while let byte = peek() {
      switch byte {
      case Byte.lf:
        if depth == 0 { return false }
        advance()
      case Byte.hash:
        skipComment()
      case Byte.backslash:
        advance()
        if !isAtEnd { advance() }
      case Byte.singleQuote, Byte.doubleQuote:
        skipStringBody()
      case Byte.openParen, Byte.openBracket, Byte.openBrace:
        depth += 1
        advance()
      case Byte.closeParen, Byte.closeBracket, Byte.closeBrace:
        depth = max(0, depth - 1)
        advance()
      case Byte.equals:
        advance()
        guard stoppingAtEquals, depth == 0 else { continue }
        if peek() == Byte.equals { advance() } else { return true }
      case Byte.lessThan, Byte.greaterThan, Byte.bang:
        // Step over comparison operators (`<=`, `>=`, `!=`) as a unit.
        advance()
        if peek() == Byte.equals { advance() }
      default:
        advance()
      }
    }
    return false
  }

  /// Skips a string literal whose opening quote is at ``position``, without decoding it.
  /// An unterminated single-quoted string ends at the end of its line.
  mutating func skipStringBody() {
    guard let quote = peek() else { return }
    let isTriple = peek(1) == quote && peek(2) == quote
    for _ in 0..<(isTriple ? 3 : 1) { advance() }
    while let byte = peek() {
      if byte == Byte.backslash {
        advance()
        if !isAtEnd { advance() }
      } else if byte == quote {
        if !isTriple {
          advance()
          return
        }
        if peek(1) == quote && peek(2) == quote {
          for _ in 0..<3 { advance() }
          return
        }
        advance()
      } else if byte == Byte.lf && !isTriple {
        return
      } else {
        advance()
      }
    }
  }

  // MARK: - Words

  /// Reads an identifier (ASCII letters, digits, `_`, or any non-ASCII byte), or `nil`.
  mutating func readIdentifier() -> String? {
    guard let first = peek(), Byte.isIdentifierHead(first) else { return nil }
    let start = position
    while let byte = peek(), Byte.isIdentifierHead(byte) || Byte.isDigit(byte) { advance() }
    return text(start..<position)
  }

  /// Whether the logical line ends here: end of file, newline, comment or `;`.
  var isAtStatementEnd: Bool {
    guard let byte = peek() else { return true }
    return byte == Byte.lf || byte == Byte.hash || byte == Byte.semicolon
  }
}

extension PythonScanner {
  /// The bytes the scanner looks for (kept in a namespace so they clash with nothing).
  enum Byte {
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let tab = UInt8(ascii: "\t")
    static let formFeed: UInt8 = 0x0C
    static let space = UInt8(ascii: " ")
    static let hash = UInt8(ascii: "#")
    static let backslash = UInt8(ascii: "\\")
    static let singleQuote = UInt8(ascii: "'")
    static let doubleQuote = UInt8(ascii: "\"")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let equals = UInt8(ascii: "=")
    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")
    static let bang = UInt8(ascii: "!")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let semicolon = UInt8(ascii: ";")

    static func isDigit(_ byte: UInt8) -> Bool {
      byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
    static func isIdentifierHead(_ byte: UInt8) -> Bool {
      (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
        || byte == UInt8(ascii: "_") || byte >= 0x80
    }
    static func isQuote(_ byte: UInt8) -> Bool { byte == singleQuote || byte == doubleQuote }

  }
}

extension PythonScanner {
  /// `text` without leading and trailing whitespace (Python's `str.strip()`).
  static func strip(_ text: String) -> String {
    guard let first = text.firstIndex(where: { !$0.isWhitespace }),
      let last = text.lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(text[first...last])
  }
}
