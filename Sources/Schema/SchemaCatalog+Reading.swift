import Runner

extension SchemaCatalog {
  /// Reads the main schema of `connection` through SQLite's catalog.
  ///
  /// - Parameter ignoring: Tables to leave out (lower-cased names), e.g. the version table.
  ///   SQLite's own `sqlite_*` objects are always left out.
  /// - Throws: ``RunnerError`` when a catalog query fails.
  public static func read(_ connection: SQLiteConnection, ignoring: Set<String> = []) throws -> SchemaCatalog {
    var catalog = SchemaCatalog()
    let objects = try connection.rows(
      "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        + "AND sql IS NOT NULL ORDER BY rowid")
    let flags = try tableFlags(connection)
    for (order, row) in objects.enumerated() {
      guard let type = row[0], let name = row[1], let table = row[2], let sql = row[3] else { continue }
      if ignoring.contains(table.lowercased()) { continue }
      switch type {
      case "table":
        let tableFlags = flags[name.lowercased()] ?? TableFlags()
        // A virtual table's shadow tables (FTS5's x_data, …) belong to it.
        if tableFlags.kind == "shadow" { continue }
        catalog.tables.append(try readTable(connection, name: name, sql: sql, order: order, flags: tableFlags))
      case "index":
        catalog.indexes.append(try readIndex(connection, name: name, table: table, sql: sql, order: order))
      case "view":
        catalog.views.append(View(name: name, sql: sql, order: order))
      case "trigger":
        catalog.triggers.append(Trigger(name: name, table: table, sql: sql, order: order))
      default:
        continue
      }
    }
    return catalog
  }

  /// What `pragma table_list` says of a table.
  private struct TableFlags {
    /// `table`, `virtual` or `shadow`.
    var kind = "table"
    var withoutRowid = false
    var strict = false
  }

  /// `pragma table_list` per table (lower-cased name).
  private static func tableFlags(_ connection: SQLiteConnection) throws -> [String: TableFlags] {
    var flags: [String: TableFlags] = [:]
    for row in try connection.rows("SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'") {
      guard let name = row[0] else { continue }
      flags[name.lowercased()] = TableFlags(kind: row[1] ?? "table", withoutRowid: row[2] == "1", strict: row[3] == "1")
    }
    return flags
  }

  private static func readTable(
    _ connection: SQLiteConnection, name: String, sql: String, order: Int, flags: TableFlags
  ) throws -> Table {
    let isVirtual = flags.kind == "virtual"
    let definition = isVirtual ? nil : TableDefinition(sql: sql)
    var columns: [Column] = []
    for row in try connection.rows(
      "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?)", [.text(name)])
    {
      guard let columnName = row[0] else { continue }
      let collation = isVirtual ? "BINARY" : try connection.columnMetadata(table: name, column: columnName).collation
      let text = definition?.column(columnName)
      let hidden = Int(row[5] ?? "0") ?? 0
      columns.append(
        Column(
          name: columnName, type: row[1] ?? "", notNull: row[2] == "1", defaultValue: row[3],
          collation: collation.uppercased(), primaryKeyPosition: Int(row[4] ?? "0") ?? 0,
          generated: hidden == 2 ? .virtual : hidden == 3 ? .stored : nil,
          generatedExpression: text?.generatedExpression, checks: text?.checks ?? [],
          definition: text?.text ?? SQLName.quoted(columnName) + (row[1].map { " " + $0 } ?? "")))
    }
    var constraintIndexes: [ConstraintIndex] = []
    for row in try connection.rows("SELECT name, origin FROM pragma_index_list(?)", [.text(name)]) {
      guard let index = row[0], let origin = row[1], origin != "c" else { continue }
      constraintIndexes.append(ConstraintIndex(origin: origin, keys: try keyParts(connection, index: index, sql: nil)))
    }
    var foreignKeys: [Int: ForeignKey] = [:]
    for row in try connection.rows(
      "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete, match FROM pragma_foreign_key_list(?) "
        + "ORDER BY id, seq", [.text(name)])
    {
      let id = Int(row[0] ?? "0") ?? 0
      var key =
        foreignKeys[id]
        ?? ForeignKey(
          columns: [], parent: (row[1] ?? "").lowercased(), parentColumns: [], onUpdate: row[4] ?? "NO ACTION",
          onDelete: row[5] ?? "NO ACTION", match: row[6] ?? "NONE")
      key.columns.append((row[2] ?? "").lowercased())
      key.parentColumns.append((row[3] ?? "").lowercased())
      foreignKeys[id] = key
    }
    return Table(
      name: name, sql: sql, columns: columns, constraintIndexes: constraintIndexes.sorted { "\($0)" < "\($1)" },
      foreignKeys: foreignKeys.keys.sorted().compactMap { foreignKeys[$0] }, checks: definition?.tableChecks ?? [],
      withoutRowid: flags.withoutRowid, strict: flags.strict, autoincrement: definition?.autoincrement ?? false,
      isVirtual: isVirtual, order: order)
  }

  private static func readIndex(
    _ connection: SQLiteConnection, name: String, table: String, sql: String, order: Int
  ) throws -> Index {
    let list = try connection.rows("SELECT name, \"unique\" FROM pragma_index_list(?)", [.text(table)])
    let unique = list.first { $0[0] == name }?[1] == "1"
    let parsed = IndexDefinition(sql: sql)
    return Index(
      name: name, table: table, unique: unique, keys: try keyParts(connection, index: name, sql: parsed),
      partial: parsed?.partial, sql: sql, order: order)
  }

  /// The key columns of an index from `pragma index_xinfo`; expressions come from the
  /// statement's text, which is the only place SQLite keeps them.
  private static func keyParts(_ connection: SQLiteConnection, index: String, sql: IndexDefinition?) throws
    -> [KeyPart]
  {
    var parts: [KeyPart] = []
    for row in try connection.rows(
      "SELECT seqno, cid, name, \"desc\", coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno",
      [.text(index)])
    {
      let position = Int(row[0] ?? "0") ?? 0
      let isExpression = row[1] == "-2"
      let expression = isExpression ? (sql?.keys.indices.contains(position) == true ? sql?.keys[position] : "?") : nil
      parts.append(
        KeyPart(
          column: isExpression ? nil : (row[2] ?? "rowid").lowercased(), expression: expression,
          descending: row[3] == "1", collation: (row[4] ?? "BINARY").uppercased()))
    }
    return parts
  }
}

/// The parts of a `CREATE INDEX` statement that no pragma reports: key expressions and the
/// WHERE clause of a partial index.
struct IndexDefinition {
  /// Each key part's normalized text without its COLLATE and ASC/DESC.
  var keys: [String]
  /// The normalized WHERE clause.
  var partial: String?

  init?(sql: String) {
    let tokens = SQLLexer.tokens(sql)
    guard let on = tokens.firstIndex(where: { $0.keyword == "ON" }),
      let open = tokens[on...].firstIndex(where: { $0.isSymbol("(") }),
      let close = SQLLexer.closingParenthesis(tokens, from: open)
    else { return nil }
    keys = SQLLexer.splitAtCommas(tokens, (open + 1)..<close).map { part in
      var end = part.upperBound
      if end > part.lowerBound, ["ASC", "DESC"].contains(tokens[end - 1].keyword ?? "") { end -= 1 }
      if end - 2 > part.lowerBound, tokens[end - 2].keyword == "COLLATE" { end -= 2 }
      return SQLLexer.normalized(tokens[part.lowerBound..<end])
    }
    if let whereIndex = tokens[(close + 1)...].firstIndex(where: { $0.keyword == "WHERE" }) {
      partial = SQLLexer.normalized(tokens[(whereIndex + 1)...])
    }
  }
}
