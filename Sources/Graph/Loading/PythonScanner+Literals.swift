/// A value the Alembic header reader accepts on the right of `revision = …` and its siblings.
enum PythonLiteral: Equatable {
  /// `None`.
  case none
  /// A string (possibly parenthesized, possibly implicitly concatenated).
  case string(String)
  /// A tuple or list of strings (`()` and `[]` are empty sequences).
  case sequence([String])
}

/// Why a value could not be read as a literal.
enum LiteralError: Error, Equatable {
  /// The value is an expression, not a literal; `found` is the text seen.
  case notLiteral(found: String, hint: String?)
  /// A string opened on `line` never closes.
  case unterminatedString(line: Int)
  /// A bracket opened on `line` never closes.
  case unclosedBracket(line: Int)
}

extension PythonScanner {
  /// How the text at the cursor starts, as far as string literals go.
  enum StringStart: Equatable {
    /// A text literal: `prefixLength` letters (`r`, `u`) before the quote.
    case text(isRaw: Bool, prefixLength: Int)
    /// A literal this reader does not evaluate (`b"…"`, `f"…"` and their combinations).
    case unsupported(prefix: String)
    /// Not a string literal.
    case none
  }

  /// Classifies the text at the cursor without moving.
  func stringStart() -> StringStart {
    var length = 0
    while length < 3, let byte = peek(length), Byte.isIdentifierHead(byte), byte < 0x80 {
      length += 1
    }
    guard let quote = peek(length), Byte.isQuote(quote) else { return .none }
    let prefix = text(position..<position + length).lowercased()
    switch prefix {
    case "": return .text(isRaw: false, prefixLength: 0)
    case "u": return .text(isRaw: false, prefixLength: 1)
    case "r": return .text(isRaw: true, prefixLength: 1)
    case "b", "f", "t", "rb", "br", "rf", "fr", "rt", "tr": return .unsupported(prefix: prefix)
    default: return .none
    }
  }

  /// Reads one string literal, or several adjacent ones (Python concatenates them).
  ///
  /// - Parameter inBrackets: Whether newlines and comments may separate adjacent literals.
  /// - Returns: The decoded text, or `nil` (cursor unmoved) when no string starts here.
  mutating func readStrings(inBrackets: Bool) throws(LiteralError) -> String? {
    switch stringStart() {
    case .none:
      return nil
    case .unsupported(let prefix):
      let hint =
        prefix.contains("b")
        ? "bytes literals are not text; remove the `b` prefix"
        : "an f-string is computed when the script runs; write the value out"
      throw .notLiteral(found: excerpt(from: position), hint: hint)
    case .text(let isRaw, let prefixLength):
      var result = try readString(isRaw: isRaw, prefixLength: prefixLength)
      while true {
        let saved = (position, line)
        if inBrackets { skipSpaceInBrackets() } else { skipInlineSpace() }
        guard case .text(let isRaw, let prefixLength) = stringStart() else {
          (position, line) = saved
          return result
        }
        result += try readString(isRaw: isRaw, prefixLength: prefixLength)
      }
    }
  }

  /// Reads a single string literal whose prefix starts at the cursor, decoding escapes.
  private mutating func readString(isRaw: Bool, prefixLength: Int) throws(LiteralError) -> String {
    let startLine = line
    for _ in 0..<prefixLength { advance() }
    guard let quote = peek() else { throw .unterminatedString(line: startLine) }
    let isTriple = peek(1) == quote && peek(2) == quote
    for _ in 0..<(isTriple ? 3 : 1) { advance() }
    var output: [UInt8] = []
    while true {
      guard let byte = peek() else { throw .unterminatedString(line: startLine) }
      if byte == quote {
        if !isTriple {
          advance()
          break
        }
        if peek(1) == quote && peek(2) == quote {
          for _ in 0..<3 { advance() }
          break
        }
      } else if byte == Byte.lf && !isTriple {
        throw .unterminatedString(line: startLine)
      } else if byte == Byte.backslash {
        advance()
        if isRaw {
          // A raw string keeps the backslash and the character it protects.
          output.append(byte)
          if let next = peek() {
            output.append(next)
            advance()
          }
        } else {
          try readEscape(into: &output, stringLine: startLine)
        }
        continue
      }
      output.append(byte)
      advance()
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Decodes the escape sequence after a backslash (already consumed).
  private mutating func readEscape(into output: inout [UInt8], stringLine: Int) throws(LiteralError) {
    guard let byte = peek() else { throw .unterminatedString(line: stringLine) }
    advance()
    if byte == Byte.lf { return }  // backslash-newline joins the lines
    if let decoded = Self.simpleEscapes[byte] {
      output.append(decoded)
      return
    }
    let start = position - 1
    var value: UInt32?
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "7"):
      var octal = UInt32(byte - UInt8(ascii: "0"))
      var count = 1
      while count < 3, let next = peek(), (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(next) {
        octal = octal * 8 + UInt32(next - UInt8(ascii: "0"))
        advance()
        count += 1
      }
      value = octal
    case UInt8(ascii: "x"): value = readHex(digits: 2)
    case UInt8(ascii: "u"): value = readHex(digits: 4)
    case UInt8(ascii: "U"): value = readHex(digits: 8)
    default: value = nil
    }
    if let value, let scalar = Unicode.Scalar(value) {
      output.append(contentsOf: String(scalar).utf8)
    } else {
      // Unknown escapes (and `\N{…}`) stay as written, as Python keeps unknown ones.
      output.append(Byte.backslash)
      output.append(contentsOf: bytes[start..<position])
    }
  }

  /// The one-character escapes and the byte each stands for.
  private static let simpleEscapes: [UInt8: UInt8] = [
    Byte.backslash: Byte.backslash, Byte.singleQuote: Byte.singleQuote,
    Byte.doubleQuote: Byte.doubleQuote, UInt8(ascii: "a"): 0x07, UInt8(ascii: "b"): 0x08,
    UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): Byte.lf, UInt8(ascii: "r"): Byte.cr,
    UInt8(ascii: "t"): Byte.tab, UInt8(ascii: "v"): 0x0B,
  ]

  /// Reads exactly `digits` hex digits, or none (cursor unmoved) if they are not all there.
  private mutating func readHex(digits: Int) -> UInt32? {
    var value: UInt32 = 0
    for offset in 0..<digits {
      guard let byte = peek(offset), let digit = Self.hexValue(byte) else { return nil }
      value = value &* 16 &+ digit
    }
    for _ in 0..<digits { advance() }
    return value
  }

  private static func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  // MARK: - Values

  /// Reads the value of an assignment: `None`, a string, or a tuple or list of strings,
  /// and checks that nothing but a comment or `;` follows it on the logical line.
  mutating func readLiteralValue() throws(LiteralError) -> PythonLiteral {
    skipInlineSpace()
    let start = position
    let value = try readValue(start: start)
    skipInlineSpace()
    guard isAtStatementEnd else { throw .notLiteral(found: excerpt(from: start), hint: nil) }
    return value
  }

  private mutating func readValue(start: Int) throws(LiteralError) -> PythonLiteral {
    guard let byte = peek(), !isAtStatementEnd else { throw .notLiteral(found: "", hint: nil) }
    if byte == Byte.openParen || byte == Byte.openBracket {
      return try readBracketed(start: start)
    }
    if let first = try readStrings(inBrackets: false) {
      // `x = "a", "b"` is a tuple without parentheses.
      var items = [first]
      skipInlineSpace()
      guard peek() == Byte.comma else { return .string(first) }
      while peek() == Byte.comma {
        advance()
        skipInlineSpace()
        if isAtStatementEnd { break }
        guard let next = try readStrings(inBrackets: false) else {
          throw .notLiteral(found: excerpt(from: start), hint: nil)
        }
        items.append(next)
        skipInlineSpace()
      }
      return .sequence(items)
    }
    if readIdentifier() == "None" { return .none }
    throw .notLiteral(found: excerpt(from: start), hint: nil)
  }

  private mutating func readBracketed(start: Int) throws(LiteralError) -> PythonLiteral {
    let openLine = line
    let isList = peek() == Byte.openBracket
    let closer = isList ? Byte.closeBracket : Byte.closeParen
    advance()
    var items: [String] = []
    var sawComma = false
    while true {
      skipSpaceInBrackets()
      guard let byte = peek() else { throw .unclosedBracket(line: openLine) }
      if byte == closer {
        advance()
        break
      }
      guard let item = try readStrings(inBrackets: true) else {
        throw .notLiteral(found: excerpt(from: start), hint: nil)
      }
      items.append(item)
      skipSpaceInBrackets()
      if peek() == Byte.comma {
        advance()
        sawComma = true
      } else if peek() == closer {
        advance()
        break
      } else if isAtEnd {
        throw .unclosedBracket(line: openLine)
      } else {
        throw .notLiteral(found: excerpt(from: start), hint: nil)
      }
    }
    // `("abc")` is just a string in parentheses; `("abc",)` is a tuple.
    if !isList, items.count == 1, !sawComma { return .string(items[0]) }
    return .sequence(items)
  }
}
