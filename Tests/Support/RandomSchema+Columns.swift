// Changes to tables and columns. Each returns false, changing nothing worth keeping, when it
// does not apply to the schema as it is.

extension RandomSchema.Mutator {
  typealias Column = RandomSchema.Column

  static func describe(_ type: String?) -> String { type ?? "no type" }
  static func describe(_ names: [String]) -> String { "(" + RandomSchema.list(names) + ")" }

  // MARK: - Tables

  mutating func addTable() -> Bool {
    let table = generator.table(after: schema.tables.filter { !$0.isLog })
    schema.tables.insert(table, at: generator.dice.int(0...schema.tables.count))
    record(.tableAdded, table.name)
    return true
  }

  mutating func removeTable() -> Bool {
    guard schema.tables.count > 1, let t = generator.dice.element(of: keptTables) else { return false }
    record(.tableRemoved, schema.tables.remove(at: t).name)
    return true
  }

  /// Drops a table and creates one just like it under a new name, as a rename would.
  mutating func renameTableShape() -> Bool {
    guard let t = generator.dice.element(of: keptTables) else { return false }
    let old = schema.tables[t].name
    let new = generator.tableName()
    renameTable(old, to: new)
    record(.tableRenamedShape, old, "now \(new)")
    return true
  }

  mutating func toggleWithoutRowid() -> Bool {
    guard let t = generator.dice.element(of: keptTables.filter { !schema.tables[$0].primaryKey.isEmpty }) else {
      return false
    }
    schema.tables[t].isWithoutRowid.toggle()
    record(
      .withoutRowidChanged, schema.tables[t].name,
      schema.tables[t].isWithoutRowid ? "now WITHOUT ROWID" : "now a rowid table")
    return true
  }

  mutating func changePrimaryKey() -> Bool {
    guard let t = generator.dice.element(of: keptTables) else { return false }
    let table = schema.tables[t]
    let eligible = table.columns.filter { former(t)?.has($0.name) == true }.map(\.name)
    guard !eligible.isEmpty else { return false }
    var key: [String] = []
    if table.isWithoutRowid || table.primaryKey.isEmpty || !generator.dice.chance(15) {
      key = generator.dice.sample(eligible, count: generator.dice.chance(40) ? 2 : 1)
      if generator.dice.chance(30) { key.reverse() }
    }
    guard key != table.primaryKey else { return false }
    schema.tables[t].primaryKey = key
    schema.tables[t].isPrimaryKeyInline = key.count == 1 && generator.dice.chance(50)
    record(.primaryKeyChanged, table.name, "\(Self.describe(table.primaryKey)) → \(Self.describe(key))")
    return true
  }

  // MARK: - Columns

  mutating func addColumn(inMiddle: Bool) -> Bool {
    guard let t = generator.dice.element(of: keptTables) else { return false }
    let taken = takenColumnNames(t)
    var column: Column
    if generator.dice.chance(20),
      let target = generator.dice.element(of: schema.tables.filter { !$0.keyColumns.isEmpty }),
      let referencing = generator.referencingColumn(to: target, avoiding: taken, isFresh: true)
    {
      column = referencing
    } else {
      let (name, kind) = generator.columnName(avoiding: taken)
      column = generator.column(named: name, kind: kind, isFresh: true)
    }
    let count = schema.tables[t].columns.count
    let position = inMiddle ? generator.dice.int(0...count - 1) : count
    let next = inMiddle ? schema.tables[t].columns[position].name : nil
    schema.tables[t].columns.insert(column, at: position)
    let subject = subject(t, position)
    record(inMiddle ? .columnAddedInMiddle : .columnAddedAtEnd, subject, next.map { "before \($0)" })
    return true
  }

  /// Columns that may disappear from B: no key, nothing references them, and putting them back
  /// (the downgrade) cannot give two rows the same value or a dangling reference.
  var removableColumns: [(table: Int, column: Int)] {
    keptColumns.filter { t, c in
      let column = schema.tables[t].columns[c]
      let mustHold = column.isNotNull || former(t, c)?.isNotNull == true
      let hasReference = column.reference != nil || former(t, c)?.reference != nil
      return schema.tables[t].columns.count >= 2 && !isPrimaryKey(t, column.name)
        && !isReferenced(schema.tables[t].name, column.name) && !(mustHold && (isUniqueish(t, c) || hasReference))
    }
  }

  mutating func removeColumn() -> Bool {
    guard let (t, c) = generator.dice.element(of: removableColumns) else { return false }
    let subject = subject(t, c)
    schema.tables[t].columns.remove(at: c)
    record(.columnRemoved, subject)
    return true
  }

  /// Drops a column and adds one just like it under a new name, as a rename would.
  mutating func renameColumnShape() -> Bool {
    let candidates = removableColumns.filter { t, c in
      !isUniqueish(t, c) || !(schema.tables[t].columns[c].isFilledWhenAdded || former(t, c)?.isFilledWhenAdded == true)
    }
    guard let (t, c) = generator.dice.element(of: candidates) else { return false }
    let old = schema.tables[t].columns[c].name
    let (new, _) = generator.columnName(avoiding: takenColumnNames(t))
    renameColumn(of: t, old, to: new)
    record(.columnRenamedShape, "\(schema.tables[t].name).\(old)", "now \(new)")
    return true
  }

  mutating func changeType() -> Bool {
    let candidates = keptColumns.filter { t, c in
      let name = schema.tables[t].columns[c].name
      let isSoleKey = schema.tables[t].primaryKey == [name] || former(t)?.primaryKey == [name]
      return !isSoleKey && !isReferenced(schema.tables[t].name, name)
    }
    guard let (t, c) = generator.dice.element(of: candidates) else { return false }
    let column = schema.tables[t].columns[c]
    let isReferencing = column.reference != nil || former(t, c)?.reference != nil
    let types = column.kind.types.filter { $0 != column.type && !(isReferencing && $0 == "REAL") }
    let type = generator.dice.pick(types)
    schema.tables[t].columns[c].type = type
    record(.columnTypeChanged, subject(t, c), "\(Self.describe(column.type)) → \(Self.describe(type))")
    return true
  }

  mutating func changeNotNull(to isNotNull: Bool) -> Bool {
    let candidates = keptColumns.filter { t, c in
      let column = schema.tables[t].columns[c]
      let isImplied = schema.tables[t].isWithoutRowid && schema.tables[t].primaryKey.contains(column.name)
      return column.isNotNull != isNotNull && !isImplied && column.defaultValue != "NULL"
    }
    guard let (t, c) = generator.dice.element(of: candidates) else { return false }
    schema.tables[t].columns[c].isNotNull = isNotNull
    record(isNotNull ? .notNullAdded : .notNullRemoved, subject(t, c))
    return true
  }

  mutating func addDefault() -> Bool {
    let candidates = keptColumns.filter { t, c in
      schema.tables[t].columns[c].defaultValue == nil && schema.tables[t].columns[c].reference == nil
    }
    guard let (t, c) = generator.dice.element(of: candidates) else { return false }
    let column = schema.tables[t].columns[c]
    let value = generator.defaultValue(for: column.kind, isNotNull: column.isNotNull)
    schema.tables[t].columns[c].defaultValue = value
    record(.defaultAdded, subject(t, c), "DEFAULT \(value)")
    return true
  }

  mutating func changeDefault() -> Bool {
    let candidates = keptColumns.filter { t, c in
      schema.tables[t].columns[c].defaultValue != nil && schema.tables[t].columns[c].reference == nil
    }
    guard let (t, c) = generator.dice.element(of: candidates) else { return false }
    let column = schema.tables[t].columns[c]
    let value = generator.defaultValue(for: column.kind, isNotNull: column.isNotNull)
    guard let old = column.defaultValue, value != old else { return false }
    schema.tables[t].columns[c].defaultValue = value
    record(.defaultChanged, subject(t, c), "DEFAULT \(old) → \(value)")
    return true
  }

  mutating func removeDefault() -> Bool {
    let candidates = keptColumns.filter { t, c in schema.tables[t].columns[c].defaultValue != nil }
    guard let (t, c) = generator.dice.element(of: candidates) else { return false }
    schema.tables[t].columns[c].defaultValue = nil
    record(.defaultRemoved, subject(t, c))
    return true
  }

  mutating func changeCollation() -> Bool {
    let candidates = keptColumns.filter { t, c in schema.tables[t].columns[c].kind != .integer }
    guard let (t, c) = generator.dice.element(of: candidates) else { return false }
    let old = schema.tables[t].columns[c].collation
    // BINARY is what no COLLATE means: never only swap one for the other.
    let new = generator.dice.pick([nil, "NOCASE", "RTRIM"].filter { ($0 ?? "BINARY") != (old ?? "BINARY") })
    schema.tables[t].columns[c].collation = new
    record(.collationChanged, subject(t, c), "\(old ?? "default") → \(new ?? "default")")
    return true
  }
}
