/// Finds the tables, columns, indexes, views and triggers SQL statements create, alter,
/// rename, drop or write rows of.
///
/// The scanner is tolerant: it understands the DDL forms of SQLite, PostgreSQL and MySQL well
/// enough to name objects (`CREATE/ALTER/DROP TABLE`, `ADD/DROP/RENAME/ALTER COLUMN`,
/// `CREATE/DROP INDEX`, views, triggers, `RENAME TABLE`, `INSERT/UPDATE/DELETE/TRUNCATE`),
/// with quoted names (`"x"`, `` `x` ``, `[x]`), `IF [NOT] EXISTS`, schema-qualified names,
/// comments and string literals; anything else is skipped, never an error.
public enum SQLSchemaScanner {
  /// The changes the statements of `sql` make, in statement order.
  ///
  /// - Parameters:
  ///   - sql: SQL text (for example a native revision's upgrade section).
  ///   - firstLine: The file line `sql` starts on, so reported lines are file lines.
  public static func changes(in sql: String, firstLine: Int = 1) -> [SchemaChange] {
    var changes: [SchemaChange] = []
    for statement in SQLTokenizer.statements(SQLTokenizer.tokens(sql, firstLine: firstLine)) {
      var cursor = SQLCursor(tokens: statement)
      cursor.scanStatement(into: &changes)
    }
    return changes
  }
}

/// A position in one statement's tokens, with the grammar of the statements it knows.
struct SQLCursor {
  let tokens: [SQLToken]
  var index = 0

  var isAtEnd: Bool { index >= tokens.count }
  var line: Int { index < tokens.count ? tokens[index].line : (tokens.last?.line ?? 1) }

  func keyword(_ offset: Int = 0) -> String? {
    index + offset < tokens.count ? tokens[index + offset].keyword : nil
  }

  /// Consumes the keywords if they come next, in order.
  mutating func accept(_ words: String...) -> Bool {
    for (offset, word) in words.enumerated() where keyword(offset) != word { return false }
    index += words.count
    return true
  }

  /// Consumes one of the keywords if it comes next, returning it.
  mutating func acceptAny(_ words: Set<String>) -> String? {
    guard let word = keyword(), words.contains(word) else { return nil }
    index += 1
    return word
  }

  /// A possibly qualified name (`a`, `"a"`, `s.a`, `[s].[a]`).
  mutating func name() -> String? {
    guard index < tokens.count, tokens[index].isName else { return nil }
    var parts = [tokens[index].text]
    index += 1
    while index + 1 < tokens.count, tokens[index].isSymbol("."), tokens[index + 1].isName {
      parts.append(tokens[index + 1].text)
      index += 2
    }
    return parts.joined(separator: ".")
  }

  /// Names separated by commas (`DROP TABLE a, b`).
  mutating func names() -> [(name: String, line: Int)] {
    var result: [(String, Int)] = []
    while true {
      let at = line
      guard let name = name() else { break }
      result.append((name, at))
      guard index < tokens.count, tokens[index].isSymbol(",") else { break }
      index += 1
    }
    return result
  }

  /// Skips to the next top-level `,` (consumed) or the end; returns false at the end.
  mutating func skipClause() -> Bool {
    var depth = 0
    while index < tokens.count {
      let token = tokens[index]
      index += 1
      if token.isSymbol("(") { depth += 1 }
      if token.isSymbol(")") { depth -= 1 }
      if token.isSymbol(",") && depth == 0 { return true }
    }
    return false
  }

  // MARK: - Statements

  mutating func scanStatement(into changes: inout [SchemaChange]) {
    let start = line
    switch keyword() {
    case "CREATE":
      index += 1
      scanCreate(line: start, into: &changes)
    case "ALTER":
      index += 1
      scanAlter(line: start, into: &changes)
    case "DROP":
      index += 1
      scanDrop(line: start, into: &changes)
    case "RENAME":
      // MySQL: RENAME TABLE a TO b, c TO d
      index += 1
      guard accept("TABLE") else { return }
      repeat {
        guard let old = name(), accept("TO"), let new = name() else { return }
        changes.append(SchemaChange(SchemaObject(.table, old), .rename, detail: "rename to \(new)", line: start))
        changes.append(SchemaChange(SchemaObject(.table, new), .create, detail: "renamed from \(old)", line: start))
      } while skipClause()
    case "INSERT", "REPLACE":
      index += 1
      if accept("OR") { index += 1 }
      _ = accept("IGNORE")
      guard accept("INTO"), let table = name() else { return }
      changes.append(SchemaChange(SchemaObject(.table, table), .data, detail: "insert rows", line: start))
    case "UPDATE":
      index += 1
      if accept("OR") { index += 1 }
      _ = accept("ONLY")
      guard let table = name() else { return }
      changes.append(SchemaChange(SchemaObject(.table, table), .data, detail: "update rows", line: start))
    case "DELETE":
      index += 1
      guard accept("FROM") else { return }
      _ = accept("ONLY")
      guard let table = name() else { return }
      changes.append(SchemaChange(SchemaObject(.table, table), .data, detail: "delete rows", line: start))
    case "TRUNCATE":
      index += 1
      _ = accept("TABLE")
      _ = accept("ONLY")
      for (table, at) in names() {
        changes.append(SchemaChange(SchemaObject(.table, table), .data, detail: "truncate", line: at))
      }
    default:
      return
    }
  }

  private mutating func scanCreate(line start: Int, into changes: inout [SchemaChange]) {
    let orReplace = accept("OR", "REPLACE")
    while acceptAny(["TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "UNIQUE", "MATERIALIZED", "RECURSIVE"])
      != nil
    {}
    switch acceptAny(["TABLE", "INDEX", "VIEW", "TRIGGER"]) {
    case "TABLE":
      _ = accept("IF", "NOT", "EXISTS")
      guard let table = name() else { return }
      changes.append(SchemaChange(SchemaObject(.table, table), .create, detail: "create table", line: start))
    case "INDEX":
      _ = accept("CONCURRENTLY")
      _ = accept("IF", "NOT", "EXISTS")
      let index = keyword() == "ON" ? nil : name()
      guard accept("ON") else { return }
      _ = accept("ONLY")
      guard let table = name() else { return }
      if let index {
        changes.append(SchemaChange(SchemaObject(.index, index), .create, detail: "on \(table)", line: start))
      }
      let what = index.map { "create index \($0)" } ?? "create index"
      changes.append(SchemaChange(SchemaObject(.table, table), .alter, detail: what, line: start))
    case "VIEW":
      _ = accept("IF", "NOT", "EXISTS")
      guard let view = name() else { return }
      let detail = orReplace ? "create or replace view" : "create view"
      changes.append(SchemaChange(SchemaObject(.view, view), .create, detail: detail, line: start))
    case "TRIGGER":
      _ = accept("IF", "NOT", "EXISTS")
      guard let trigger = name() else { return }
      changes.append(SchemaChange(SchemaObject(.trigger, trigger), .create, detail: "create trigger", line: start))
      while !isAtEnd && keyword() != "ON" { index += 1 }
      guard accept("ON"), let table = name() else { return }
      changes.append(
        SchemaChange(SchemaObject(.table, table), .alter, detail: "create trigger \(trigger)", line: start))
    default:
      return
    }
  }

  private mutating func scanAlter(line start: Int, into changes: inout [SchemaChange]) {
    switch acceptAny(["TABLE", "INDEX", "VIEW", "MATERIALIZED", "TRIGGER"]) {
    case "TABLE":
      _ = accept("IF", "EXISTS")
      _ = accept("ONLY")
      guard let table = name() else { return }
      if index < tokens.count, tokens[index].isSymbol("*") { index += 1 }
      repeat {
        scanAlterTableClause(table, into: &changes)
      } while skipClause()
    case let kind?:
      if kind == "MATERIALIZED" { guard accept("VIEW") else { return } }
      let objectKind: SchemaObject.Kind = kind == "INDEX" ? .index : kind == "TRIGGER" ? .trigger : .view
      _ = accept("IF", "EXISTS")
      guard let object = name() else { return }
      if objectKind == .trigger, accept("ON") { _ = name() }
      if accept("RENAME", "TO"), let new = name() {
        changes.append(SchemaChange(SchemaObject(objectKind, object), .rename, detail: "rename to \(new)", line: start))
        changes.append(
          SchemaChange(SchemaObject(objectKind, new), .create, detail: "renamed from \(object)", line: start))
      } else {
        changes.append(
          SchemaChange(SchemaObject(objectKind, object), .alter, detail: "alter \(objectKind.rawValue)", line: start))
      }
    default:
      return
    }
  }

  /// One action of `ALTER TABLE t …`; leaves the cursor inside the clause.
  private mutating func scanAlterTableClause(_ table: String, into changes: inout [SchemaChange]) {
    let at = line
    let constraintWords: Set<String> = [
      "CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "INDEX", "KEY", "EXCLUDE", "FULLTEXT", "SPATIAL",
    ]
    func tableChange(_ detail: String) {
      changes.append(SchemaChange(SchemaObject(.table, table), .alter, detail: detail, line: at))
    }
    func column(_ name: String, _ action: SchemaAction, _ detail: String) {
      changes.append(SchemaChange(SchemaObject(.column, "\(table).\(name)"), action, detail: detail, line: at))
      tableChange(detail)
    }
    switch keyword() {
    case "ADD":
      index += 1
      let explicit = accept("COLUMN")
      if !explicit, let word = keyword(), constraintWords.contains(word) {
        return tableChange("add \(word.lowercased())")
      }
      _ = accept("IF", "NOT", "EXISTS")
      guard let name = name() else { return tableChange("add") }
      column(name, .create, "add column \(name)")
    case "DROP":
      index += 1
      let explicit = accept("COLUMN")
      if !explicit, let word = keyword(), constraintWords.contains(word) {
        return tableChange("drop \(word.lowercased())")
      }
      _ = accept("IF", "EXISTS")
      guard let name = name() else { return tableChange("drop") }
      column(name, .drop, "drop column \(name)")
    case "RENAME":
      index += 1
      if accept("TO") || accept("AS") {
        guard let new = name() else { return }
        changes.append(SchemaChange(SchemaObject(.table, table), .rename, detail: "rename to \(new)", line: at))
        changes.append(SchemaChange(SchemaObject(.table, new), .create, detail: "renamed from \(table)", line: at))
        return
      }
      if accept("CONSTRAINT") || accept("INDEX") || accept("KEY") { return tableChange("rename constraint") }
      _ = accept("COLUMN")
      guard let old = name(), accept("TO"), let new = name() else { return tableChange("rename") }
      column(old, .rename, "rename column \(old) to \(new)")
      changes.append(
        SchemaChange(SchemaObject(.column, "\(table).\(new)"), .create, detail: "renamed from \(old)", line: at))
    case "ALTER", "MODIFY":
      index += 1
      _ = accept("COLUMN")
      if keyword() == "CONSTRAINT" { return tableChange("alter constraint") }
      guard let name = name() else { return tableChange("alter") }
      column(name, .alter, "alter column \(name)")
    case "CHANGE":
      // MySQL: CHANGE [COLUMN] old new definition
      index += 1
      _ = accept("COLUMN")
      guard let old = name(), let new = name() else { return tableChange("change") }
      if old.lowercased() == new.lowercased() {
        column(old, .alter, "change column \(old)")
      } else {
        column(old, .rename, "change column \(old) to \(new)")
        changes.append(
          SchemaChange(SchemaObject(.column, "\(table).\(new)"), .create, detail: "renamed from \(old)", line: at))
      }
    default:
      let words = tokens[index...].prefix { $0.kind == .word }.prefix(3).map { $0.text.lowercased() }
      tableChange(words.isEmpty ? "alter table" : words.joined(separator: " "))
    }
  }

  private mutating func scanDrop(line start: Int, into changes: inout [SchemaChange]) {
    let kind: SchemaObject.Kind
    switch acceptAny(["TABLE", "INDEX", "VIEW", "MATERIALIZED", "TRIGGER"]) {
    case "TABLE": kind = .table
    case "INDEX": kind = .index
    case "VIEW": kind = .view
    case "MATERIALIZED":
      guard accept("VIEW") else { return }
      kind = .view
    case "TRIGGER": kind = .trigger
    default: return
    }
    _ = accept("CONCURRENTLY")
    _ = accept("IF", "EXISTS")
    for (name, at) in names() {
      changes.append(SchemaChange(SchemaObject(kind, name), .drop, detail: "drop \(kind.rawValue)", line: at))
    }
  }
}
