// Random pieces of schema: tables, columns, indexes, views and triggers. Schema A is made of
// them; mutations use them to add to schema B.

extension RandomSchema {
  /// Seeded choices; no Set or Dictionary order ever reaches the output.
  struct Dice {
    var rng: SplitMix64

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    /// One of `items`, which must not be empty.
    mutating func pick<T>(_ items: [T]) -> T {
      precondition(!items.isEmpty, "nothing to pick from")
      return items[int(0...items.count - 1)]
    }

    mutating func element<T>(of items: [T]) -> T? { items.isEmpty ? nil : pick(items) }

    /// `count` distinct elements of `items`, in their order there.
    mutating func sample<T>(_ items: [T], count: Int) -> [T] {
      var indices = Array(items.indices)
      var chosen: [Int] = []
      for _ in 0..<min(count, items.count) { chosen.append(indices.remove(at: int(0...indices.count - 1))) }
      return chosen.sorted().map { items[$0] }
    }
  }

  /// Names of tables, indexes, views and triggers, unique without regard to case.
  struct NameBook {
    private var used: [String] = []

    func isUsed(_ name: String) -> Bool { used.contains(name.lowercased()) }

    /// `base`, or `base_2`, `base_3`… when taken; the result is taken from now on.
    mutating func claim(_ base: String) -> String {
      var name = base
      var suffix = 2
      while isUsed(name) {
        name = "\(base)_\(suffix)"
        suffix += 1
      }
      used.append(name.lowercased())
      return name
    }
  }

  struct Generator {
    var dice: Dice
    var names = NameBook()

    init(seed: UInt64) { dice = Dice(rng: SplitMix64(seed: seed)) }

    static let plainTables = [
      "users", "orders", "products", "invoices", "payments", "tags", "notes", "events", "accounts", "projects",
      "tasks", "comments", "teams", "shipments", "reviews",
    ]
    static let quotedTables = ["Customers", "order", "Order Items", "group", "LineItems", "user data"]
    static let plainColumns: [(String, ValueKind)] = [
      ("name", .text), ("email", .text), ("title", .text), ("status", .text), ("total", .integer),
      ("price", .integer), ("qty", .integer), ("note", .text), ("created_at", .text), ("score", .integer),
      ("label", .text), ("amount", .integer), ("body", .text), ("payload", .any), ("data", .any),
      ("rank", .integer), ("flags", .integer), ("city", .text), ("color", .text), ("weight", .integer),
    ]
    static let quotedColumns: [(String, ValueKind)] = [
      ("Display Name", .text), ("order", .integer), ("key", .text), ("ZipCode", .text), ("group", .text),
      ("Last Login", .any), ("values", .integer),
    ]
    static let collations = ["NOCASE", "RTRIM", "BINARY"]
    static let actions = ["CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"]

    mutating func tableName() -> String {
      let pool = dice.chance(12) ? Self.quotedTables : Self.plainTables
      let free = pool.filter { !names.isUsed($0) }
      return names.claim(dice.element(of: free) ?? "extra")
    }

    /// A column name absent from `taken` (compared without case), with the kind it suggests.
    mutating func columnName(avoiding taken: [String]) -> (String, ValueKind) {
      let lowered = taken.map { $0.lowercased() }
      let pool = dice.chance(10) ? Self.quotedColumns : Self.plainColumns
      let free = pool.filter { !lowered.contains($0.0.lowercased()) }
      var (name, kind) = dice.element(of: free) ?? ("c\(taken.count)", .text)
      while lowered.contains(name.lowercased()) { name += "_x" }
      if dice.chance(15) { kind = dice.pick([.integer, .text, .any]) }
      return (name, kind)
    }

    mutating func defaultValue(for kind: ValueKind, isNotNull: Bool) -> String {
      let values: [String] =
        switch kind {
        case .integer: ["0", "-1", "42", "(1 + 1)", "(abs(-7))", "NULL"]
        case .text: ["'none'", "''", "'it''s'", "CURRENT_TIMESTAMP", "('a' || 'b')", "NULL"]
        case .any: ["X''", "0", "'none'", "NULL"]
        }
      return dice.pick(isNotNull ? values.filter { $0 != "NULL" } : values)
    }

    /// A column with random constraints. A fresh column is added to a table that has rows, so
    /// it is never UNIQUE with a value every row would share.
    mutating func column(named name: String, kind: ValueKind, isFresh: Bool) -> Column {
      var column = Column(name: name, kind: kind, type: dice.pick(dice.chance(80) ? kind.naturalTypes : kind.types))
      column.isNotNull = dice.chance(25)
      if dice.chance(30) { column.defaultValue = defaultValue(for: kind, isNotNull: column.isNotNull) }
      if kind != .integer && dice.chance(15) { column.collation = dice.pick(Self.collations) }
      column.isUnique = dice.chance(10)
      if dice.chance(12) {
        column.check = Check(
          template: dice.int(0...11), columns: [name], name: dice.chance(20) ? "ck_\(slug(name))" : nil)
      }
      if isFresh && column.isUnique {
        column.isNotNull = false
        column.defaultValue = nil
      } else if isFresh && column.isNotNull && column.defaultValue == nil && dice.chance(75) {
        column.defaultValue = defaultValue(for: kind, isNotNull: true)
      }
      return column
    }

    /// A new column of `table` referencing a key of `parent`, with no default.
    mutating func referencingColumn(to parent: Table, avoiding taken: [String], isFresh: Bool) -> Column? {
      guard let key = dice.element(of: parent.keyColumns), let keyColumn = parent.column(key) else { return nil }
      let lowered = taken.map { $0.lowercased() }
      var name = "\(slug(parent.name))_\(slug(key))"
      while lowered.contains(name) { name += "_2" }
      // SQLite finds no parent for a REAL child of an INTEGER PRIMARY KEY (2.0 is not rowid 2).
      let types = keyColumn.kind.naturalTypes.filter { $0 != "REAL" }
      var column = Column(name: name, kind: keyColumn.kind, type: dice.pick(types))
      column.isNotNull = !isFresh && dice.chance(20)
      column.reference = reference(to: parent.name, column: key)
      return column
    }

    mutating func reference(to table: String, column: String) -> Reference {
      Reference(
        table: table, column: column, onDelete: dice.chance(60) ? dice.pick(Self.actions) : nil,
        onUpdate: dice.chance(25) ? dice.pick(Self.actions) : nil, isTableLevel: dice.chance(30))
    }

    mutating func check(on columns: [String]) -> Check {
      Check(template: dice.int(0...11), columns: columns, name: dice.chance(25) ? names.claim("ck_constraint") : nil)
    }

    /// The table triggers log into: its rows come only from those triggers.
    mutating func logTable() -> Table {
      var table = Table(name: names.claim(dice.chance(20) ? "Audit Log" : "audit_log"), isLog: true)
      table.columns = [
        Column(name: "id", kind: .integer, type: "INTEGER"),
        Column(name: "tbl", kind: .text, type: "TEXT", isNotNull: true),
        Column(name: "ref", kind: .any, type: nil),
        Column(name: "at", kind: .text, type: "TEXT", defaultValue: "CURRENT_TIMESTAMP"),
      ]
      table.primaryKey = ["id"]
      table.isPrimaryKeyInline = true
      return table
    }

    /// A table whose foreign keys reference `earlier` tables (or itself).
    mutating func table(after earlier: [Table]) -> Table {
      var table = Table(name: tableName())
      let style = dice.int(0...99)
      if style < 65 {
        table.columns.append(Column(name: "id", kind: .integer, type: "INTEGER", isNotNull: dice.chance(5)))
        table.primaryKey = ["id"]
      } else if style < 75 {
        let name = dice.pick(["code", "sku", "slug"])
        table.columns.append(Column(name: name, kind: .text, type: dice.pick(["TEXT", "VARCHAR(20)"])))
        table.columns[0].isNotNull = dice.chance(50)
        table.primaryKey = [name]
      }
      table.isPrimaryKeyInline = !table.primaryKey.isEmpty && dice.chance(85)
      for _ in 0..<dice.int(style >= 75 && style < 90 ? 2...4 : 1...4) {
        let (name, kind) = columnName(avoiding: table.columns.map(\.name))
        table.columns.append(column(named: name, kind: kind, isFresh: false))
      }
      let parents = earlier.filter { !$0.keyColumns.isEmpty }
      if let parent = dice.element(of: parents), dice.chance(55),
        let column = referencingColumn(to: parent, avoiding: table.columns.map(\.name), isFresh: false)
      {
        table.columns.insert(column, at: dice.int(1...table.columns.count))
      }
      if table.primaryKey == ["id"] && dice.chance(10) && !table.hasName("parent_id") {
        var column = Column(name: "parent_id", kind: .integer, type: "INTEGER")
        column.reference = reference(to: table.name, column: "id")
        table.columns.append(column)
      }
      if style >= 75 && style < 90 {
        table.primaryKey = dice.sample(table.columns, count: 2).map(\.name)
      }
      table.isWithoutRowid = !table.primaryKey.isEmpty && dice.chance(12)
      if table.columns.count >= 2 && dice.chance(12) {
        let pair = dice.sample(table.columns, count: 2).map(\.name)
        if pair != table.primaryKey { table.uniques.append(pair) }
      }
      if dice.chance(15) {
        table.checks.append(check(on: dice.sample(table.columns, count: dice.int(1...2)).map(\.name)))
      }
      return table
    }
  }
}
