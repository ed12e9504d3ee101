/// Finds the objects an Alembic script's `upgrade()` touches through `op.*` calls.
///
/// Understood: `create_table`, `drop_table`, `rename_table`, `add_column`, `drop_column`,
/// `alter_column` (with `new_column_name`), `create_index`, `drop_index`, the constraint and
/// comment operations (a change to their table), `bulk_insert` into `sa.table("name", …)`,
/// `execute` of literal SQL (read with ``SQLSchemaScanner``), and the same operations on the
/// variable of `with op.batch_alter_table("t") as batch_op:`. Names may be string literals
/// or `op.f("…")`; `schema="s"` qualifies them. Calls with computed names are skipped.
public enum AlembicOpScanner {
  /// The changes `upgrade()` makes in a script's source, with file lines.
  public static func changes(inScript source: String) -> [SchemaChange] {
    let tokens = PythonTokenizer.tokens(Array(source.utf8))
    guard let body = upgradeBody(tokens) else { return [] }
    return changes(in: body)
  }

  /// The tokens of the top-level `def upgrade(…)`, up to the next top-level statement.
  static func upgradeBody(_ tokens: [PythonToken]) -> ArraySlice<PythonToken>? {
    guard
      let start = tokens.indices.first(where: {
        tokens[$0].startsTopLevelStatement && tokens[$0].isName("def") && $0 + 1 < tokens.count
          && tokens[$0 + 1].isName("upgrade")
      })
    else { return nil }
    let end = tokens[(start + 1)...].firstIndex { $0.startsTopLevelStatement } ?? tokens.count
    return tokens[start..<end]
  }

  /// The changes of the `op.*` calls among `tokens`.
  static func changes(in tokens: ArraySlice<PythonToken>) -> [SchemaChange] {
    let tokens = Array(tokens)
    var changes: [SchemaChange] = []
    var batchTables: [String: String] = [:]
    var k = 0
    while k + 3 < tokens.count {
      let receiver = tokens[k]
      guard receiver.kind == .name, tokens[k + 1].isOp("."), tokens[k + 2].kind == .name, tokens[k + 3].isOp("("),
        receiver.text == "op" || batchTables[receiver.text] != nil,
        k == 0 || !tokens[k - 1].isOp(".")
      else {
        k += 1
        continue
      }
      var parser = PythonArgumentParser(tokens: tokens, index: k + 4)
      let arguments = parser.arguments()
      let call = OpCall(
        method: tokens[k + 2].text, arguments: arguments, line: receiver.line,
        batchTable: receiver.text == "op" ? nil : batchTables[receiver.text])
      if call.method == "batch_alter_table", call.batchTable == nil, let table = call.table(0),
        parser.index + 1 < tokens.count, tokens[parser.index].isName("as"), tokens[parser.index + 1].kind == .name
      {
        batchTables[tokens[parser.index + 1].text] = table
      } else {
        changes += call.changes()
      }
      k += 1
    }
    return changes
  }
}

/// One `op.method(…)` or `batch_op.method(…)` call.
struct OpCall {
  var method: String
  var arguments: [PythonArgument]
  var line: Int
  /// The table of the enclosing `batch_alter_table`, for calls on its variable.
  var batchTable: String?

  /// The argument at `position` (counting positional arguments only) or named `keyword`.
  func argument(_ position: Int, _ keyword: String? = nil) -> PythonValue? {
    if let keyword, let named = arguments.first(where: { $0.keyword == keyword }) { return named.value }
    let positional = arguments.filter { $0.keyword == nil }
    return position < positional.count ? positional[position].value : nil
  }

  /// A name argument, qualified with `schema=` when given.
  func table(_ position: Int, _ keyword: String = "table_name") -> String? {
    guard let name = argument(position, keyword)?.name else { return nil }
    return argument(Int.max, "schema")?.name.map { "\($0).\(name)" } ?? name
  }

  func changes() -> [SchemaChange] {
    var out: [SchemaChange] = []
    func add(_ kind: SchemaObject.Kind, _ name: String?, _ action: SchemaAction, _ detail: String) {
      guard let name else { return }
      out.append(SchemaChange(SchemaObject(kind, name), action, detail: detail, line: line))
    }
    // Batch calls have no table argument: positions shift by one.
    let table = batchTable ?? self.table(0)
    let shift = batchTable == nil ? 1 : 0
    let prefix = batchTable == nil ? "op." : "batch_op."
    switch method {
    case "create_table":
      add(.table, self.table(0), .create, "op.create_table")
    case "drop_table":
      add(.table, self.table(0), .drop, "op.drop_table")
    case "rename_table":
      let new = argument(1, "new_table_name")?.name
      add(.table, self.table(0, "old_table_name"), .rename, "op.rename_table to \(new ?? "?")")
      add(.table, new, .create, "op.rename_table from \(self.table(0, "old_table_name") ?? "?")")
    case "add_column":
      let column = argument(shift, "column")?.columnName
      if let table, let column { add(.column, "\(table).\(column)", .create, "\(prefix)add_column") }
      add(.table, table, .alter, "\(prefix)add_column \(column ?? "?")")
    case "drop_column":
      let column = argument(shift, "column_name")?.name
      if let table, let column { add(.column, "\(table).\(column)", .drop, "\(prefix)drop_column") }
      add(.table, table, .alter, "\(prefix)drop_column \(column ?? "?")")
    case "alter_column":
      let column = argument(shift, "column_name")?.name
      let new = argument(Int.max, "new_column_name")?.name
      if let table, let column {
        if let new {
          add(.column, "\(table).\(column)", .rename, "\(prefix)alter_column new_column_name=\(new)")
          add(.column, "\(table).\(new)", .create, "\(prefix)alter_column renamed from \(column)")
        } else {
          add(.column, "\(table).\(column)", .alter, "\(prefix)alter_column")
        }
      }
      add(.table, table, .alter, "\(prefix)alter_column \(column ?? "?")")
    case "create_index":
      let index = argument(0, "index_name")?.name
      let indexTable = batchTable ?? self.table(1)
      add(.index, index, .create, "\(prefix)create_index on \(indexTable ?? "?")")
      add(.table, indexTable, .alter, "\(prefix)create_index \(index ?? "?")")
    case "drop_index":
      let index = argument(0, "index_name")?.name
      let indexTable = batchTable ?? self.table(1)
      add(.index, index, .drop, "\(prefix)drop_index")
      add(.table, indexTable, .alter, "\(prefix)drop_index \(index ?? "?")")
    case "create_foreign_key":
      add(.table, batchTable ?? self.table(1, "source_table"), .alter, "\(prefix)create_foreign_key")
    case "create_unique_constraint", "create_primary_key", "create_check_constraint", "drop_constraint",
      "create_exclude_constraint":
      add(.table, batchTable ?? self.table(1), .alter, "\(prefix)\(method)")
    case "create_table_comment", "drop_table_comment":
      add(.table, table, .alter, "\(prefix)\(method)")
    case "bulk_insert":
      add(.table, argument(0, "table")?.tableObjectName, .data, "op.bulk_insert")
    case "execute":
      guard batchTable == nil, let (sql, sqlLine) = argument(0, "sqltext")?.sqlText else { break }
      out += SQLSchemaScanner.changes(in: sql, firstLine: sqlLine)
    default:
      break
    }
    return out
  }
}

/// A call argument: `value` or `keyword=value`.
struct PythonArgument {
  var keyword: String?
  var value: PythonValue
}

/// The little of a Python expression the op scanner needs.
indirect enum PythonValue {
  case string(String, line: Int)
  case call(String, [PythonArgument])
  case other

  /// A literal name: a string, or `op.f("…")` / `quoted_name("…")`.
  var name: String? {
    switch self {
    case .string(let text, _): text
    case .call(let callee, let arguments):
      callee == "f" || callee.hasSuffix(".f") || callee.hasSuffix("quoted_name")
        ? arguments.first?.value.name : nil
    case .other: nil
    }
  }

  /// The name of `sa.Column("name", …)`.
  var columnName: String? {
    guard case .call(let callee, let arguments) = self, callee == "Column" || callee.hasSuffix(".Column") else {
      return nil
    }
    return arguments.first { $0.keyword == nil }?.value.name ?? arguments.first { $0.keyword == "name" }?.value.name
  }

  /// The name of `sa.table("name", …)` / `table("name", …)`.
  var tableObjectName: String? {
    guard case .call(let callee, let arguments) = self,
      callee == "table" || callee.hasSuffix(".table") || callee == "Table" || callee.hasSuffix(".Table")
    else { return nil }
    return arguments.first { $0.keyword == nil }?.value.name
  }

  /// Literal SQL: a string or `sa.text("…")`, with its line.
  var sqlText: (String, Int)? {
    switch self {
    case .string(let text, let line): (text, line)
    case .call(let callee, let arguments) where callee == "text" || callee.hasSuffix(".text"):
      arguments.first?.value.sqlText
    default: nil
    }
  }
}

/// Reads call arguments from tokens, starting just after `(`.
struct PythonArgumentParser {
  let tokens: [PythonToken]
  var index: Int

  /// The arguments up to the matching `)` (consumed).
  mutating func arguments() -> [PythonArgument] {
    var result: [PythonArgument] = []
    while index < tokens.count {
      if tokens[index].isOp(")") {
        index += 1
        return result
      }
      var keyword: String?
      if tokens[index].kind == .name, index + 1 < tokens.count, tokens[index + 1].isOp("=") {
        keyword = tokens[index].text
        index += 2
      }
      var value = self.value()
      // Anything more before the next `,` or `)` makes the argument an expression we skip.
      if index < tokens.count, !tokens[index].isOp(","), !tokens[index].isOp(")") {
        value = .other
        skipToArgumentEnd()
      }
      result.append(PythonArgument(keyword: keyword, value: value))
      if index < tokens.count, tokens[index].isOp(",") { index += 1 }
    }
    return result
  }

  private mutating func value() -> PythonValue {
    guard index < tokens.count else { return .other }
    let token = tokens[index]
    switch token.kind {
    case .string:
      var text = ""
      while index < tokens.count, tokens[index].kind == .string {
        text += tokens[index].text
        index += 1
      }
      return .string(text, line: token.line)
    case .name:
      var callee = token.text
      index += 1
      while index + 1 < tokens.count, tokens[index].isOp("."), tokens[index + 1].kind == .name {
        callee += "." + tokens[index + 1].text
        index += 2
      }
      guard index < tokens.count, tokens[index].isOp("(") else { return .other }
      index += 1
      return .call(callee, arguments())
    default:
      if token.isOp("(") || token.isOp("[") || token.isOp("{") {
        skipToArgumentEnd()
      } else {
        index += 1
      }
      return .other
    }
  }

  /// Skips to the next `,` or `)` at this call's depth (not consumed).
  private mutating func skipToArgumentEnd() {
    var depth = 0
    while index < tokens.count {
      let token = tokens[index]
      if depth == 0 && (token.isOp(",") || token.isOp(")")) { return }
      if token.isOp("(") || token.isOp("[") || token.isOp("{") { depth += 1 }
      if token.isOp(")") || token.isOp("]") || token.isOp("}") { depth -= 1 }
      index += 1
    }
  }
}
