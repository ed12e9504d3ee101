// Random indexes, views and triggers, and schema A as a whole.

extension RandomSchema.Generator {
  typealias Schema = RandomSchema.Schema
  typealias Table = RandomSchema.Table

  /// Schema A: 1–5 tables (sometimes one of them a log table), their indexes, views and triggers.
  mutating func schema() -> Schema {
    var schema = Schema()
    let count = dice.int(1...5)
    let logPosition = count >= 2 && dice.chance(30) ? dice.int(0...count - 1) : -1
    for position in 0..<count {
      schema.tables.append(position == logPosition ? logTable() : table(after: schema.tables))
    }
    for table in schema.tables {
      for _ in 0..<dice.int(0...2) {
        if let index = index(on: table, uniqueColumns: table.columns.map(\.name)) { schema.indexes.append(index) }
      }
    }
    for _ in 0..<dice.int(0...3) {
      if let view = view(in: schema) { schema.views.append(view) }
    }
    for _ in 0..<dice.int(0...3) {
      if let trigger = trigger(in: schema) { schema.triggers.append(trigger) }
    }
    return schema
  }

  mutating func term(for column: RandomSchema.Column) -> RandomSchema.IndexTerm {
    var term = RandomSchema.IndexTerm(column: column.name)
    let roll = dice.int(0...99)
    if roll < 10 && column.kind != .integer {
      term.function = "lower"
    } else if roll < 15 {
      term.function = "length"
    }
    if column.kind == .text && dice.chance(10) { term.collation = dice.pick(["NOCASE", "RTRIM"]) }
    term.isDescending = dice.chance(15)
    return term
  }

  /// True when a UNIQUE index on `terms` cannot reject distinct generated values.
  static func canBeUnique(_ terms: [RandomSchema.IndexTerm], in table: Table, uniqueColumns: [String]) -> Bool {
    terms.allSatisfy { term in
      uniqueColumns.contains(term.column)
        && (term.function == nil || (term.function == "lower" && table.column(term.column)?.kind == .text))
    }
  }

  /// An index on `table`; UNIQUE only over `uniqueColumns` (the columns that hold distinct values).
  mutating func index(on table: Table, uniqueColumns: [String]) -> RandomSchema.Index? {
    guard !table.isLog, !table.columns.isEmpty else { return nil }
    let picked = dice.sample(table.columns, count: dice.chance(30) ? 2 : 1)
    let terms = picked.map { term(for: $0) }
    let isUnique = dice.chance(25) && Self.canBeUnique(terms, in: table, uniqueColumns: uniqueColumns)
    let prefix = isUnique ? "ux" : "ix"
    let base =
      table.name.contains(" ") && dice.chance(50)
      ? "\(prefix) \(table.name) \(picked[0].name)"
      : "\(prefix)_\(RandomSchema.slug(table.name))_\(RandomSchema.slug(picked[0].name))"
    var index = RandomSchema.Index(name: names.claim(base), table: table.name, isUnique: isUnique, terms: terms)
    if dice.chance(15) { index.predicate = predicate(on: table.columns.map(\.name)) }
    return index
  }

  mutating func predicate(on columns: [String]) -> RandomSchema.Predicate {
    RandomSchema.Predicate(column: dice.pick(columns), form: dice.int(0...2))
  }

  /// A view on one table, on two joined by a foreign key, or on an earlier view.
  mutating func view(in schema: Schema) -> RandomSchema.View? {
    let roll = dice.int(0...99)
    if roll >= 75, let base = dice.element(of: schema.views) {
      return selection(from: base.name, outputs: base.outputs, name: "\(RandomSchema.slug(base.name))_top")
    }
    if roll >= 45, let view = joinView(in: schema) { return view }
    guard let table = dice.element(of: schema.tables) else { return nil }
    return selection(
      from: table.name, outputs: table.columns.map(\.name), name: "v_\(RandomSchema.slug(table.name))")
  }

  mutating func selection(from source: String, outputs: [String], name: String) -> RandomSchema.View {
    let picked = dice.sample(outputs, count: dice.int(1...min(3, outputs.count)))
    var view = RandomSchema.View(
      name: names.claim(name), source: source, columns: picked.map { RandomSchema.ViewColumn(side: 0, column: $0) })
    if dice.chance(25) { view.filter = predicate(on: outputs) }
    if dice.chance(12) && !picked.contains("row_count") {
      view.countsRows = true
    } else if dice.chance(10) {
      view.isDistinct = true
    }
    return view
  }

  /// A name for a new output column, distinct (without case) from `outputs`.
  static func alias(_ base: String, prefix: String, among outputs: [String]) -> String {
    let lowered = outputs.map { $0.lowercased() }
    var alias = base
    if lowered.contains(alias.lowercased()) { alias = "\(prefix)_\(RandomSchema.slug(base))" }
    while lowered.contains(alias.lowercased()) { alias += "_2" }
    return alias
  }

  mutating func joinView(in schema: Schema) -> RandomSchema.View? {
    var pairs: [(Table, RandomSchema.Column, Table)] = []
    for table in schema.tables {
      for column in table.columns {
        if let reference = column.reference, let parent = schema.table(reference.table),
          parent.has(reference.column)
        {
          pairs.append((table, column, parent))
        }
      }
    }
    guard let (child, column, parent) = dice.element(of: pairs), let reference = column.reference else { return nil }
    var columns: [RandomSchema.ViewColumn] = []
    var outputs: [String] = []
    for (side, table) in [(0, child), (1, parent)] {
      for name in dice.sample(table.columns.map(\.name), count: dice.int(1...min(2, table.columns.count))) {
        let alias = Self.alias(name, prefix: RandomSchema.slug(table.name), among: outputs)
        outputs.append(alias)
        columns.append(RandomSchema.ViewColumn(side: side, column: name, alias: alias))
      }
    }
    var view = RandomSchema.View(
      name: names.claim("v_\(RandomSchema.slug(child.name))_\(RandomSchema.slug(parent.name))"), source: child.name,
      join: RandomSchema.Join(table: parent.name, leftColumn: column.name, rightColumn: reference.column),
      columns: columns)
    if dice.chance(20) { view.filter = predicate(on: child.columns.map(\.name)) }
    view.isDistinct = dice.chance(10)
    return view
  }

  mutating func action(on table: Table, logTable: String?) -> RandomSchema.TriggerAction {
    let column = dice.pick(table.columns).name
    switch dice.int(0...3) {
    case 0: return .ignore
    case 1: return .abortIfForbidden(column)
    case 2: return .touch(column)
    default: return logTable == nil ? .ignore : .log(column)
    }
  }

  /// A trigger on a table other than the log table, with a body that changes no row.
  mutating func trigger(in schema: Schema) -> RandomSchema.Trigger? {
    guard let table = dice.element(of: schema.tables.filter { !$0.isLog }) else { return nil }
    let event = dice.pick(RandomSchema.TriggerEvent.allCases)
    var trigger = RandomSchema.Trigger(
      name: "", table: table.name, isBefore: dice.chance(40), event: event, actions: [])
    if event == .update && dice.chance(40) {
      trigger.updateColumns = dice.sample(table.columns.map(\.name), count: dice.int(1...2))
    }
    if dice.chance(25) { trigger.condition = dice.pick(table.columns).name }
    for _ in 0..<(dice.chance(20) ? 2 : 1) { trigger.actions.append(action(on: table, logTable: schema.logTable)) }
    trigger.name = names.claim("trg_\(RandomSchema.slug(table.name))_\(event)")
    return trigger
  }
}
