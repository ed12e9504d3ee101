// Rendering the model as SQLite statements.

extension RandomSchema {
  /// Words the generator uses as names that SQLite would read as keywords.
  static let keywords: Set<String> = [
    "order", "group", "select", "key", "values", "check", "index", "table", "default", "from", "where",
  ]

  /// `name` as an identifier: bare when it is lower-case letters, digits and underscores and no
  /// keyword, otherwise in double quotes.
  static func quoted(_ name: String) -> String {
    let isPlain =
      name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
      && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLowercase || $0.isNumber)) }
    if isPlain && !keywords.contains(name) { return name }
    return "\"" + String(name.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) + "\""
  }

  /// `text` as a string literal.
  static func literal(_ text: String) -> String {
    "'" + String(text.flatMap { $0 == "'" ? ["'", "'"] : [$0] }) + "'"
  }

  /// `name` reduced to lower-case letters, digits and underscores, for building other names.
  static func slug(_ name: String) -> String {
    String(name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
  }

  static func list(_ names: [String]) -> String { names.map(quoted).joined(separator: ", ") }

  static func sql(_ check: Check) -> String {
    let names = check.columns.map(quoted)
    if names.count == 1 {
      let c = names[0]
      switch check.template % 4 {
      case 0: return "length(\(c)) <= 64"
      case 1: return "\(c) IS NOT 'forbidden'"
      case 2: return "\(c) NOT IN ('bad', 'worse')"
      default: return "coalesce(\(c), '') <> 'x y z'"
      }
    }
    let a = names[0]
    let b = names[names.count - 1]
    switch check.template % 3 {
    case 0: return "length(\(a)) + length(\(b)) < 200"
    case 1: return "coalesce(\(a), \(b), 'ok') IS NOT 'forbidden'"
    default: return "\(a) IS NOT 'bad' AND \(b) IS NOT 'bad'"
    }
  }

  static func constraint(_ check: Check) -> String {
    (check.name.map { "CONSTRAINT \(quoted($0)) " } ?? "") + "CHECK (\(sql(check)))"
  }

  /// A condition on `prefix` + the column ("", "t1." or "NEW.").
  static func sql(_ predicate: Predicate, prefix: String = "") -> String {
    let c = prefix + quoted(predicate.column)
    switch predicate.form % 3 {
    case 0: return "\(c) IS NOT NULL"
    case 1: return "\(c) <> 'archived'"
    default: return "length(\(c)) > 1"
    }
  }

  static func sql(_ reference: Reference) -> String {
    var text = "REFERENCES \(quoted(reference.table)) (\(quoted(reference.column)))"
    if let action = reference.onDelete { text += " ON DELETE \(action)" }
    if let action = reference.onUpdate { text += " ON UPDATE \(action)" }
    return text
  }

  static func sql(_ term: IndexTerm) -> String {
    var text = term.function.map { "\($0)(\(quoted(term.column)))" } ?? quoted(term.column)
    if let collation = term.collation { text += " COLLATE \(collation)" }
    return term.isDescending ? text + " DESC" : text
  }
}

extension RandomSchema.Table {
  func sql(_ column: RandomSchema.Column) -> String {
    var parts = [RandomSchema.quoted(column.name)]
    if let type = column.type { parts.append(type) }
    if isPrimaryKeyInline && primaryKey == [column.name] { parts.append("PRIMARY KEY") }
    if column.isNotNull { parts.append("NOT NULL") }
    if column.isUnique { parts.append("UNIQUE") }
    if let value = column.defaultValue { parts.append("DEFAULT \(value)") }
    if let collation = column.collation { parts.append("COLLATE \(collation)") }
    if let check = column.check { parts.append(RandomSchema.constraint(check)) }
    if let reference = column.reference, !reference.isTableLevel { parts.append(RandomSchema.sql(reference)) }
    return parts.joined(separator: " ")
  }

  var sql: String {
    var lines = columns.map(sql)
    if !primaryKey.isEmpty && !(isPrimaryKeyInline && primaryKey.count == 1) {
      lines.append("PRIMARY KEY (\(RandomSchema.list(primaryKey)))")
    }
    lines += uniques.map { "UNIQUE (\(RandomSchema.list($0)))" }
    lines += checks.map(RandomSchema.constraint)
    for column in columns {
      if let reference = column.reference, reference.isTableLevel {
        lines.append("FOREIGN KEY (\(RandomSchema.quoted(column.name))) \(RandomSchema.sql(reference))")
      }
    }
    return "CREATE TABLE \(RandomSchema.quoted(name)) (\n  " + lines.joined(separator: ",\n  ") + "\n)"
      + (isWithoutRowid ? " WITHOUT ROWID;" : ";")
  }
}

extension RandomSchema.Index {
  var sql: String {
    let terms = terms.map(RandomSchema.sql).joined(separator: ", ")
    let condition = predicate.map { " WHERE " + RandomSchema.sql($0) } ?? ""
    return "CREATE \(isUnique ? "UNIQUE " : "")INDEX \(RandomSchema.quoted(name)) ON \(RandomSchema.quoted(table)) "
      + "(\(terms))\(condition);"
  }
}

extension RandomSchema.View {
  var sql: String {
    let q = RandomSchema.quoted
    var select = "SELECT " + (isDistinct ? "DISTINCT " : "")
    var from = " FROM \(q(source))"
    var prefix = ""
    if let join {
      prefix = "t1."
      select += columns.map { "t\($0.side + 1).\(q($0.column)) AS \(q($0.alias ?? $0.column))" }
        .joined(separator: ", ")
      from += " AS t1 JOIN \(q(join.table)) AS t2 ON t1.\(q(join.leftColumn)) = t2.\(q(join.rightColumn))"
    } else {
      let names = columns.map { q($0.column) + ($0.alias.map { " AS \(q($0))" } ?? "") }
      select += (names + (countsRows ? ["count(*) AS row_count"] : [])).joined(separator: ", ")
    }
    var text = "CREATE VIEW \(q(name)) AS\n  \(select)\(from)"
    if let filter { text += " WHERE " + RandomSchema.sql(filter, prefix: prefix) }
    if countsRows && join == nil { text += " GROUP BY " + RandomSchema.list(columns.map(\.column)) }
    return text + ";"
  }
}

extension RandomSchema.Trigger {
  func sql(logTable: String?) -> String {
    let q = RandomSchema.quoted
    let row = event == .delete ? "OLD." : "NEW."
    let eventName =
      switch event {
      case .insert: "INSERT"
      case .update: updateColumns.isEmpty ? "UPDATE" : "UPDATE OF \(RandomSchema.list(updateColumns))"
      case .delete: "DELETE"
      }
    var text = "CREATE TRIGGER \(q(name)) \(isBefore ? "BEFORE" : "AFTER") \(eventName) ON \(q(table))\nFOR EACH ROW"
    if let condition { text += " WHEN \(row)\(q(condition)) IS NOT NULL" }
    text += "\nBEGIN\n"
    for action in actions {
      switch action {
      case .ignore:
        text += "  SELECT RAISE(IGNORE) WHERE 0;\n"
      case .abortIfForbidden(let column):
        text += "  SELECT RAISE(ABORT, 'forbidden value') WHERE \(row)\(q(column)) = 'forbidden';\n"
      case .touch(let column):
        text += "  UPDATE \(q(table)) SET \(q(column)) = \(q(column)) WHERE 0;\n"
      case .log(let column):
        guard let logTable else {
          text += "  SELECT RAISE(IGNORE) WHERE 0;\n"
          continue
        }
        text += "  INSERT INTO \(q(logTable)) (tbl, ref) VALUES (\(RandomSchema.literal(table)), \(row)\(q(column)));\n"
      }
    }
    return text + "END;"
  }
}

extension RandomSchema.Schema {
  /// The schema as a script: each table followed by its indexes, then views (sources first),
  /// then triggers.
  var sql: String {
    var parts: [String] = []
    for table in tables {
      parts.append(table.sql)
      parts += indexes.filter { $0.table == table.name }.map(\.sql)
    }
    parts += views.map(\.sql)
    parts += triggers.map { $0.sql(logTable: logTable) }
    return parts.joined(separator: "\n\n") + "\n"
  }
}
