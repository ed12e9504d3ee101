/// What the text of a `CREATE TABLE` statement adds to SQLite's catalog: where the name is,
/// each column's definition as written, CHECK constraints and generated-column expressions
/// (none of which any pragma reports).
struct TableDefinition: Sendable, Equatable {
  /// One column as written in the statement.
  struct ColumnText: Sendable, Equatable {
    /// The name, as written (unquoted).
    var name: String
    /// The whole definition (`name type constraints…`), as written.
    var text: String
    /// The normalized expressions of the column's CHECK constraints.
    var checks: [String]
    /// The normalized expression of a generated column.
    var generatedExpression: String?
  }

  /// The statement.
  var sql: String
  /// Byte range of the table name (with any `schema.` prefix) in ``sql``.
  var nameRange: Range<Int>
  /// The columns in order.
  var columns: [ColumnText]
  /// The normalized expressions of table-level CHECK constraints.
  var tableChecks: [String]
  /// True when a column says AUTOINCREMENT.
  var autoincrement: Bool

  /// Parses `sql`, the text `sqlite_schema` holds for a table; nil when it is not a
  /// parenthesized `CREATE TABLE`.
  init?(sql: String) {
    let tokens = SQLLexer.tokens(sql)
    guard let table = tokens.firstIndex(where: { $0.keyword == "TABLE" }) else { return nil }
    var i = table + 1
    if tokens.indices.contains(i + 2), tokens[i].keyword == "IF", tokens[i + 1].keyword == "NOT" { i += 3 }
    guard tokens.indices.contains(i), tokens[i].isName else { return nil }
    var nameStart = tokens[i].range.lowerBound
    var nameEnd = tokens[i].range.upperBound
    if tokens.indices.contains(i + 2), tokens[i + 1].isSymbol("."), tokens[i + 2].isName {
      nameStart = tokens[i].range.lowerBound
      nameEnd = tokens[i + 2].range.upperBound
      i += 2
    }
    let open = i + 1
    guard tokens.indices.contains(open), tokens[open].isSymbol("("),
      let close = SQLLexer.closingParenthesis(tokens, from: open)
    else { return nil }
    self.sql = sql
    nameRange = nameStart..<nameEnd
    columns = []
    tableChecks = []
    autoincrement = tokens[open..<close].contains { $0.keyword == "AUTOINCREMENT" }
    let bytes = Array(sql.utf8)
    for part in SQLLexer.splitAtCommas(tokens, (open + 1)..<close) where !part.isEmpty {
      let first = tokens[part.lowerBound]
      let checks = Self.checks(tokens, part)
      if let keyword = first.keyword, ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"].contains(keyword) {
        tableChecks += checks
        continue
      }
      let text = String(
        decoding: bytes[first.range.lowerBound..<tokens[part.upperBound - 1].range.upperBound], as: UTF8.self)
      columns.append(
        ColumnText(
          name: first.text, text: text, checks: checks, generatedExpression: Self.generatedExpression(tokens, part)))
    }
  }

  /// The statement with the table renamed to `name`.
  func renamed(to name: String) -> String {
    let bytes = Array(sql.utf8)
    let head = String(decoding: bytes[..<nameRange.lowerBound], as: UTF8.self)
    let tail = String(decoding: bytes[nameRange.upperBound...], as: UTF8.self)
    return head + SQLName.quoted(name) + tail
  }

  /// The column written as `name` (case-insensitive).
  func column(_ name: String) -> ColumnText? {
    let key = name.lowercased()
    return columns.first { $0.name.lowercased() == key }
  }

  /// The normalized expressions of the `CHECK (…)` groups at the top level of `range`.
  private static func checks(_ tokens: [SQLLexeme], _ range: Range<Int>) -> [String] {
    groups(after: "CHECK", in: tokens, range)
  }

  /// The expression of `AS (…)` at the top level of a column definition.
  private static func generatedExpression(_ tokens: [SQLLexeme], _ range: Range<Int>) -> String? {
    groups(after: "AS", in: tokens, range).first
  }

  /// The normalized contents of each `KEYWORD (…)` at the top level of `range`.
  private static func groups(after keyword: String, in tokens: [SQLLexeme], _ range: Range<Int>) -> [String] {
    var found: [String] = []
    var depth = 0
    for i in range {
      if tokens[i].isSymbol("(") { depth += 1 }
      if tokens[i].isSymbol(")") { depth -= 1 }
      guard depth == 0, tokens[i].keyword == keyword, i + 1 < range.upperBound, tokens[i + 1].isSymbol("("),
        let close = SQLLexer.closingParenthesis(tokens, from: i + 1)
      else { continue }
      found.append(SQLLexer.normalized(tokens[(i + 2)..<close]))
    }
    return found
  }
}
