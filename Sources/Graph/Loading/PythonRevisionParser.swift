/// Reads the header of an Alembic revision script without running any Python.
///
/// Only module-level (column 0) assignments to `revision`, `down_revision`, `branch_labels`
/// and `depends_on` count, with or without a type annotation. Their values must be written
/// out literally: `None`, a string (any quote style, `r`/`u` prefixes, triple quotes,
/// implicit concatenation), or a tuple or list of strings, which may span several lines and
/// hold comments and a trailing comma. Everything else in the file (imports, functions,
/// indented blocks) is stepped over. The module docstring gives the message, as Alembic's
/// `Script.doc` and `Script.longdoc` do.
///
/// Reading stops as soon as all four assignments and the first statement have been seen,
/// so a later reassignment of the same name is not noticed.
public enum PythonRevisionParser {
  /// The assignments the parser looks for, in template order.
  static let keys: Set<String> = ["revision", "down_revision", "branch_labels", "depends_on"]

  /// Parses the header of one revision script.
  ///
  /// An empty `down_revision` string is kept as a parent named `""` (it is not a base);
  /// the graph builder reports it as missing. Duplicate entries are kept as declared.
  ///
  /// - Parameters:
  ///   - text: The script's source text.
  ///   - path: The script's path, used in the record and in error locations. When the file
  ///     has no `revision` assignment, a file name made only of lowercase hex digits
  ///     (`1a2b3c.py`) gives the id, as in Alembic's legacy rule.
  /// - Returns: A record with ``RevisionRecord/format`` `.alembic` and the line of each
  ///   assignment in ``RevisionRecord/lines``.
  /// - Throws: ``GraphError/invalidScript(location:reason:)`` when `down_revision` (or
  ///   `revision`, without a hex file name) is missing, or a value is not a literal.
  public static func parse(_ text: String, path: String) throws -> RevisionRecord {
    var reader = HeaderReader(scanner: PythonScanner(text), path: path)
    try reader.readHeader()

    let id = try revisionID(reader.values["revision"], path: path, line: reader.lines["revision"])
    guard let down = reader.values["down_revision"] else {
      throw GraphError.invalidScript(
        location: path, reason: "no down_revision assignment; add `down_revision = None` for a base"
      )
    }
    let longMessage = PythonScanner.strip(reader.docstring ?? "")
    let message =
      longMessage.firstRange(of: "\n\n").map { String(longMessage[..<$0.lowerBound]) }
      ?? longMessage
    return RevisionRecord(
      id: id,
      downRevisions: entries(down),
      branchLabels: entries(reader.values["branch_labels"]),
      dependsOn: entries(reader.values["depends_on"]),
      message: message,
      longMessage: longMessage,
      path: path,
      format: .alembic,
      lines: reader.lines
    )
  }

  /// The strings a value declares (`None` and a missing value declare none).
  private static func entries(_ value: PythonLiteral?) -> [String] {
    switch value {
    case nil, .none?: []
    case .string(let text)?: [text]
    case .sequence(let items)?: items
    }
  }

  /// The revision id from the `revision` value, or from a hex file name when there is none.
  private static func revisionID(_ value: PythonLiteral?, path: String, line: Int?) throws -> String {
    let location = line.map { "\(path):\($0)" } ?? path
    switch value {
    case .string(let id)? where !id.isEmpty:
      return id
    case .string?:
      throw GraphError.invalidScript(
        location: location, reason: "revision is an empty string; set it to the revision id")
    case .none?:
      throw GraphError.invalidScript(
        location: location, reason: "revision is None; set it to the revision id as a string")
    case .sequence?:
      throw GraphError.invalidScript(
        location: location, reason: "revision must be one string, not a tuple or list")
    case nil:
      let fileName = path.split(separator: "/").last.map(String.init) ?? path
      if let id = legacyID(fileName: fileName) { return id }
      throw GraphError.invalidScript(
        location: path,
        reason: "no revision assignment, and the file name '\(fileName)' is not a hex revision id;"
          + " add `revision = \"<id>\"` at the top level of the script")
    }
  }

  /// The id in a legacy file name such as `1a2b3c.py` (Alembic's `([a-f0-9]+)\.py$`).
  private static func legacyID(fileName: String) -> String? {
    guard fileName.hasSuffix(".py") else { return nil }
    let stem = fileName.dropLast(3)
    let isHex =
      !stem.isEmpty
      && stem.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    return isHex ? String(stem) : nil
  }
}

/// Walks a script's top-level statements, collecting the docstring and header assignments.
private struct HeaderReader {
  var scanner: PythonScanner
  let path: String
  var values: [String: PythonLiteral] = [:]
  var lines: [String: Int] = [:]
  var docstring: String?
  var hasSeenFirstStatement = false

  mutating func readHeader() throws {
    while let byte = scanner.peek() {
      if hasSeenFirstStatement && values.count == PythonRevisionParser.keys.count { return }
      switch byte {
      case PythonScanner.Byte.lf:
        scanner.advance()
      case PythonScanner.Byte.space, PythonScanner.Byte.tab, PythonScanner.Byte.formFeed,
        PythonScanner.Byte.hash:
        // Blank lines, comments, and indented lines (bodies of functions, classes, ifs).
        scanner.skipLogicalLine()
      default:
        try readStatement()
      }
    }
  }

  /// Reads one statement starting at the cursor, then moves to the next one.
  private mutating func readStatement() throws {
    let isFirst = !hasSeenFirstStatement
    hasSeenFirstStatement = true
    let statementLine = scanner.line

    if isFirst, case .text = scanner.stringStart() {
      let text = try literal(named: "the module docstring", line: statementLine) {
        (scanner: inout PythonScanner) throws(LiteralError) in
        try scanner.readStrings(inBrackets: false)
      }
      scanner.skipInlineSpace()
      guard scanner.isAtStatementEnd else { return scanner.skipLogicalLine() }
      docstring = text
      return try finishStatement()
    }

    if let name = scanner.readIdentifier(), PythonRevisionParser.keys.contains(name) {
      scanner.skipInlineSpace()
      var isAssignment = false
      if scanner.peek() == PythonScanner.Byte.colon {
        scanner.advance()
        isAssignment = scanner.skipAnnotation()  // false for a bare `name: type`
      } else if scanner.peek() == PythonScanner.Byte.equals,
        scanner.peek(1) != PythonScanner.Byte.equals
      {
        scanner.advance()
        isAssignment = true
      }
      if isAssignment {
        values[name] = try literal(named: name, line: statementLine) {
          (scanner: inout PythonScanner) throws(LiteralError) in
          try scanner.readLiteralValue()
        }
        lines[name] = statementLine
        return try finishStatement()
      }
    }
    scanner.skipLogicalLine()
  }

  /// Steps past the end of a statement that was read: to the next statement after `;`, or
  /// past the comment and newline.
  private mutating func finishStatement() throws {
    scanner.skipInlineSpace()
    if scanner.peek() == PythonScanner.Byte.semicolon {
      scanner.advance()
      scanner.skipInlineSpace()
      if !scanner.isAtStatementEnd { return try readStatement() }
    }
    scanner.skipLogicalLine()
  }

  /// Runs `read`, turning a ``LiteralError`` into ``GraphError/invalidScript(location:reason:)``.
  private mutating func literal<T>(
    named name: String, line: Int, _ read: (inout PythonScanner) throws(LiteralError) -> T
  ) throws -> T {
    do {
      return try read(&scanner)
    } catch .notLiteral(let found, let hint) {
      let shown = found.isEmpty ? "nothing" : "`\(found)`"
      let expected =
        name == "revision" ? "a string" : "None, a string, or a tuple or list of strings"
      throw GraphError.invalidScript(
        location: "\(path):\(line)",
        reason:
          "\(name) must be \(expected), but found \(shown); "
          + (hint ?? "revgraph reads scripts without running them, so write the value out literally")
      )
    } catch .unterminatedString(let start) {
      throw GraphError.invalidScript(
        location: "\(path):\(start)",
        reason: "string in \(name) is never closed; add the closing quote")
    } catch .unclosedBracket(let start) {
      throw GraphError.invalidScript(
        location: "\(path):\(start)",
        reason: "bracket in \(name) is never closed; add the closing bracket")
    }
  }
}
