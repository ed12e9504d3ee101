// Schema B: schema A after random changes. Each change is applied to a copy, then repaired
// (whatever names a vanished table or column is dropped or trimmed) and kept only if the
// result is a valid, different schema.

extension RandomSchema {
  /// One line of ``RandomSchemaPair/changes``.
  struct Change: Equatable {
    var kind: ChangeKind
    var subject: String
    var detail: String?

    var text: String { "\(kind.rawValue): \(subject)" + (detail.map { ": \($0)" } ?? "") }
  }

  struct Mutator {
    let original: Schema
    var schema: Schema
    var generator: Generator
    var changes: [Change] = []

    init(original: Schema, generator: Generator) {
      self.original = original
      self.schema = original
      self.generator = generator
    }

    /// Applies `times` changes of random kinds (fewer when few apply to this schema).
    mutating func mutate(times: Int) {
      var applied = 0
      var attempts = 0
      while applied < times && attempts < 100 {
        attempts += 1
        let saved = (schema, changes)
        if apply(generator.dice.pick(ChangeKind.allCases)) {
          repair()
          if schema.isValid && schema != saved.0 {
            applied += 1
            continue
          }
        }
        (schema, changes) = saved
      }
    }

    mutating func apply(_ kind: ChangeKind) -> Bool {
      switch kind {
      case .tableAdded: addTable()
      case .tableRemoved: removeTable()
      case .tableRenamedShape: renameTableShape()
      case .columnAddedAtEnd: addColumn(inMiddle: false)
      case .columnAddedInMiddle: addColumn(inMiddle: true)
      case .columnRemoved: removeColumn()
      case .columnRenamedShape: renameColumnShape()
      case .columnTypeChanged: changeType()
      case .notNullAdded: changeNotNull(to: true)
      case .notNullRemoved: changeNotNull(to: false)
      case .defaultAdded: addDefault()
      case .defaultChanged: changeDefault()
      case .defaultRemoved: removeDefault()
      case .collationChanged: changeCollation()
      case .primaryKeyChanged: changePrimaryKey()
      case .withoutRowidChanged: toggleWithoutRowid()
      case .uniqueAdded: addUnique()
      case .uniqueRemoved: removeUnique()
      case .indexAdded: addIndex()
      case .indexRemoved: removeIndex()
      case .indexChanged: changeIndex()
      case .foreignKeyAdded: addForeignKey()
      case .foreignKeyRemoved: removeForeignKey()
      case .foreignKeyChanged: changeForeignKey()
      case .checkAdded: addCheck()
      case .checkRemoved: removeCheck()
      case .checkChanged: changeCheck()
      case .viewAdded: addView()
      case .viewRemoved: removeView()
      case .viewChanged: changeView()
      case .triggerAdded: addTrigger()
      case .triggerRemoved: removeTrigger()
      case .triggerChanged: changeTrigger()
      }
    }

    // MARK: - Bookkeeping

    mutating func record(_ kind: ChangeKind, _ subject: String, _ detail: String? = nil) {
      changes.append(Change(kind: kind, subject: subject, detail: detail))
    }

    /// Forgets earlier changes of `kinds` to `subject` (an object B added and then lost).
    mutating func forget(_ kinds: [ChangeKind], _ subject: String) {
      changes.removeAll { kinds.contains($0.kind) && $0.subject == subject }
    }

    // MARK: - What A and B share

    /// Indices of B's tables that A has too, the log table aside.
    var keptTables: [Int] {
      schema.tables.indices.filter { !schema.tables[$0].isLog && original.table(schema.tables[$0].name) != nil }
    }

    /// Positions of B's columns that A has too (same table, same name), the log table aside.
    var keptColumns: [(table: Int, column: Int)] {
      keptTables.flatMap { t in
        schema.tables[t].columns.indices.filter { former(t, $0) != nil }.map { (t, $0) }
      }
    }

    /// A's version of B's table `t`.
    func former(_ t: Int) -> Table? { original.table(schema.tables[t].name) }

    /// A's version of B's column `c` of table `t`.
    func former(_ t: Int, _ c: Int) -> Column? { former(t)?.column(schema.tables[t].columns[c].name) }

    func subject(_ t: Int, _ c: Int) -> String { "\(schema.tables[t].name).\(schema.tables[t].columns[c].name)" }

    /// True when a foreign key of A or B references `table`.`column` (any column when nil).
    func isReferenced(_ table: String, _ column: String? = nil) -> Bool {
      [original, schema].contains { schema in
        schema.tables.contains { child in
          child.columns.contains { $0.reference?.table == table && (column == nil || $0.reference?.column == column) }
        }
      }
    }

    /// True when `column` is part of the primary key of table `t` in A or B.
    func isPrimaryKey(_ t: Int, _ column: String) -> Bool {
      schema.tables[t].primaryKey.contains(column) || former(t)?.primaryKey.contains(column) == true
    }

    /// True when rows must hold distinct values in column `c` of table `t`, in A or B.
    func isUniqueish(_ t: Int, _ c: Int) -> Bool {
      let name = schema.tables[t].columns[c].name
      return schema.isUniqueish(schema.tables[t], name) || former(t).map { original.isUniqueish($0, name) } == true
    }

    /// Names a new column of table `t` may not take: its own and those A had.
    func takenColumnNames(_ t: Int) -> [String] {
      schema.tables[t].columns.map(\.name) + (former(t)?.columns.map(\.name) ?? [])
    }

    /// Where a foreign key of B's table `t` may point so that its rows can keep their values:
    /// a table B adds, or one A had before `t` (or `t` itself), the log table aside.
    func parents(of t: Int, kind: ValueKind) -> [(table: String, column: String)] {
      let childPosition = original.tableIndex(schema.tables[t].name) ?? Int.max
      return schema.tables.indices.flatMap { p -> [(table: String, column: String)] in
        let parent = schema.tables[p]
        let position = original.tableIndex(parent.name)
        guard position == nil || position.map({ $0 < childPosition }) == true || p == t else { return [] }
        return parent.keyColumns.filter { parent.column($0)?.kind == kind }.map { (parent.name, $0) }
      }
    }
  }
}
