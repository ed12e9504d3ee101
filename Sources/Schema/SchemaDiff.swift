/// The differences between two schemas, object by object, in words.
///
/// Objects are matched by name (case-insensitive, as SQLite does). A table present in both
/// whose columns or constraints differ is one ``Change/alterTable(from:to:details:)``.
public struct SchemaDiff: Sendable, Equatable {
  /// One difference.
  public enum Change: Sendable, Equatable {
    case addTable(SchemaCatalog.Table)
    case dropTable(SchemaCatalog.Table)
    /// The table differs; `details` says how, one line each.
    case alterTable(from: SchemaCatalog.Table, to: SchemaCatalog.Table, details: [String])
    case addIndex(SchemaCatalog.Index)
    case dropIndex(SchemaCatalog.Index)
    case changeIndex(from: SchemaCatalog.Index, to: SchemaCatalog.Index)
    case addView(SchemaCatalog.View)
    case dropView(SchemaCatalog.View)
    case changeView(from: SchemaCatalog.View, to: SchemaCatalog.View)
    case addTrigger(SchemaCatalog.Trigger)
    case dropTrigger(SchemaCatalog.Trigger)
    case changeTrigger(from: SchemaCatalog.Trigger, to: SchemaCatalog.Trigger)
  }

  /// The differences: tables first, then indexes, views and triggers.
  public var changes: [Change]
  /// Dropped and added tables or columns of the same shape: possibly renames, never guessed.
  public var possibleRenames: [PossibleRename]

  /// A dropped and an added object of the same shape.
  public struct PossibleRename: Sendable, Equatable, CustomStringConvertible {
    /// The table (for a column rename; its name in the target schema), or nil for a table.
    public var table: String?
    /// The name that disappears.
    public var old: String
    /// The name that appears.
    public var new: String

    /// The option that asks for the rename.
    public var option: String {
      if let table { return "--rename-column \(table).\(old):\(new)" }
      return "--rename-table \(old):\(new)"
    }

    public var description: String {
      let what = table.map { "column \($0).\(old) and new column \($0).\(new)" } ?? "table \(old) and new table \(new)"
      return "possible rename: dropped \(what) have the same shape; if it is a rename, "
        + "generate again with \(option) (otherwise the data in \(old) is dropped)"
    }
  }

  /// True when the schemas are the same.
  public var isEmpty: Bool { changes.isEmpty }

  /// Compares `from` with `to`.
  public init(from: SchemaCatalog, to: SchemaCatalog) {
    changes = []
    possibleRenames = []
    let fromTables = Dictionary(from.tables.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    let toTables = Dictionary(to.tables.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    let dropped = from.tables.filter { toTables[$0.key] == nil }
    let added = to.tables.filter { fromTables[$0.key] == nil }
    changes += dropped.map { .dropTable($0) }
    changes += added.map { .addTable($0) }
    for table in to.tables {
      guard let old = fromTables[table.key] else { continue }
      let details = Self.tableDetails(from: old, to: table)
      if !details.isEmpty { changes.append(.alterTable(from: old, to: table, details: details)) }
      let removedColumns = old.columns.filter { table.column($0.name) == nil }
      for column in table.columns where old.column(column.name) == nil {
        for candidate in removedColumns where candidate.sameShape(as: column) {
          possibleRenames.append(PossibleRename(table: table.name, old: candidate.name, new: column.name))
        }
      }
    }
    for table in added {
      for candidate in dropped where Self.sameShape(candidate, table) {
        possibleRenames.append(PossibleRename(table: nil, old: candidate.name, new: table.name))
      }
    }
    compare(from.indexes, to.indexes, key: \.key, same: { $0.shape == $1.shape }) { change in
      switch change {
      case .added(let index): .addIndex(index)
      case .dropped(let index): .dropIndex(index)
      case .changed(let old, let new): .changeIndex(from: old, to: new)
      }
    }
    compare(from.views, to.views, key: \.key, same: { $0.normalized == $1.normalized }) { change in
      switch change {
      case .added(let view): .addView(view)
      case .dropped(let view): .dropView(view)
      case .changed(let old, let new): .changeView(from: old, to: new)
      }
    }
    compare(from.triggers, to.triggers, key: \.key, same: { $0.normalized == $1.normalized }) { change in
      switch change {
      case .added(let trigger): .addTrigger(trigger)
      case .dropped(let trigger): .dropTrigger(trigger)
      case .changed(let old, let new): .changeTrigger(from: old, to: new)
      }
    }
  }

  private enum Pairing<T> {
    case added(T)
    case dropped(T)
    case changed(T, T)
  }

  private mutating func compare<T>(
    _ old: [T], _ new: [T], key: (T) -> String, same: (T, T) -> Bool, make: (Pairing<T>) -> Change
  ) {
    let oldByKey = Dictionary(old.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
    let newKeys = Set(new.map(key))
    for item in old where !newKeys.contains(key(item)) { changes.append(make(.dropped(item))) }
    for item in new {
      if let previous = oldByKey[key(item)] {
        if !same(previous, item) { changes.append(make(.changed(previous, item))) }
      } else {
        changes.append(make(.added(item)))
      }
    }
  }

  /// Same columns (names and definitions) and constraints.
  static func sameShape(_ a: SchemaCatalog.Table, _ b: SchemaCatalog.Table) -> Bool {
    var renamed = b
    renamed.name = a.name
    return tableDetails(from: a, to: renamed).isEmpty
  }

  /// How `to` differs from `from`, one line per difference.
  static func tableDetails(from old: SchemaCatalog.Table, to new: SchemaCatalog.Table) -> [String] {
    if old.isVirtual || new.isVirtual {
      let same = old.isVirtual == new.isVirtual && Self.virtualDefinition(old) == Self.virtualDefinition(new)
      return same ? [] : ["virtual table definition: \(old.sql) → \(new.sql)"]
    }
    var details: [String] = []
    for column in old.columns where new.column(column.name) == nil {
      details.append("- column \(column.name)")
    }
    for column in new.columns where old.column(column.name) == nil {
      details.append("+ column \(column.definition)")
    }
    for column in new.columns {
      guard let before = old.column(column.name) else { continue }
      details += columnDetails(from: before, to: column)
    }
    let keptOld = old.columns.map(\.key).filter { new.column($0) != nil }
    let keptNew = new.columns.map(\.key).filter { old.column($0) != nil }
    if keptOld != keptNew { details.append("columns reordered: (\(keptNew.joined(separator: ", ")))") }
    let oldIndexes = Set(old.constraintIndexes)
    let newIndexes = Set(new.constraintIndexes)
    for index in old.constraintIndexes where !newIndexes.contains(index) { details.append("- \(index)") }
    for index in new.constraintIndexes where !oldIndexes.contains(index) { details.append("+ \(index)") }
    let oldKeys = Set(old.foreignKeys)
    let newKeys = Set(new.foreignKeys)
    for key in old.foreignKeys where !newKeys.contains(key) { details.append("- FOREIGN KEY \(key)") }
    for key in new.foreignKeys where !oldKeys.contains(key) { details.append("+ FOREIGN KEY \(key)") }
    for check in old.checks where !new.checks.contains(check) { details.append("- CHECK (\(check))") }
    for check in new.checks where !old.checks.contains(check) { details.append("+ CHECK (\(check))") }
    if old.checks.sorted() == new.checks.sorted() && old.checks != new.checks {
      details.append("CHECK constraints reordered")
    }
    if old.withoutRowid != new.withoutRowid { details.append(new.withoutRowid ? "+ WITHOUT ROWID" : "- WITHOUT ROWID") }
    if old.strict != new.strict { details.append(new.strict ? "+ STRICT" : "- STRICT") }
    if old.autoincrement != new.autoincrement {
      details.append(new.autoincrement ? "+ AUTOINCREMENT" : "- AUTOINCREMENT")
    }
    return details
  }

  /// A virtual table's statement from `USING` on, normalized (its name is compared apart).
  private static func virtualDefinition(_ table: SchemaCatalog.Table) -> String {
    let tokens = SQLLexer.tokens(table.sql)
    let using = tokens.firstIndex { $0.keyword == "USING" } ?? tokens.startIndex
    return SQLLexer.normalized(tokens[using...])
  }

  private static func columnDetails(from old: SchemaCatalog.Column, to new: SchemaCatalog.Column) -> [String] {
    var details: [String] = []
    let name = "column \(new.name)"
    if SQLLexer.normalized(old.type) != SQLLexer.normalized(new.type) {
      details.append(
        "\(name): type \(old.type.isEmpty ? "(none)" : old.type) → \(new.type.isEmpty ? "(none)" : new.type)")
    }
    if old.notNull != new.notNull { details.append("\(name): NOT NULL \(new.notNull ? "added" : "removed")") }
    if old.defaultValue.map({ SQLLexer.normalized($0) }) != new.defaultValue.map({ SQLLexer.normalized($0) }) {
      details.append("\(name): DEFAULT \(old.defaultValue ?? "(none)") → \(new.defaultValue ?? "(none)")")
    }
    if old.collation != new.collation { details.append("\(name): COLLATE \(old.collation) → \(new.collation)") }
    if old.primaryKeyPosition != new.primaryKeyPosition {
      let describe = { (position: Int) in position == 0 ? "not in the primary key" : "primary key part \(position)" }
      details.append("\(name): \(describe(old.primaryKeyPosition)) → \(describe(new.primaryKeyPosition))")
    }
    if old.generated != new.generated || old.generatedExpression != new.generatedExpression {
      let describe = { (column: SchemaCatalog.Column) in
        column.generated.map { "AS (\(column.generatedExpression ?? "?")) \($0.rawValue)" } ?? "not generated"
      }
      details.append("\(name): \(describe(old)) → \(describe(new))")
    }
    for check in old.checks where !new.checks.contains(check) { details.append("\(name): - CHECK (\(check))") }
    for check in new.checks where !old.checks.contains(check) { details.append("\(name): + CHECK (\(check))") }
    return details
  }

  /// The differences in words, one line each: `+` added, `-` dropped, `~` changed (with the
  /// table's changes indented below it). A definition written over several lines is put on one.
  public var lines: [String] {
    var lines: [String] = []
    for change in changes {
      switch change {
      case .addTable(let table): lines.append("+ table \(table.name)")
      case .dropTable(let table): lines.append("- table \(table.name)")
      case .alterTable(_, let table, let details):
        lines.append("~ table \(table.name)")
        lines += details.map { "    \($0)" }
      case .addIndex(let index): lines.append("+ index \(index.name) \(index.summary)")
      case .dropIndex(let index): lines.append("- index \(index.name) \(index.summary)")
      case .changeIndex(let old, let new):
        lines.append("~ index \(new.name): \(old.summary) → \(new.summary)")
      case .addView(let view): lines.append("+ view \(view.name)")
      case .dropView(let view): lines.append("- view \(view.name)")
      case .changeView(_, let view): lines.append("~ view \(view.name): definition changed")
      case .addTrigger(let trigger): lines.append("+ trigger \(trigger.name) on \(trigger.table)")
      case .dropTrigger(let trigger): lines.append("- trigger \(trigger.name) on \(trigger.table)")
      case .changeTrigger(_, let trigger):
        lines.append("~ trigger \(trigger.name) on \(trigger.table): definition changed")
      }
    }
    return lines.map { line in
      let indent = line.prefix(while: { $0 == " " })
      return indent + SQLLexer.oneLine(String(line.dropFirst(indent.count)))
    }
  }
}
