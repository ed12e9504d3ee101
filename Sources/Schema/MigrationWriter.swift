import Runner

/// Writes the SQL that turns one schema into another.
///
/// SQLite can create and drop tables, indexes, views and triggers, and append a column with
/// `ALTER TABLE … ADD COLUMN`; every other table change goes through the table rebuild of
/// SQLite's documentation (<https://www.sqlite.org/lang_altertable.html#otheralter>): create
/// the new table under a temporary name, copy the rows of every kept column, drop the old
/// table, rename the new one, then recreate its indexes and triggers and the views and
/// triggers that refer to it, and finish with `PRAGMA foreign_key_check`. The statements run
/// inside the revision's transaction; with foreign keys off (SQLite's default, and the
/// runner never turns them on) dropping the old table touches no other table's rows.
struct MigrationWriter {
  /// The schema the statements start from (with any requested renames already applied).
  let from: SchemaCatalog
  /// The schema they must produce.
  let to: SchemaCatalog
  /// An in-memory database holding `from`, used to try `ADD COLUMN` before choosing it.
  let scratch: SQLiteConnection

  /// The script: statements with comments, and the warnings also shown on the terminal.
  struct Output {
    var lines: [String] = []
    var warnings: [String] = []

    mutating func comment(_ text: String) { lines.append("-- \(text)") }
    mutating func warn(_ text: String) {
      warnings.append(text)
      lines.append("-- WARNING: \(text)")
    }
    mutating func statement(_ sql: String) { lines.append(sql.hasSuffix(";") ? sql : sql + ";") }
  }

  /// How a changed table is altered.
  private enum Alteration {
    case addColumns([SchemaCatalog.Column])
    case rebuild
    /// Virtual tables: drop and create (their module owns the rows).
    case recreate
  }

  func write(diff: SchemaDiff) throws -> Output {
    var out = Output()
    var alterations: [(from: SchemaCatalog.Table, to: SchemaCatalog.Table, details: [String], how: Alteration)] = []
    var dropped: [SchemaCatalog.Table] = []
    var added: [SchemaCatalog.Table] = []
    var changedIndexes = Set<String>()
    var changedViews = Set<String>()
    var changedTriggers = Set<String>()
    for change in diff.changes {
      switch change {
      case .addTable(let table): added.append(table)
      case .dropTable(let table): dropped.append(table)
      case .alterTable(let old, let new, let details):
        alterations.append((old, new, details, try alteration(from: old, to: new)))
      case .addIndex(let index), .dropIndex(let index), .changeIndex(_, let index): changedIndexes.insert(index.key)
      case .addView(let view), .dropView(let view), .changeView(_, let view): changedViews.insert(view.key)
      case .addTrigger(let trigger), .dropTrigger(let trigger), .changeTrigger(_, let trigger):
        changedTriggers.insert(trigger.key)
      }
    }
    let rebuilt = Set(
      alterations.filter {
        switch $0.how {
        case .rebuild, .recreate: true
        case .addColumns: false
        }
      }.map(\.to.key))
    let goneTables = rebuilt.union(dropped.map(\.key))
    let addedTables = Set(added.map(\.key))

    // Views and triggers that refer to a table being dropped or rebuilt (or to such a view)
    // must go first: SQLite checks every view and trigger when a table is renamed.
    var viewsToDrop = Set<String>()
    var referenced = goneTables
    var grew = true
    while grew {
      grew = false
      for view in from.views where !viewsToDrop.contains(view.key) {
        if changedViews.contains(view.key) || refers(view.sql, to: referenced) {
          viewsToDrop.insert(view.key)
          referenced.insert(view.key)
          grew = true
        }
      }
    }
    let triggersToDrop = Set(
      from.triggers.filter {
        changedTriggers.contains($0.key) || goneTables.contains($0.tableKey) || viewsToDrop.contains($0.tableKey)
          || refers($0.sql, to: referenced)
      }.map(\.key))

    for trigger in from.triggers.reversed() where triggersToDrop.contains(trigger.key) {
      out.statement("DROP TRIGGER \(SQLName.quoted(trigger.name))")
    }
    for view in from.views.reversed() where viewsToDrop.contains(view.key) {
      out.statement("DROP VIEW \(SQLName.quoted(view.name))")
    }
    for index in from.indexes where changedIndexes.contains(index.key) && !goneTables.contains(index.tableKey) {
      out.statement("DROP INDEX \(SQLName.quoted(index.name))")
    }
    for table in dropped {
      out.warn("destructive: drops table \(table.name) and every row in it")
      out.statement("DROP TABLE \(SQLName.quoted(table.name))")
    }
    for table in added { out.statement(table.sql) }
    for alteration in alterations {
      switch alteration.how {
      case .addColumns(let columns):
        for column in columns {
          out.statement("ALTER TABLE \(SQLName.quoted(alteration.to.name)) ADD COLUMN \(column.definition)")
        }
      case .recreate:
        out.warn("destructive: drops virtual table \(alteration.from.name) and creates it anew, without its rows")
        out.statement("DROP TABLE \(SQLName.quoted(alteration.from.name))")
        out.statement(alteration.to.sql)
      case .rebuild:
        out.comment(
          "rebuild \(alteration.to.name): SQLite's ALTER TABLE cannot make these changes, so its rows move to a new table"
        )
        rebuild(from: alteration.from, to: alteration.to, into: &out)
      }
    }
    let newTables = addedTables.union(rebuilt)
    for index in to.indexes where changedIndexes.contains(index.key) || newTables.contains(index.tableKey) {
      out.statement(index.sql)
    }
    for view in to.views where changedViews.contains(view.key) || viewsToDrop.contains(view.key) {
      out.statement(view.sql)
    }
    for trigger in to.triggers
    where changedTriggers.contains(trigger.key) || triggersToDrop.contains(trigger.key)
      || newTables.contains(trigger.tableKey)
    {
      out.statement(trigger.sql)
    }
    // The rows of rebuilt tables, and of the tables that refer to them, must still satisfy
    // their foreign keys (other tables are not this revision's business).
    let checked = to.tables.filter { table in
      guard !table.isVirtual else { return false }
      return (rebuilt.contains(table.key) && !table.foreignKeys.isEmpty)
        || table.foreignKeys.contains { rebuilt.contains($0.parent) }
    }
    if !checked.isEmpty {
      out.comment("the rebuilt rows must still satisfy their foreign keys")
      for table in checked { out.statement("PRAGMA foreign_key_check(\(SQLName.quoted(table.name)))") }
    }
    return out
  }

  /// True when `sql` names any of `names` (lower-cased).
  private func refers(_ sql: String, to names: Set<String>) -> Bool {
    SQLLexer.tokens(sql).contains { $0.isName && names.contains($0.nameKey) }
  }

  // MARK: - Tables

  /// `ADD COLUMN` when the new table is the old one with columns appended that SQLite can add
  /// in place (checked by doing it on the scratch copy); otherwise a rebuild.
  private func alteration(from old: SchemaCatalog.Table, to new: SchemaCatalog.Table) throws -> Alteration {
    if old.isVirtual || new.isVirtual { return .recreate }
    guard new.columns.count > old.columns.count,
      zip(old.columns, new.columns).allSatisfy({ $0.shape == $1.shape })
    else { return .rebuild }
    let appended = Array(new.columns[old.columns.count...])
    // SQLite checks these only when the table has rows, so the empty scratch copy cannot.
    for column in appended {
      if column.notNull && !hasUsableDefault(column) { return .rebuild }
      if let value = column.defaultValue {
        if !isLiteral(value) || value.uppercased().hasPrefix("CURRENT_") { return .rebuild }
        if new.foreignKeys.contains(where: { $0.columns.contains(column.key) }) && value.uppercased() != "NULL" {
          return .rebuild
        }
      }
    }
    let statements = appended.map {
      "ALTER TABLE \(SQLName.quoted(old.name)) ADD COLUMN \($0.definition)"
    }
    try scratch.execute("SAVEPOINT revgraph_try_add_column")
    defer { try? scratch.execute("ROLLBACK TO revgraph_try_add_column; RELEASE revgraph_try_add_column") }
    for statement in statements {
      guard (try? scratch.execute(statement)) != nil else { return .rebuild }
    }
    guard let result = try SchemaCatalog.read(scratch).table(old.name),
      SchemaDiff.tableDetails(from: result, to: new).isEmpty
    else { return .rebuild }
    return .addColumns(appended)
  }

  /// The rebuild statements for one table.
  private func rebuild(from old: SchemaCatalog.Table, to new: SchemaCatalog.Table, into out: inout Output) {
    var temporary = "_revgraph_new_\(new.name)"
    while from.hasObject(named: temporary) || to.hasObject(named: temporary) { temporary += "_" }
    let definition = TableDefinition(sql: new.sql)
    out.statement(definition?.renamed(to: temporary) ?? new.sql)
    var targets: [String] = []
    var sources: [String] = []
    if old.hasHiddenRowid && new.hasHiddenRowid,
      let rowid = ["rowid", "_rowid_", "oid"].first(where: { old.column($0) == nil && new.column($0) == nil })
    {
      targets.append(rowid)
      sources.append(rowid)
    }
    for column in new.columns where column.generated == nil {
      let name = SQLName.quoted(column.name)
      if let source = old.column(column.name) {
        targets.append(name)
        let sourceName = SQLName.quoted(source.name)
        if column.notNull && (!source.notNull || source.generated != nil) {
          let fill = fillValue(for: column)
          out.warn("column \(new.name).\(column.name) becomes NOT NULL: rows where it is NULL get \(fill)")
          sources.append("COALESCE(\(sourceName), \(fill))")
        } else {
          sources.append(sourceName)
        }
      } else if column.notNull && !hasUsableDefault(column) && !new.isIntegerPrimaryKey(column) {
        let fill = fillValue(for: column)
        out.warn("new column \(new.name).\(column.name) is NOT NULL without a default: existing rows get \(fill)")
        targets.append(name)
        sources.append(fill)
      }
    }
    for column in old.columns where column.generated == nil {
      if let target = new.column(column.name) {
        if target.generated != nil {
          out.warn(
            "destructive: column \(old.name).\(column.name) becomes generated: its stored values are replaced by "
              + "AS (\(target.generatedExpression ?? "?"))")
        }
      } else {
        out.warn("destructive: drops column \(old.name).\(column.name) and its values")
      }
    }
    if !targets.isEmpty {
      out.statement(
        "INSERT INTO \(SQLName.quoted(temporary)) (\(targets.joined(separator: ", ")))\n  SELECT "
          + "\(sources.joined(separator: ", ")) FROM \(SQLName.quoted(old.name))")
    } else {
      out.comment("no column of \(old.name) is kept: its rows are not copied")
    }
    if old.autoincrement && new.autoincrement {
      // Keep AUTOINCREMENT's high-water mark, so ids of deleted rows are still never reused.
      let literal = { (name: String) in "'" + name.replacingOccurrences(of: "'", with: "''") + "'" }
      out.statement("DELETE FROM sqlite_sequence WHERE name = \(literal(temporary))")
      out.statement(
        "INSERT INTO sqlite_sequence (name, seq) SELECT \(literal(temporary)), seq FROM sqlite_sequence "
          + "WHERE name = \(literal(old.name))")
    }
    out.statement("DROP TABLE \(SQLName.quoted(old.name))")
    out.statement("ALTER TABLE \(SQLName.quoted(temporary)) RENAME TO \(SQLName.quoted(new.name))")
  }

  /// True for a DEFAULT that is a literal (`1`, `-1`, `'x'`, `X'00'`, `NULL`, a bare word);
  /// SQLite keeps `DEFAULT (expr)` without its parentheses, so anything else was one.
  private func isLiteral(_ value: String) -> Bool {
    let tokens = SQLLexer.tokens(value)
    if tokens.count == 2, tokens[0].isSymbol("-") || tokens[0].isSymbol("+") { return tokens[1].kind == .number }
    return tokens.count == 1 && [.number, .string, .blob, .word].contains(tokens[0].kind)
  }

  private func hasUsableDefault(_ column: SchemaCatalog.Column) -> Bool {
    guard let value = column.defaultValue else { return false }
    return value.uppercased() != "NULL"
  }

  /// What a NULL in a column that becomes NOT NULL turns into: its default when it has one,
  /// else the zero of its type affinity.
  private func fillValue(for column: SchemaCatalog.Column) -> String {
    if hasUsableDefault(column), let value = column.defaultValue {
      let tokens = SQLLexer.tokens(value)
      if tokens.count == 1, tokens[0].kind == .word,
        !["CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP", "TRUE", "FALSE"].contains(tokens[0].text.uppercased())
      {
        // DEFAULT abc is the string 'abc' (an identifier would be read as a column).
        return "'" + tokens[0].text.replacingOccurrences(of: "'", with: "''") + "'"
      }
      return value.hasPrefix("(") ? value : "(\(value))"
    }
    let type = column.type.uppercased()
    if type.contains("INT") { return "0" }
    if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") { return "''" }
    if type.contains("BLOB") { return "X''" }
    if type.isEmpty || type == "ANY" { return "''" }
    return "0"
  }
}
