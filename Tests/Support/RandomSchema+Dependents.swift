// Changes to indexes, views and triggers. Only objects A has are changed or removed, so each
// line of `changes` describes a difference between A and B.

extension RandomSchema.Mutator {
  typealias Generator = RandomSchema.Generator

  /// Columns of `table` that hold distinct generated values: all of a table B adds, only those
  /// A had otherwise (a column B adds gets one value in every row).
  func uniqueColumns(_ table: RandomSchema.Table) -> [String] {
    let names = table.columns.map(\.name)
    return original.table(table.name).map { former in names.filter(former.has) } ?? names
  }

  static func describe(_ terms: [RandomSchema.IndexTerm]) -> String {
    "(" + terms.map(RandomSchema.sql).joined(separator: ", ") + ")"
  }

  // MARK: - Indexes

  var sharedIndexes: [Int] {
    schema.indexes.indices.filter { i in original.indexes.contains { $0.name == schema.indexes[i].name } }
  }

  mutating func addIndex() -> Bool {
    guard let table = generator.dice.element(of: schema.tables.filter { !$0.isLog }),
      let index = generator.index(on: table, uniqueColumns: uniqueColumns(table))
    else { return false }
    schema.indexes.append(index)
    let condition = index.predicate.map { " WHERE " + RandomSchema.sql($0) } ?? ""
    let unique = index.isUnique ? "UNIQUE " : ""
    record(.indexAdded, index.name, "\(unique)on \(table.name) \(Self.describe(index.terms))\(condition)")
    return true
  }

  mutating func removeIndex() -> Bool {
    guard let i = generator.dice.element(of: sharedIndexes) else { return false }
    let name = schema.indexes.remove(at: i).name
    forget([.indexChanged], name)
    record(.indexRemoved, name)
    return true
  }

  mutating func changeIndex() -> Bool {
    guard let i = generator.dice.element(of: sharedIndexes), let table = schema.table(schema.indexes[i].table) else {
      return false
    }
    let unique = uniqueColumns(table)
    var index = schema.indexes[i]
    let detail: String
    switch generator.dice.int(0...5) {
    case 0:
      let unused = table.columns.filter { column in !index.terms.contains { $0.column == column.name } }
      if index.terms.count >= 2 && (unused.isEmpty || generator.dice.chance(50)) {
        index.terms.remove(at: generator.dice.int(0...index.terms.count - 1))
      } else {
        guard let column = generator.dice.element(of: unused) else { return false }
        index.terms.append(generator.term(for: column))
      }
      detail = "\(Self.describe(schema.indexes[i].terms)) → \(Self.describe(index.terms))"
    case 1:
      index.isUnique.toggle()
      detail = index.isUnique ? "now UNIQUE" : "no longer UNIQUE"
    case 2:
      if index.predicate != nil && generator.dice.chance(50) {
        index.predicate = nil
        detail = "no longer partial"
      } else {
        let predicate = generator.predicate(on: table.columns.map(\.name))
        index.predicate = predicate
        detail = "now partial: WHERE \(RandomSchema.sql(predicate))"
      }
    case 3:
      let k = generator.dice.int(0...index.terms.count - 1)
      let isText = table.column(index.terms[k].column)?.kind != .integer
      index.terms[k].function =
        index.terms[k].function != nil ? nil : (isText && generator.dice.chance(60) ? "lower" : "length")
      detail = "\(RandomSchema.sql(schema.indexes[i].terms[k])) → \(RandomSchema.sql(index.terms[k]))"
    case 4:
      let k = generator.dice.int(0...index.terms.count - 1)
      index.terms[k].isDescending.toggle()
      detail = "\(RandomSchema.sql(schema.indexes[i].terms[k])) → \(RandomSchema.sql(index.terms[k]))"
    default:
      let textTerms = index.terms.indices.filter { table.column(index.terms[$0].column)?.kind == .text }
      guard let k = generator.dice.element(of: textTerms) else { return false }
      let old = index.terms[k].collation
      index.terms[k].collation = generator.dice.pick([nil, "NOCASE", "RTRIM"].filter { $0 != old })
      detail = "\(RandomSchema.sql(schema.indexes[i].terms[k])) → \(RandomSchema.sql(index.terms[k]))"
    }
    if index.isUnique && !Generator.canBeUnique(index.terms, in: table, uniqueColumns: unique) { return false }
    guard index != schema.indexes[i] else { return false }
    schema.indexes[i] = index
    record(.indexChanged, index.name, detail)
    return true
  }

  // MARK: - Views

  var sharedViews: [Int] { schema.views.indices.filter { original.view(schema.views[$0].name) != nil } }

  /// The columns a view may select from `source`, a table or a view.
  func outputs(of source: String) -> [String]? {
    schema.table(source)?.columns.map(\.name) ?? schema.view(source)?.outputs
  }

  mutating func addView() -> Bool {
    guard let view = generator.view(in: schema) else { return false }
    schema.views.append(view)
    record(.viewAdded, view.name, "reads \(view.source)" + (view.join.map { " and \($0.table)" } ?? ""))
    return true
  }

  mutating func removeView() -> Bool {
    guard let i = generator.dice.element(of: sharedViews) else { return false }
    let name = schema.views.remove(at: i).name
    forget([.viewChanged], name)
    record(.viewRemoved, name)
    return true
  }

  mutating func changeView() -> Bool {
    guard let i = generator.dice.element(of: sharedViews), let sourceOutputs = outputs(of: schema.views[i].source)
    else { return false }
    var view = schema.views[i]
    let detail: String
    switch generator.dice.int(0...3) {
    case 0:
      let join = view.join.flatMap { schema.table($0.table) }
      let side = join != nil && generator.dice.chance(50) ? 1 : 0
      let available = (side == 1 ? join?.columns.map(\.name) ?? [] : sourceOutputs).filter { name in
        !view.columns.contains { $0.side == side && $0.column == name }
      }
      guard let name = generator.dice.element(of: available) else { return false }
      let clashes = view.outputs.contains { $0.lowercased() == name.lowercased() }
      let alias =
        view.join != nil || clashes
        ? Generator.alias(name, prefix: side == 1 ? "joined" : "own", among: view.outputs) : nil
      view.columns.append(RandomSchema.ViewColumn(side: side, column: name, alias: alias))
      detail = "also selects \(name)"
    case 1:
      guard view.columns.count >= 2 else { return false }
      let removed = view.columns.remove(at: generator.dice.int(0...view.columns.count - 1))
      detail = "no longer selects \(removed.column)"
    case 2:
      if view.filter != nil && generator.dice.chance(50) {
        view.filter = nil
        detail = "no longer filtered"
      } else {
        let filter = generator.predicate(on: sourceOutputs)
        view.filter = filter
        detail = "WHERE \(RandomSchema.sql(filter))"
      }
    default:
      guard !view.countsRows else { return false }
      view.isDistinct.toggle()
      detail = view.isDistinct ? "now DISTINCT" : "no longer DISTINCT"
    }
    guard view != schema.views[i] else { return false }
    schema.views[i] = view
    record(.viewChanged, view.name, detail)
    return true
  }

  // MARK: - Triggers

  var sharedTriggers: [Int] {
    schema.triggers.indices.filter { i in original.triggers.contains { $0.name == schema.triggers[i].name } }
  }

  static func describe(_ event: RandomSchema.TriggerEvent, _ columns: [String]) -> String {
    switch event {
    case .insert: "INSERT"
    case .update: columns.isEmpty ? "UPDATE" : "UPDATE OF \(RandomSchema.list(columns))"
    case .delete: "DELETE"
    }
  }

  mutating func addTrigger() -> Bool {
    guard let trigger = generator.trigger(in: schema) else { return false }
    schema.triggers.append(trigger)
    let timing = trigger.isBefore ? "BEFORE" : "AFTER"
    record(
      .triggerAdded, trigger.name,
      "\(timing) \(Self.describe(trigger.event, trigger.updateColumns)) ON \(trigger.table)")
    return true
  }

  mutating func removeTrigger() -> Bool {
    guard let i = generator.dice.element(of: sharedTriggers) else { return false }
    let name = schema.triggers.remove(at: i).name
    forget([.triggerChanged], name)
    record(.triggerRemoved, name)
    return true
  }

  mutating func changeTrigger() -> Bool {
    guard let i = generator.dice.element(of: sharedTriggers), let table = schema.table(schema.triggers[i].table) else {
      return false
    }
    var trigger = schema.triggers[i]
    let detail: String
    switch generator.dice.int(0...3) {
    case 0:
      trigger.isBefore.toggle()
      detail = trigger.isBefore ? "now BEFORE" : "now AFTER"
    case 1:
      trigger.event = generator.dice.pick(RandomSchema.TriggerEvent.allCases.filter { $0 != trigger.event })
      trigger.updateColumns =
        trigger.event == .update && generator.dice.chance(40) ? [generator.dice.pick(table.columns).name] : []
      detail = "now on \(Self.describe(trigger.event, trigger.updateColumns))"
    case 2:
      if trigger.condition != nil && generator.dice.chance(50) {
        trigger.condition = nil
        detail = "no WHEN"
      } else {
        let column = generator.dice.pick(table.columns).name
        trigger.condition = column
        detail = "WHEN \(column) IS NOT NULL"
      }
    default:
      let k = generator.dice.int(0...trigger.actions.count - 1)
      trigger.actions[k] = generator.action(on: table, logTable: schema.logTable)
      detail = "body changed"
    }
    guard trigger != schema.triggers[i] else { return false }
    schema.triggers[i] = trigger
    record(.triggerChanged, trigger.name, detail)
    return true
  }
}
