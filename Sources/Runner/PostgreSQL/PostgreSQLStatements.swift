/// Splits PostgreSQL SQL text into statements, as psql does.
///
/// The scanner follows the lexical rules of PostgreSQL's lexer (`scan.l`) and psql's
/// statement splitting (`psqlscan.l`), with `standard_conforming_strings` on:
/// - `'…'` strings with `''` doubling, a backslash being literal; the same for `U&'…'`,
///   `B'…'`, `X'…'` and `N'…'`;
/// - `E'…'` escape strings, where a backslash escapes the next byte, continued by a further
///   `'…'` after white space holding a newline (as the lexer's `quotecontinue`);
/// - `"…"` and `U&"…"` quoted identifiers with `""` doubling;
/// - `$tag$ … $tag$` dollar quotes (`$1` is a parameter, and `$` inside a word such as `a$b`
///   is part of the word);
/// - `--` line comments and nesting `/* … */` block comments;
/// - parentheses: a `;` inside them does not end a statement (`CREATE RULE … DO (…; …)`);
/// - SQL-standard routine bodies: in a statement that begins `CREATE [OR REPLACE]
///   FUNCTION|PROCEDURE`, `BEGIN` (outside parentheses) opens a block that the matching `END`
///   closes, `CASE` nests inside such a block, and a `;` inside a block does not end the
///   statement.
///
/// One deliberate difference from psql: psql reads a file a line at a time, so it cannot see
/// that `E'a'` at the end of a line is continued by `'…'` on the next one, and may split
/// inside the continuation; the server's lexer continues the escape string, and so does this
/// scanner (the runner sends statements to the server, not to psql).
///
/// Everything works on UTF-8 bytes, so non-ASCII text passes through untouched; nothing
/// fails: an unterminated quote, comment or dollar quote makes the rest of the text one last
/// statement.
enum PostgreSQLStatements {
  /// One statement of a script.
  struct Statement: Equatable, Sendable {
    /// Byte range in the script's UTF-8, from the statement's first non-trivia byte up to and
    /// including its terminating `;` (or to the end of the text for a last statement without
    /// one). Leading white space and comments before the statement are not included.
    var range: Range<Int>
    /// 1-based line (within the script) where the statement's first byte is.
    var line: Int
  }

  /// The statements of `bytes` in order; text that is only white space and comments yields
  /// none, and so do empty statements (`;;`).
  ///
  /// Never fails: an unterminated quote, comment or dollar quote makes the rest of the text
  /// one last statement.
  static func split(_ bytes: [UInt8]) -> [Statement] {
    var statements = [Statement]()
    var offset = 0
    var line = 1
    var counted = 0
    while offset < bytes.count {
      let start = skipTrivia(bytes, from: offset, end: bytes.count)
      guard start < bytes.count else { break }
      if bytes[start] == Byte.semicolon {
        offset = start + 1
        continue
      }
      for i in counted..<start where bytes[i] == Byte.newline { line += 1 }
      counted = start
      let scan = scanStatement(bytes, from: start, end: bytes.count)
      statements.append(Statement(range: start..<scan.end, line: line))
      offset = scan.end
    }
    return statements
  }

  /// The offset of the first byte at or after `offset` (below `end`) that is neither white
  /// space nor inside a `--` comment or a (nested) `/* */` comment; `end` when there is none.
  ///
  /// `end` is clamped to `bytes.count`; an `offset` past it gives `end`.
  static func skipTrivia(_ bytes: [UInt8], from offset: Int, end: Int) -> Int {
    trivia(bytes, from: offset, end: end).end
  }

  /// True when `bytes` ends with a complete statement: after the last statement's
  /// terminating `;` there is only white space and comments, and no quote, comment or dollar
  /// quote is left open (like `sqlite3_complete`, for PostgreSQL).
  ///
  /// Empty or trivia-only text gives false; a lone `;` (an empty statement) gives true.
  static func isComplete(_ bytes: some Collection<UInt8>) -> Bool {
    let bytes = Array(bytes)
    var offset = 0
    var complete = false
    while offset < bytes.count {
      let skipped = trivia(bytes, from: offset, end: bytes.count)
      if skipped.isOpen { return false }
      guard skipped.end < bytes.count else { break }
      if bytes[skipped.end] == Byte.semicolon {
        complete = true
        offset = skipped.end + 1
        continue
      }
      let scan = scanStatement(bytes, from: skipped.end, end: bytes.count)
      complete = scan.isTerminated
      offset = scan.end
    }
    return complete
  }

  /// The 1-based line within a statement's text of the 1-based character position
  /// `position` that PostgreSQL reports in an error.
  ///
  /// `PG_DIAG_STATEMENT_POSITION` counts characters, not bytes, so the UTF-8 continuation
  /// bytes of `statement` do not count; lines are counted by `\n` (a `\n` is on the line it
  /// ends). A position out of range gives the line of the last character (1 for an empty
  /// statement).
  static func line(ofCharacter position: Int, in statement: some Collection<UInt8>) -> Int {
    var line = 1
    var characters = 0
    var previousWasNewline = false
    for byte in statement {
      // A UTF-8 continuation byte (10xxxxxx) belongs to the character before it.
      guard byte & 0xC0 != 0x80 else { continue }
      if previousWasNewline { line += 1 }
      characters += 1
      if characters == position { return line }
      previousWasNewline = byte == Byte.newline
    }
    return line
  }
}

// MARK: - Scanning

extension PostgreSQLStatements {
  /// Bytes the scanner looks for.
  enum Byte {
    /// `\n`.
    static let newline = UInt8(ascii: "\n")
    /// `\r`.
    static let carriageReturn = UInt8(ascii: "\r")
    /// `;`.
    static let semicolon = UInt8(ascii: ";")
    /// `'`.
    static let quote = UInt8(ascii: "'")
    /// `"`.
    static let doubleQuote = UInt8(ascii: "\"")
    /// `$`.
    static let dollar = UInt8(ascii: "$")
    /// `-`.
    static let dash = UInt8(ascii: "-")
    /// `/`.
    static let slash = UInt8(ascii: "/")
    /// `*`.
    static let star = UInt8(ascii: "*")
    /// `\`.
    static let backslash = UInt8(ascii: "\\")
    /// `&`.
    static let ampersand = UInt8(ascii: "&")
    /// `(`.
    static let openParenthesis = UInt8(ascii: "(")
    /// `)`.
    static let closeParenthesis = UInt8(ascii: ")")
  }

  /// Where a run of white space and comments ends, and whether it ends inside an
  /// unterminated block comment.
  static func trivia(_ bytes: [UInt8], from offset: Int, end: Int) -> (end: Int, isOpen: Bool) {
    let end = min(end, bytes.count)
    var i = max(offset, 0)
    while i < end {
      let byte = bytes[i]
      if isSpace(byte) {
        i += 1
      } else if byte == Byte.dash && i + 1 < end && bytes[i + 1] == Byte.dash {
        i = lineCommentEnd(bytes, from: i + 2, end: end)
      } else if byte == Byte.slash && i + 1 < end && bytes[i + 1] == Byte.star {
        let comment = blockCommentEnd(bytes, from: i + 2, end: end)
        if comment.isOpen { return (end, true) }
        i = comment.end
      } else {
        return (i, false)
      }
    }
    return (min(i, end), false)
  }

  /// What scanning one statement found: the offset just past it, and whether a `;` ended it
  /// (rather than the end of the text, possibly inside a quote, comment or dollar quote).
  struct StatementScan {
    /// The offset just past the statement's terminating `;`, or `end`.
    var end: Int
    /// True when a `;` ended the statement.
    var isTerminated: Bool
  }

  /// Scans the statement that starts at `start` (a non-trivia byte) up to its terminating
  /// `;` at parenthesis depth 0 outside any routine-body block, or to `end`.
  static func scanStatement(_ bytes: [UInt8], from start: Int, end: Int) -> StatementScan {
    var words = RoutineHead()
    var parentheses = 0
    var blocks = 0
    var i = start
    while i < end {
      let byte = bytes[i]
      let next: UInt8 = i + 1 < end ? bytes[i + 1] : 0
      switch byte {
      case Byte.semicolon:
        if parentheses == 0 && blocks == 0 { return StatementScan(end: i + 1, isTerminated: true) }
        i += 1
      case Byte.openParenthesis:
        parentheses += 1
        i += 1
      case Byte.closeParenthesis:
        if parentheses > 0 { parentheses -= 1 }
        i += 1
      case Byte.quote:
        i = stringEnd(bytes, from: i + 1, end: end, escapes: false)
      case Byte.doubleQuote:
        i = quotedIdentifierEnd(bytes, from: i + 1, end: end)
      case Byte.dash where next == Byte.dash:
        i = lineCommentEnd(bytes, from: i + 2, end: end)
      case Byte.slash where next == Byte.star:
        i = blockCommentEnd(bytes, from: i + 2, end: end).end
      case Byte.dollar:
        i = dollarQuoteEnd(bytes, from: i, end: end) ?? i + 1
      case _ where isDigit(byte):
        // A number; trailing identifier characters (PostgreSQL 15's "junk") go with it.
        i += 1
        while i < end && isDigit(bytes[i]) { i += 1 }
        if i < end && isIdentifierStart(bytes[i]) { i = wordEnd(bytes, from: i, end: end) }
      case _ where isIdentifierStart(byte):
        let lower = byte | 0x20
        let third: UInt8 = i + 2 < end ? bytes[i + 2] : 0
        if lower == UInt8(ascii: "e") && next == Byte.quote {
          i = stringEnd(bytes, from: i + 2, end: end, escapes: true)
        } else if lower == UInt8(ascii: "b") || lower == UInt8(ascii: "x") || lower == UInt8(ascii: "n"),
          next == Byte.quote
        {
          i = stringEnd(bytes, from: i + 2, end: end, escapes: false)
        } else if lower == UInt8(ascii: "u") && next == Byte.ampersand && third == Byte.quote {
          i = stringEnd(bytes, from: i + 3, end: end, escapes: false)
        } else if lower == UInt8(ascii: "u") && next == Byte.ampersand && third == Byte.doubleQuote {
          i = quotedIdentifierEnd(bytes, from: i + 3, end: end)
        } else {
          let wordEnd = wordEnd(bytes, from: i, end: end)
          let word = bytes[i..<wordEnd]
          words.record(word)
          if words.isRoutine && parentheses == 0 {
            if Keyword.matches(word, Keyword.begin) {
              blocks += 1
            } else if Keyword.matches(word, Keyword.case) {
              // CASE ends with END too; it only matters inside a block.
              if blocks > 0 { blocks += 1 }
            } else if Keyword.matches(word, Keyword.end) {
              if blocks > 0 { blocks -= 1 }
            }
          }
          i = wordEnd
        }
      default:
        i += 1
      }
    }
    return StatementScan(end: end, isTerminated: false)
  }

  /// The offset just past the `'` that closes a string whose text starts at `offset` (or
  /// `end`). `''` is a doubled quote; with `escapes` (an `E'…'` string) a backslash escapes
  /// the next byte and a further `'…'` after white space holding a newline continues the
  /// string.
  static func stringEnd(_ bytes: [UInt8], from offset: Int, end: Int, escapes: Bool) -> Int {
    var i = offset
    while i < end {
      let byte = bytes[i]
      if escapes && byte == Byte.backslash {
        i += 2
      } else if byte == Byte.quote {
        if i + 1 < end && bytes[i + 1] == Byte.quote {
          i += 2
        } else if escapes, let continued = continuation(bytes, from: i + 1, end: end) {
          i = continued
        } else {
          return i + 1
        }
      } else {
        i += 1
      }
    }
    return end
  }

  /// The offset just past the `'` that continues a string after its closing quote at
  /// `offset - 1`, or nil: the lexer's `quotecontinue`, horizontal white space or a `--`
  /// comment, a newline, then white space or `--` comments each ended by a newline.
  static func continuation(_ bytes: [UInt8], from offset: Int, end: Int) -> Int? {
    var i = offset
    var sawNewline = false
    while i < end {
      let byte = bytes[i]
      if byte == Byte.newline || byte == Byte.carriageReturn {
        sawNewline = true
        i += 1
      } else if isSpace(byte) {
        i += 1
      } else if byte == Byte.dash && i + 1 < end && bytes[i + 1] == Byte.dash {
        i = lineCommentEnd(bytes, from: i + 2, end: end)
      } else {
        return sawNewline && byte == Byte.quote ? i + 1 : nil
      }
    }
    return nil
  }

  /// The offset just past the `"` that closes a quoted identifier whose text starts at
  /// `offset` (or `end`); `""` is a doubled quote.
  static func quotedIdentifierEnd(_ bytes: [UInt8], from offset: Int, end: Int) -> Int {
    var i = offset
    while i < end {
      if bytes[i] == Byte.doubleQuote {
        guard i + 1 < end && bytes[i + 1] == Byte.doubleQuote else { return i + 1 }
        i += 2
      } else {
        i += 1
      }
    }
    return end
  }

  /// The offset of the newline (or `end`) that ends a `--` comment whose text starts at
  /// `offset`.
  static func lineCommentEnd(_ bytes: [UInt8], from offset: Int, end: Int) -> Int {
    var i = offset
    while i < end && bytes[i] != Byte.newline && bytes[i] != Byte.carriageReturn { i += 1 }
    return i
  }

  /// The offset just past the `*/` that closes a block comment whose text starts at `offset`
  /// (after its `/*`), counting nested `/* */` pairs; `end` and open when it is unterminated.
  static func blockCommentEnd(_ bytes: [UInt8], from offset: Int, end: Int) -> (end: Int, isOpen: Bool) {
    var depth = 1
    var i = offset
    while i + 1 < end {
      if bytes[i] == Byte.slash && bytes[i + 1] == Byte.star {
        depth += 1
        i += 2
      } else if bytes[i] == Byte.star && bytes[i + 1] == Byte.slash {
        depth -= 1
        i += 2
        if depth == 0 { return (i, false) }
      } else {
        i += 1
      }
    }
    return (end, true)
  }

  /// The end of the dollar tag (`$`, identifier characters not starting with a digit, `$`)
  /// at `offset`, or nil when there is none there.
  static func dollarTagEnd(_ bytes: [UInt8], from offset: Int, end: Int) -> Int? {
    var i = offset + 1
    if i < end && isIdentifierStart(bytes[i]) {
      i += 1
      while i < end && isTagCharacter(bytes[i]) { i += 1 }
    }
    return i < end && bytes[i] == Byte.dollar ? i + 1 : nil
  }

  /// For a `$` at `offset` that opens a dollar quote, the offset just past its closing tag
  /// (or `end`); nil when the `$` opens none (a parameter such as `$1`, or a lone `$`).
  static func dollarQuoteEnd(_ bytes: [UInt8], from offset: Int, end: Int) -> Int? {
    guard let bodyStart = dollarTagEnd(bytes, from: offset, end: end) else { return nil }
    let tag = bytes[offset..<bodyStart]
    var i = bodyStart
    while i < end {
      guard bytes[i] == Byte.dollar else {
        i += 1
        continue
      }
      if let tagEnd = dollarTagEnd(bytes, from: i, end: end) {
        if bytes[i..<tagEnd].elementsEqual(tag) { return tagEnd }
        // Another tag: its closing `$` may open the one that matches.
        i = tagEnd - 1
      } else {
        i += 1
      }
    }
    return end
  }

  /// The offset just past the word (identifier or keyword characters, `$` included) at
  /// `offset`.
  static func wordEnd(_ bytes: [UInt8], from offset: Int, end: Int) -> Int {
    var i = offset
    while i < end && (isTagCharacter(bytes[i]) || bytes[i] == Byte.dollar) { i += 1 }
    return i
  }

  /// White space to PostgreSQL's lexer: space, tab, newline, carriage return, form feed,
  /// vertical tab.
  static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

  /// An ASCII digit.
  static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

  /// A byte that may start an identifier: a letter, `_`, or any non-ASCII byte.
  static func isIdentifierStart(_ byte: UInt8) -> Bool {
    let lower = byte | 0x20
    return (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lower) || byte == UInt8(ascii: "_") || byte >= 0x80
  }

  /// A byte that may continue a dollar tag: an identifier start or a digit.
  static func isTagCharacter(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }
}

// MARK: - Routine bodies

extension PostgreSQLStatements {
  /// The keywords psql's splitter looks at, in lowercase.
  enum Keyword {
    /// `CREATE`.
    static let create = Array("create".utf8)
    /// `OR`.
    static let or = Array("or".utf8)
    /// `REPLACE`.
    static let replace = Array("replace".utf8)
    /// `FUNCTION`.
    static let function = Array("function".utf8)
    /// `PROCEDURE`.
    static let procedure = Array("procedure".utf8)
    /// `BEGIN`.
    static let begin = Array("begin".utf8)
    /// `CASE`.
    static let `case` = Array("case".utf8)
    /// `END`.
    static let end = Array("end".utf8)

    /// True when `word` is `keyword` (lowercase ASCII), ignoring ASCII case.
    static func matches(_ word: ArraySlice<UInt8>, _ keyword: [UInt8]) -> Bool {
      word.count == keyword.count && zip(word, keyword).allSatisfy { lowercased($0) == $1 }
    }

    /// `byte` with an ASCII capital letter made lowercase.
    static func lowercased(_ byte: UInt8) -> UInt8 {
      (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
  }

  /// The first four words of a statement, as psql records them to tell whether it begins
  /// `CREATE [OR REPLACE] FUNCTION|PROCEDURE` (whose `BEGIN … END` blocks hold semicolons).
  struct RoutineHead {
    /// The first letter of each of the first four words that is one of psql's five
    /// keywords, else 0.
    var letters: [UInt8] = [0, 0, 0, 0]
    /// How many words the statement has had so far.
    var count = 0

    /// Records the statement's next word.
    mutating func record(_ word: ArraySlice<UInt8>) {
      if count < letters.count, let first = word.first,
        [Keyword.create, Keyword.or, Keyword.replace, Keyword.function, Keyword.procedure].contains(where: {
          Keyword.matches(word, $0)
        })
      {
        letters[count] = Keyword.lowercased(first)
      }
      count += 1
    }

    /// True when the statement begins `CREATE [OR REPLACE] FUNCTION|PROCEDURE`.
    var isRoutine: Bool {
      let c = UInt8(ascii: "c")
      let f = UInt8(ascii: "f")
      let p = UInt8(ascii: "p")
      let o = UInt8(ascii: "o")
      let r = UInt8(ascii: "r")
      guard letters[0] == c else { return false }
      return letters[1] == f || letters[1] == p || (letters[1] == o && letters[2] == r && [f, p].contains(letters[3]))
    }
  }
}
