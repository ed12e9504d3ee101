// Changes to UNIQUE, FOREIGN KEY and CHECK constraints of tables A and B share.

extension RandomSchema.Mutator {
  /// Where a constraint lives: on column `column` of table `table`, or at `position` in the
  /// table's own list.
  enum Slot {
    case column(table: Int, column: Int)
    case table(table: Int, position: Int)
  }

  /// Columns of table `t` that A had too.
  func sharedColumns(_ t: Int) -> [String] {
    schema.tables[t].columns.map(\.name).filter { former(t)?.has($0) == true }
  }

  // MARK: - UNIQUE

  mutating func addUnique() -> Bool {
    guard let t = generator.dice.element(of: keptTables) else { return false }
    let table = schema.tables[t]
    let shared = sharedColumns(t)
    if generator.dice.chance(60) {
      guard let name = generator.dice.element(of: shared.filter { table.column($0)?.isUnique == false }),
        let c = table.columnIndex(name)
      else { return false }
      schema.tables[t].columns[c].isUnique = true
      record(.uniqueAdded, subject(t, c))
    } else {
      let pair = generator.dice.sample(shared, count: 2)
      guard pair.count == 2, !table.uniques.contains(pair), pair != table.primaryKey else { return false }
      schema.tables[t].uniques.append(pair)
      record(.uniqueAdded, "\(table.name) \(Self.describe(pair))")
    }
    return true
  }

  mutating func removeUnique() -> Bool {
    var slots: [Slot] = keptColumns.filter { t, c in
      schema.tables[t].columns[c].isUnique && former(t, c)?.isUnique == true
    }.map { .column(table: $0.table, column: $0.column) }
    for t in keptTables {
      for (position, set) in schema.tables[t].uniques.enumerated() where former(t)?.uniques.contains(set) == true {
        slots.append(.table(table: t, position: position))
      }
    }
    switch generator.dice.element(of: slots) {
    case nil:
      return false
    case .column(let t, let c):
      schema.tables[t].columns[c].isUnique = false
      record(.uniqueRemoved, subject(t, c))
    case .table(let t, let position):
      let set = schema.tables[t].uniques.remove(at: position)
      record(.uniqueRemoved, "\(schema.tables[t].name) \(Self.describe(set))")
    }
    return true
  }

  // MARK: - FOREIGN KEY

  static func describe(_ reference: RandomSchema.Reference) -> String {
    "\(RandomSchema.quoted(reference.table)) (\(RandomSchema.quoted(reference.column)))"
  }

  mutating func addForeignKey() -> Bool {
    var options: [(t: Int, c: Int, table: String, column: String)] = []
    for (t, c) in keptColumns {
      let column = schema.tables[t].columns[c]
      guard column.reference == nil, column.defaultValue == nil || column.defaultValue == "NULL",
        column.type != "REAL", former(t, c)?.type != "REAL"
      else { continue }
      let table = schema.tables[t].name
      options += parents(of: t, kind: column.kind).filter { $0.table != table || $0.column != column.name }
        .map { (t, c, $0.table, $0.column) }
    }
    guard let (t, c, table, column) = generator.dice.element(of: options) else { return false }
    let reference = generator.reference(to: table, column: column)
    schema.tables[t].columns[c].reference = reference
    record(.foreignKeyAdded, subject(t, c), "→ \(Self.describe(reference))")
    return true
  }

  /// Columns with a foreign key in both A and B.
  var referencingColumns: [(table: Int, column: Int)] {
    keptColumns.filter { t, c in schema.tables[t].columns[c].reference != nil && former(t, c)?.reference != nil }
  }

  mutating func removeForeignKey() -> Bool {
    guard let (t, c) = generator.dice.element(of: referencingColumns),
      let reference = schema.tables[t].columns[c].reference
    else { return false }
    schema.tables[t].columns[c].reference = nil
    record(.foreignKeyRemoved, subject(t, c), "was → \(Self.describe(reference))")
    return true
  }

  mutating func changeForeignKey() -> Bool {
    guard let (t, c) = generator.dice.element(of: referencingColumns),
      let old = schema.tables[t].columns[c].reference
    else { return false }
    var new = old
    let detail: String
    // NO ACTION is what no action means: never only swap one for the other.
    let actions = [nil] + RandomSchema.Generator.actions.filter { $0 != "NO ACTION" }
    switch generator.dice.int(0...9) {
    case 0...5:
      new.onDelete = generator.dice.pick(actions.filter { ($0 ?? "NO ACTION") != (old.onDelete ?? "NO ACTION") })
      detail = "ON DELETE \(old.onDelete ?? "NO ACTION") → \(new.onDelete ?? "NO ACTION")"
    case 6...7:
      new.onUpdate = generator.dice.pick(actions.filter { ($0 ?? "NO ACTION") != (old.onUpdate ?? "NO ACTION") })
      detail = "ON UPDATE \(old.onUpdate ?? "NO ACTION") → \(new.onUpdate ?? "NO ACTION")"
    default:
      // Rows keep their values only while both references agree: a nullable column then holds NULLs.
      guard former(t, c)?.isNotNull == false else { return false }
      let kind = schema.tables[t].columns[c].kind
      let (table, name) = (schema.tables[t].name, schema.tables[t].columns[c].name)
      let targets = parents(of: t, kind: kind).filter { target in
        (target.table != old.table || target.column != old.column) && (target.table != table || target.column != name)
      }
      guard let target = generator.dice.element(of: targets) else { return false }
      new.table = target.table
      new.column = target.column
      detail = "now → \(Self.describe(new))"
    }
    if generator.dice.chance(30) { new.isTableLevel.toggle() }
    schema.tables[t].columns[c].reference = new
    record(.foreignKeyChanged, subject(t, c), detail)
    return true
  }

  // MARK: - CHECK

  mutating func addCheck() -> Bool {
    guard let t = generator.dice.element(of: keptTables) else { return false }
    let shared = sharedColumns(t)
    if generator.dice.chance(55) {
      guard let name = generator.dice.element(of: shared.filter { schema.tables[t].column($0)?.check == nil }),
        let c = schema.tables[t].columnIndex(name)
      else { return false }
      let check = RandomSchema.Check(template: generator.dice.int(0...11), columns: [name])
      schema.tables[t].columns[c].check = check
      record(.checkAdded, subject(t, c), "CHECK (\(RandomSchema.sql(check)))")
    } else {
      guard !shared.isEmpty else { return false }
      let check = generator.check(on: generator.dice.sample(shared, count: generator.dice.int(1...2)))
      guard !schema.tables[t].checks.contains(check) else { return false }
      schema.tables[t].checks.append(check)
      record(.checkAdded, schema.tables[t].name, "CHECK (\(RandomSchema.sql(check)))")
    }
    return true
  }

  /// CHECK constraints A and B both have, unchanged.
  var sharedChecks: [Slot] {
    var slots: [Slot] = keptColumns.filter { t, c in
      let check = schema.tables[t].columns[c].check
      return check != nil && former(t, c)?.check == check
    }.map { .column(table: $0.table, column: $0.column) }
    for t in keptTables {
      for (position, check) in schema.tables[t].checks.enumerated() where former(t)?.checks.contains(check) == true {
        slots.append(.table(table: t, position: position))
      }
    }
    return slots
  }

  mutating func removeCheck() -> Bool {
    switch generator.dice.element(of: sharedChecks) {
    case nil:
      return false
    case .column(let t, let c):
      schema.tables[t].columns[c].check = nil
      record(.checkRemoved, subject(t, c))
    case .table(let t, let position):
      let check = schema.tables[t].checks.remove(at: position)
      record(.checkRemoved, schema.tables[t].name, "CHECK (\(RandomSchema.sql(check)))")
    }
    return true
  }

  mutating func changeCheck() -> Bool {
    switch generator.dice.element(of: sharedChecks) {
    case nil:
      return false
    case .column(let t, let c):
      guard var check = schema.tables[t].columns[c].check else { return false }
      let old = RandomSchema.sql(check)
      check.template += generator.dice.int(1...3)
      schema.tables[t].columns[c].check = check
      record(.checkChanged, subject(t, c), "CHECK (\(old)) → CHECK (\(RandomSchema.sql(check)))")
    case .table(let t, let position):
      var check = schema.tables[t].checks[position]
      let old = RandomSchema.sql(check)
      if generator.dice.chance(50) {
        check.template += generator.dice.int(1...2)
      } else {
        check.columns = generator.dice.sample(sharedColumns(t), count: generator.dice.int(1...2))
      }
      guard RandomSchema.sql(check) != old else { return false }
      schema.tables[t].checks[position] = check
      record(.checkChanged, schema.tables[t].name, "CHECK (\(old)) → CHECK (\(RandomSchema.sql(check)))")
    }
    return true
  }
}
