/// One token of SQLite SQL, with where it sits in the source text.
struct SQLLexeme: Equatable, Sendable {
  enum Kind: Equatable, Sendable {
    /// A bare word: a keyword or an unquoted identifier.
    case word
    /// A quoted identifier (`"x"`, `` `x` ``, `[x]`).
    case quoted
    /// A string literal `'…'`.
    case string
    /// A number.
    case number
    /// A blob literal `X'…'`.
    case blob
    /// A parameter (`?`, `?1`, `:a`, `@a`, `$a`).
    case parameter
    /// An operator or punctuation, possibly two characters (`<=`, `||`, `!=`).
    case symbol
  }

  var kind: Kind
  /// The token's bytes in the source (UTF-8 offsets).
  var range: Range<Int>
  /// For ``Kind/quoted``: the name inside the quotes; otherwise the source text.
  var text: String

  /// The upper-cased keyword when this is a bare word.
  var keyword: String? { kind == .word ? text.uppercased() : nil }
  /// True for a bare or quoted name.
  var isName: Bool { kind == .word || kind == .quoted }
  /// The identifier it names, lower-cased (SQLite compares ASCII names case-insensitively).
  var nameKey: String { text.lowercased() }
  func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }
}

/// Splits SQLite SQL into tokens, skipping white space and comments.
///
/// It never fails: an unterminated literal or comment runs to the end of the text. Enough of
/// SQLite's lexical rules to find names, parenthesized groups and constraint keywords in the
/// statements SQLite itself stores in `sqlite_schema`.
enum SQLLexer {
  static func tokens(_ sql: String) -> [SQLLexeme] {
    let bytes = Array(sql.utf8)
    let n = bytes.count
    var tokens: [SQLLexeme] = []
    var i = 0
    func isWordStart(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b == 0x5F || b >= 0x80 }
    func isWordByte(_ b: UInt8) -> Bool { isWordStart(b) || (b >= 0x30 && b <= 0x39) || b == 0x24 }
    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
    /// The index just past the closing `close`; a doubled `close` escapes it.
    func closing(_ close: UInt8, from start: Int, doubling: Bool) -> Int {
      var j = start
      while j < n {
        if bytes[j] == close {
          if doubling && j + 1 < n && bytes[j + 1] == close {
            j += 2
            continue
          }
          return j + 1
        }
        j += 1
      }
      return n
    }
    while i < n {
      let b = bytes[i]
      switch b {
      case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
        i += 1
      case 0x2D where i + 1 < n && bytes[i + 1] == 0x2D:
        while i < n && bytes[i] != 0x0A { i += 1 }
      case 0x2F where i + 1 < n && bytes[i + 1] == 0x2A:
        var j = i + 2
        while j + 1 < n && !(bytes[j] == 0x2A && bytes[j + 1] == 0x2F) { j += 1 }
        i = min(n, j + 2)
      case 0x27:
        let end = closing(0x27, from: i + 1, doubling: true)
        tokens.append(SQLLexeme(kind: .string, range: i..<end, text: text(i..<end)))
        i = end
      case 0x22, 0x60:
        let end = closing(b, from: i + 1, doubling: true)
        let quote = String(UnicodeScalar(b))
        let inner = text((i + 1)..<max(i + 1, end - 1)).replacingOccurrences(of: quote + quote, with: quote)
        tokens.append(SQLLexeme(kind: .quoted, range: i..<end, text: inner))
        i = end
      case 0x5B:
        let end = closing(0x5D, from: i + 1, doubling: false)
        tokens.append(SQLLexeme(kind: .quoted, range: i..<end, text: text((i + 1)..<max(i + 1, end - 1))))
        i = end
      case _ where (b | 0x20) == 0x78 && i + 1 < n && bytes[i + 1] == 0x27:  // X'…' or x'…'
        let end = closing(0x27, from: i + 2, doubling: false)
        tokens.append(SQLLexeme(kind: .blob, range: i..<end, text: text(i..<end)))
        i = end
      case _ where isWordStart(b):
        var j = i + 1
        while j < n && isWordByte(bytes[j]) { j += 1 }
        tokens.append(SQLLexeme(kind: .word, range: i..<j, text: text(i..<j)))
        i = j
      case 0x30...0x39,
        0x2E where b != 0x2E || (i + 1 < n && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39):
        var j = i + 1
        while j < n {
          let c = bytes[j]
          if isWordByte(c) || c == 0x2E {
            j += 1
          } else if (c == 0x2B || c == 0x2D) && (bytes[j - 1] | 0x20) == 0x65 && !(text(i..<j).hasPrefix("0x")) {
            j += 1  // 1e+5
          } else {
            break
          }
        }
        tokens.append(SQLLexeme(kind: .number, range: i..<j, text: text(i..<j)))
        i = j
      case 0x3F, 0x3A, 0x40, 0x24:
        var j = i + 1
        while j < n && isWordByte(bytes[j]) { j += 1 }
        tokens.append(SQLLexeme(kind: .parameter, range: i..<j, text: text(i..<j)))
        i = j
      default:
        let two = i + 1 < n ? text(i..<(i + 2)) : ""
        let length = ["<=", ">=", "<>", "!=", "==", "||", "<<", ">>", "->"].contains(two) ? 2 : 1
        let end = two == "->" && i + 2 < n && bytes[i + 2] == 0x3E ? i + 3 : i + length
        tokens.append(SQLLexeme(kind: .symbol, range: i..<end, text: text(i..<end)))
        i = end
      }
    }
    return tokens
  }

  /// A canonical spelling of `tokens` for comparison: one space between tokens, bare words
  /// lower-cased, quoted names unquoted, literals as written.
  ///
  /// Two spellings of the same definition that differ only in white space, comments, letter
  /// case of keywords and bare names, or in quoting a lower-case name compare equal. A quoted
  /// name keeps its letter case: `AS "UserId"` names a view's column, and a double-quoted
  /// token may be a string literal.
  static func normalized(_ tokens: some Collection<SQLLexeme>) -> String {
    var out = ""
    for token in tokens {
      if !out.isEmpty { out += " " }
      out += token.kind == .word ? token.nameKey : token.text
    }
    return out
  }

  /// `text` on one line: every run of white space becomes one space.
  static func oneLine(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }

  /// ``normalized(_:)`` of the tokens of `sql`.
  static func normalized(_ sql: String) -> String { normalized(tokens(sql)) }

  /// The index of the `)` that closes the `(` at `open`, or nil.
  static func closingParenthesis(_ tokens: [SQLLexeme], from open: Int) -> Int? {
    var depth = 0
    var i = open
    while i < tokens.count {
      if tokens[i].isSymbol("(") { depth += 1 }
      if tokens[i].isSymbol(")") {
        depth -= 1
        if depth == 0 { return i }
      }
      i += 1
    }
    return nil
  }

  /// `tokens[range]` split at commas outside parentheses.
  static func splitAtCommas(_ tokens: [SQLLexeme], _ range: Range<Int>) -> [Range<Int>] {
    var parts: [Range<Int>] = []
    var start = range.lowerBound
    var depth = 0
    for i in range {
      if tokens[i].isSymbol("(") { depth += 1 }
      if tokens[i].isSymbol(")") { depth -= 1 }
      if depth == 0 && tokens[i].isSymbol(",") {
        parts.append(start..<i)
        start = i + 1
      }
    }
    if start < range.upperBound { parts.append(start..<range.upperBound) }
    return parts
  }
}

/// Quoting for names written into generated SQL.
public enum SQLName {
  /// `name` in double quotes, inner quotes doubled: always valid, whatever the name.
  public static func quoted(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
