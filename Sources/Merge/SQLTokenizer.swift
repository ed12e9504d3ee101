/// One token of SQL text: enough lexical structure to find object names in DDL.
struct SQLToken: Equatable {
  enum Kind: Equatable {
    /// A bare word: keyword or unquoted identifier.
    case word
    /// A quoted identifier (`"x"`, `` `x` ``, `[x]`); ``text`` is the name inside.
    case quoted
    /// A string literal or dollar-quoted body (contents dropped).
    case string
    /// A number.
    case number
    /// Any other single character.
    case symbol
  }

  var kind: Kind
  var text: String
  /// The 1-based line the token starts on.
  var line: Int

  /// The keyword this token spells (upper-cased), or `nil` if it is not a bare word.
  var keyword: String? { kind == .word ? text.uppercased() : nil }
  var isName: Bool { kind == .word || kind == .quoted }
  func isSymbol(_ character: Character) -> Bool { kind == .symbol && text == String(character) }
}

/// Splits SQL into tokens, stepping over comments (`--`, `/* */`, nested), string literals
/// (`'…'` with `''`), dollar quotes (`$tag$…$tag$`) and quoted identifiers.
///
/// It never fails: an unterminated string or comment simply runs to the end.
enum SQLTokenizer {
  static func tokens(_ sql: String, firstLine: Int = 1) -> [SQLToken] {
    let bytes = Array(sql.utf8)
    var tokens: [SQLToken] = []
    var i = 0
    var line = firstLine
    let n = bytes.count
    func advance(to end: Int) {
      while i < end && i < n {
        if bytes[i] == 0x0A { line += 1 }
        i += 1
      }
    }
    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
    func isWordStart(_ b: UInt8) -> Bool {
      (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80
    }
    func isWordByte(_ b: UInt8) -> Bool { isWordStart(b) || (b >= 0x30 && b <= 0x39) || b == 0x24 }
    /// The index just past the closing `close` (doubled `close` escapes it), or the end.
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
      let startLine = line
      switch b {
      case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
        advance(to: i + 1)
      case 0x2D where i + 1 < n && bytes[i + 1] == 0x2D:  // -- comment
        var j = i
        while j < n && bytes[j] != 0x0A { j += 1 }
        advance(to: j)
      case 0x2F where i + 1 < n && bytes[i + 1] == 0x2A:  // /* comment */, nested as in PostgreSQL
        var depth = 0
        var j = i
        while j < n {
          if bytes[j] == 0x2F && j + 1 < n && bytes[j + 1] == 0x2A {
            depth += 1
            j += 2
          } else if bytes[j] == 0x2A && j + 1 < n && bytes[j + 1] == 0x2F {
            depth -= 1
            j += 2
            if depth == 0 { break }
          } else {
            j += 1
          }
        }
        advance(to: j)
      case 0x27:  // 'string'
        let end = closing(0x27, from: i + 1, doubling: true)
        tokens.append(SQLToken(kind: .string, text: "", line: startLine))
        advance(to: end)
      case 0x22, 0x60:  // "identifier", `identifier`
        let end = closing(b, from: i + 1, doubling: true)
        let inner = text((i + 1)..<max(i + 1, end - 1))
        let quote = String(UnicodeScalar(b))
        tokens.append(
          SQLToken(kind: .quoted, text: inner.replacingOccurrences(of: quote + quote, with: quote), line: startLine))
        advance(to: end)
      case 0x5B:  // [identifier]
        let end = closing(0x5D, from: i + 1, doubling: false)
        tokens.append(SQLToken(kind: .quoted, text: text((i + 1)..<max(i + 1, end - 1)), line: startLine))
        advance(to: end)
      case 0x24 where i + 1 < n && (bytes[i + 1] == 0x24 || isWordStart(bytes[i + 1])):  // $tag$ … $tag$
        var j = i + 1
        while j < n && bytes[j] != 0x24 && isWordByte(bytes[j]) { j += 1 }
        guard j < n && bytes[j] == 0x24 else {
          tokens.append(SQLToken(kind: .symbol, text: "$", line: startLine))
          advance(to: i + 1)
          continue
        }
        let tag = Array(bytes[i...j])
        var k = j + 1
        while k < n && !(bytes[k] == 0x24 && bytes[k...].starts(with: tag)) { k += 1 }
        tokens.append(SQLToken(kind: .string, text: "", line: startLine))
        advance(to: min(n, k + tag.count))
      case _ where isWordStart(b):
        var j = i + 1
        while j < n && isWordByte(bytes[j]) { j += 1 }
        tokens.append(SQLToken(kind: .word, text: text(i..<j), line: startLine))
        advance(to: j)
      case 0x30...0x39:
        var j = i + 1
        while j < n && (isWordByte(bytes[j]) || bytes[j] == 0x2E) { j += 1 }
        tokens.append(SQLToken(kind: .number, text: text(i..<j), line: startLine))
        advance(to: j)
      default:
        tokens.append(SQLToken(kind: .symbol, text: String(UnicodeScalar(b)), line: startLine))
        advance(to: i + 1)
      }
    }
    return tokens
  }

  /// Groups tokens into statements at `;` outside parentheses. A trigger body
  /// (`BEGIN … END`, with nested `CASE … END`) stays inside its `CREATE TRIGGER`.
  static func statements(_ tokens: [SQLToken]) -> [[SQLToken]] {
    var statements: [[SQLToken]] = []
    var current: [SQLToken] = []
    var depth = 0
    var block = 0
    for token in tokens {
      if token.isSymbol(";") && depth == 0 && block == 0 {
        if !current.isEmpty { statements.append(current) }
        current = []
        continue
      }
      if token.isSymbol("(") { depth += 1 }
      if token.isSymbol(")") { depth = max(0, depth - 1) }
      if let keyword = token.keyword, depth == 0 {
        switch keyword {
        case "BEGIN" where isTrigger(current): block += 1
        case "CASE" where block > 0: block += 1
        case "END" where block > 0: block -= 1
        default: break
        }
      }
      current.append(token)
    }
    if !current.isEmpty { statements.append(current) }
    return statements
  }

  /// Whether a statement so far is `CREATE [TEMP] TRIGGER …`.
  private static func isTrigger(_ statement: [SQLToken]) -> Bool {
    guard statement.first?.keyword == "CREATE" else { return false }
    return statement.prefix(4).contains { $0.keyword == "TRIGGER" }
  }
}
