import Runner
import Schema
import Testing

/// Loads schemas into in-memory databases, generates migrations and checks that they move
/// both the schema and the data.
enum SchemaHarness {
  static func database(_ sql: String) throws -> SQLiteConnection {
    let connection = try SQLiteConnection(path: ":memory:", mode: .readWriteCreate)
    try connection.executeScript(sql)
    return connection
  }

  static func catalog(_ sql: String) throws -> SchemaCatalog { try SchemaCatalog.read(try database(sql)) }

  /// Each row of a table as text, numbers in one form whatever their storage class: `5`,
  /// `5.0` and `'5'` agree (a type change converts between them by affinity); `'v5'` and
  /// `5` do not.
  static func values(_ connection: SQLiteConnection, table: String, columns: [String]) throws -> [String] {
    guard !columns.isEmpty else { return [] }
    let values = columns.map { name -> String in
      let c = SQLName.quoted(name)
      return "CASE typeof(\(c)) WHEN 'null' THEN 'NULL' WHEN 'blob' THEN 'x' || hex(\(c)) "
        + "WHEN 'text' THEN (CASE WHEN CAST(CAST(\(c) AS NUMERIC) AS TEXT) = \(c) THEN 'n' || \(c) ELSE quote(\(c)) END) "
        + "WHEN 'real' THEN (CASE WHEN \(c) = CAST(\(c) AS INTEGER) "
        + "THEN 'n' || CAST(\(c) AS INTEGER) ELSE 'n' || \(c) END) ELSE 'n' || \(c) END"
    }
    return try connection.column(
      "SELECT \(values.joined(separator: " || '|' || ")) FROM \(SQLName.quoted(table))"
    ).sorted()
  }

  /// The schema as SQLite's pragmas list it, without the Schema module: a second opinion on
  /// ``SchemaDiff``. Tables: columns (`table_xinfo`), WITHOUT ROWID/STRICT, constraint and
  /// explicit indexes (`index_list`, `index_xinfo`), foreign keys; views: their columns;
  /// triggers: name and table. (CHECK constraints are in no pragma.)
  static func pragmaDump(_ db: SQLiteConnection) throws -> [String] {
    var dump: [String] = []
    func rows(_ sql: String, _ name: String) throws -> [String] {
      try db.rows(sql, [.text(name)]).map { $0.map { $0 ?? "NULL" }.joined(separator: "|") }
    }
    let objects = try db.rows(
      "SELECT type, name, tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite%' ORDER BY lower(name)")
    for object in objects {
      guard let type = object[0], let name = object[1], let table = object[2] else { continue }
      switch type {
      case "table", "view":
        dump.append("\(type) \(name)")
        dump += try rows("SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?)", name)
          .map { "  column \($0)" }
        dump += try rows("SELECT type, wr, strict FROM pragma_table_list WHERE name = ?", name).map { "  \($0)" }
        for index in try db.rows("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)", [.text(name)]) {
          let indexName = index[0] ?? ""
          let label = index[2] == "c" ? indexName : "constraint"
          let keys = try rows(
            "SELECT name, \"desc\", coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", indexName)
          dump.append(
            "  index \(label) unique=\(index[1] ?? "") origin=\(index[2] ?? "") partial=\(index[3] ?? "") "
              + keys.joined(separator: ", "))
        }
        dump += try rows(
          "SELECT \"table\", \"from\", \"to\", on_update, on_delete, match FROM pragma_foreign_key_list(?)", name
        ).sorted().map { "  foreign key \($0)" }
      case "trigger":
        dump.append("trigger \(name) on \(table)")
      default:
        continue
      }
    }
    return dump.sorted()
  }

  /// Generates the migration from `from` to `to`, then on a database holding `from` and
  /// `rows`: upgrade ⇒ `to`'s schema with every kept value, downgrade ⇒ `from`'s schema and
  /// the values of columns that survived both ways.
  ///
  /// - Parameter changedColumns: Columns (`table.column`, lower-case) whose values the
  ///   migration may change (e.g. NULLs filled when NOT NULL is added); left out of the data
  ///   comparison.
  @discardableResult
  static func roundTrip(
    from: String, to: String, rows: String = "", renames: Autogenerate.Renames = Autogenerate.Renames(),
    changedColumns: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Autogenerate.Migration {
    let head = try catalog(from)
    let declared = try catalog(to)
    let migration = try Autogenerate.migration(from: head, to: declared, renames: renames)
    let db = try database(from)
    try db.executeScript(rows)
    let tableRenames = Dictionary(renames.tables.map { ($0.old.lowercased(), $0.new) }, uniquingKeysWith: { a, _ in a })
    var columnRenames: [String: String] = [:]
    for rename in renames.columns {
      columnRenames["\(rename.table.lowercased()).\(rename.old.lowercased())"] = rename.new
    }
    // Kept columns: (table at head, column at head) ↔ (table declared, column declared).
    var kept: [(String, [String], String, [String])] = []
    for table in head.tables {
      let newName = tableRenames[table.name.lowercased()] ?? table.name
      guard let target = declared.table(newName) else { continue }
      var oldColumns: [String] = []
      var newColumns: [String] = []
      for column in table.columns where column.generated == nil {
        let renamed = columnRenames["\(table.name.lowercased()).\(column.name.lowercased())"] ?? column.name
        guard let targetColumn = target.column(renamed), targetColumn.generated == nil,
          !changedColumns.contains("\(target.name.lowercased()).\(targetColumn.name.lowercased())")
        else { continue }
        oldColumns.append(column.name)
        newColumns.append(targetColumn.name)
      }
      kept.append((table.name, oldColumns, target.name, newColumns))
    }
    let before = try kept.map { try values(db, table: $0.0, columns: $0.1) }

    try db.execute("BEGIN")
    try db.executeScript(migration.upgrade.sql)
    try db.execute("COMMIT")
    let upgraded = SchemaDiff(from: try SchemaCatalog.read(db), to: declared)
    #expect(upgraded.lines == [], "after the upgrade", sourceLocation: sourceLocation)
    #expect(try pragmaDump(db) == pragmaDump(database(to)), "pragmas after the upgrade", sourceLocation: sourceLocation)
    for (index, entry) in kept.enumerated() {
      #expect(
        try values(db, table: entry.2, columns: entry.3) == before[index], "data of \(entry.2) after the upgrade",
        sourceLocation: sourceLocation)
    }

    try db.execute("BEGIN")
    try db.executeScript(migration.downgrade.sql)
    try db.execute("COMMIT")
    let downgraded = SchemaDiff(from: try SchemaCatalog.read(db), to: head)
    #expect(downgraded.lines == [], "after the downgrade", sourceLocation: sourceLocation)
    #expect(
      try pragmaDump(db) == pragmaDump(database(from)), "pragmas after the downgrade", sourceLocation: sourceLocation)
    for (index, entry) in kept.enumerated() {
      #expect(
        try values(db, table: entry.0, columns: entry.1) == before[index], "data of \(entry.0) after the downgrade",
        sourceLocation: sourceLocation)
    }
    let problems = try db.column("PRAGMA integrity_check").filter { $0 != "ok" }
    #expect(try problems.filter { try !PairCheck.isFalseNull($0, in: db) } == [], sourceLocation: sourceLocation)
    return migration
  }
}
