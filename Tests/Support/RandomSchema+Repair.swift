// Keeping B consistent: renames rewrite every reference, repairs drop or trim whatever still
// names a table or column B no longer has (and record it when A had that object).

extension RandomSchema.Mutator {
  /// Renames table `old` everywhere B names it, as `ALTER TABLE … RENAME TO` would.
  mutating func renameTable(_ old: String, to new: String) {
    for t in schema.tables.indices {
      if schema.tables[t].name == old { schema.tables[t].name = new }
      for c in schema.tables[t].columns.indices where schema.tables[t].columns[c].reference?.table == old {
        schema.tables[t].columns[c].reference?.table = new
      }
    }
    for i in schema.indexes.indices where schema.indexes[i].table == old { schema.indexes[i].table = new }
    for i in schema.triggers.indices where schema.triggers[i].table == old { schema.triggers[i].table = new }
    for i in schema.views.indices {
      if schema.views[i].source == old { schema.views[i].source = new }
      if schema.views[i].join?.table == old { schema.views[i].join?.table = new }
    }
  }

  /// Renames column `old` of table `t` everywhere B names it; views keep their output names.
  mutating func renameColumn(of t: Int, _ old: String, to new: String) {
    func swap(_ name: String) -> String { name == old ? new : name }
    let table = schema.tables[t].name
    schema.tables[t].primaryKey = schema.tables[t].primaryKey.map(swap)
    schema.tables[t].uniques = schema.tables[t].uniques.map { $0.map(swap) }
    for k in schema.tables[t].checks.indices {
      schema.tables[t].checks[k].columns = schema.tables[t].checks[k].columns.map(swap)
    }
    for c in schema.tables[t].columns.indices {
      if schema.tables[t].columns[c].name == old { schema.tables[t].columns[c].name = new }
      if let check = schema.tables[t].columns[c].check {
        schema.tables[t].columns[c].check?.columns = check.columns.map(swap)
      }
    }
    for i in schema.indexes.indices where schema.indexes[i].table == table {
      for k in schema.indexes[i].terms.indices {
        schema.indexes[i].terms[k].column = swap(schema.indexes[i].terms[k].column)
      }
      if let predicate = schema.indexes[i].predicate { schema.indexes[i].predicate?.column = swap(predicate.column) }
    }
    for i in schema.views.indices {
      var view = schema.views[i]
      for side in [0, 1] where (side == 0 ? view.source : view.join?.table) == table {
        for k in view.columns.indices where view.columns[k].side == side && view.columns[k].column == old {
          view.columns[k].alias = view.columns[k].alias ?? old
          view.columns[k].column = new
        }
      }
      if view.source == table {
        if let filter = view.filter { view.filter?.column = swap(filter.column) }
        if let join = view.join { view.join?.leftColumn = swap(join.leftColumn) }
      }
      if view.join?.table == table, let join = view.join { view.join?.rightColumn = swap(join.rightColumn) }
      schema.views[i] = view
    }
    for i in schema.triggers.indices where schema.triggers[i].table == table {
      var trigger = schema.triggers[i]
      trigger.updateColumns = trigger.updateColumns.map(swap)
      trigger.condition = trigger.condition.map(swap)
      trigger.actions = trigger.actions.map { action in
        switch action {
        case .ignore: .ignore
        case .abortIfForbidden(let column): .abortIfForbidden(swap(column))
        case .touch(let column): .touch(swap(column))
        case .log(let column): .log(swap(column))
        }
      }
      schema.triggers[i] = trigger
    }
  }

  /// Drops or trims whatever names a table or column B no longer has.
  mutating func repair() {
    repairTables()
    repairIndexes()
    repairViews()
    repairTriggers()
  }

  private mutating func repairTables() {
    for t in schema.tables.indices {
      let table = schema.tables[t]
      let former = original.table(table.name)
      for set in table.uniques where !set.allSatisfy(table.has) {
        schema.tables[t].uniques.removeAll { $0 == set }
        if former?.uniques.contains(set) == true {
          record(.uniqueRemoved, "\(table.name) \(Self.describe(set))", "a column is gone")
        }
      }
      for check in table.checks where !check.columns.allSatisfy(table.has) {
        schema.tables[t].checks.removeAll { $0 == check }
        if former?.checks.contains(check) == true {
          record(.checkRemoved, table.name, "CHECK (\(RandomSchema.sql(check))): a column is gone")
        }
      }
      for c in table.columns.indices {
        guard let reference = table.columns[c].reference else { continue }
        if let parent = schema.table(reference.table), parent.has(reference.column), parent.isKey(reference.column) {
          continue
        }
        schema.tables[t].columns[c].reference = nil
        if former?.column(table.columns[c].name)?.reference != nil {
          forget([.foreignKeyChanged], subject(t, c))
          record(.foreignKeyRemoved, subject(t, c), "\(Self.describe(reference)) is no longer a key")
        } else {
          forget([.foreignKeyAdded], subject(t, c))
        }
      }
    }
  }

  private mutating func repairIndexes() {
    var kept: [RandomSchema.Index] = []
    for index in schema.indexes {
      let wasInA = original.indexes.contains { $0.name == index.name }
      if let table = schema.table(index.table), index.columns.allSatisfy(table.has) {
        kept.append(index)
      } else if wasInA && schema.table(index.table) != nil {
        forget([.indexChanged], index.name)
        record(.indexRemoved, index.name, "a column is gone")
      } else {
        // Gone with its table: a removed table says it all.
        forget([.indexAdded, .indexChanged], index.name)
      }
    }
    schema.indexes = kept
  }

  private mutating func repairViews() {
    var kept: [RandomSchema.View] = []
    for var view in schema.views {
      let before = view
      let wasInA = original.view(view.name) != nil
      let sourceOutputs =
        schema.table(view.source)?.columns.map(\.name) ?? kept.first { $0.name == view.source }?.outputs
      let joined = view.join.flatMap { schema.table($0.table) }
      var isValid = sourceOutputs != nil
      if let join = view.join {
        isValid = isValid && joined?.has(join.rightColumn) == true && sourceOutputs?.contains(join.leftColumn) == true
      }
      if let filter = view.filter, sourceOutputs?.contains(filter.column) != true { view.filter = nil }
      view.columns.removeAll { column in
        let available = column.side == 0 ? sourceOutputs : joined?.columns.map(\.name)
        return available?.contains(column.column) != true
      }
      if isValid && !view.columns.isEmpty {
        if wasInA && view != before { record(.viewChanged, view.name, "follows what it reads") }
        kept.append(view)
      } else if wasInA {
        forget([.viewChanged], view.name)
        record(.viewRemoved, view.name, "what it reads is gone")
      } else {
        forget([.viewAdded, .viewChanged], view.name)
      }
    }
    schema.views = kept
  }

  private mutating func repairTriggers() {
    let logTable = schema.logTable
    var kept: [RandomSchema.Trigger] = []
    for trigger in schema.triggers {
      let wasInA = original.triggers.contains { $0.name == trigger.name }
      let logs = trigger.actions.contains { if case .log = $0 { true } else { false } }
      if let table = schema.table(trigger.table), trigger.columns.allSatisfy(table.has), !logs || logTable != nil {
        kept.append(trigger)
      } else if wasInA && schema.table(trigger.table) != nil {
        forget([.triggerChanged], trigger.name)
        record(.triggerRemoved, trigger.name, "a column is gone")
      } else {
        forget([.triggerAdded, .triggerChanged], trigger.name)
      }
    }
    schema.triggers = kept
  }
}
