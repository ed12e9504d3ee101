// Rows for schema A that also fit B on the columns both keep, and still fit A after a round
// trip through B (the downgrade gives columns B dropped one value in every row).

extension RandomSchema {
  enum Value: Hashable {
    case null
    case integer(Int)
    case text(String)
    case blob(String)
    /// The one value a migration gives every row in a column (a DEFAULT or a zero value):
    /// only compared, never written.
    case filled(String)

    var sql: String {
      switch self {
      case .null, .filled: "NULL"
      case .integer(let number): String(number)
      case .text(let text): RandomSchema.literal(text)
      case .blob(let hex): "X'\(hex)'"
      }
    }
  }

  struct RowBuilder {
    let from: Schema
    let to: Schema
    var dice: Dice
    var counter = 0
    /// Rows made so far, by table; looked up, never iterated, so the output stays deterministic.
    var made: [String: [[Value]]] = [:]

    /// INSERT statements for every table of A but the log table, parents first.
    mutating func inserts() -> String {
      var lines: [String] = []
      for table in from.tables where !table.isLog {
        let rows = rows(for: table)
        made[table.name] = rows
        let names = RandomSchema.list(table.columns.map(\.name))
        for row in rows {
          let values = row.map(\.sql).joined(separator: ", ")
          lines.append("INSERT INTO \(RandomSchema.quoted(table.name)) (\(names)) VALUES (\(values));")
        }
      }
      return lines.map { $0 + "\n" }.joined()
    }

    /// For each table in both schemas, the columns in both, in A's order.
    var keptColumns: [String: [String]] {
      var kept: [String: [String]] = [:]
      for table in from.tables {
        if let later = to.table(table.name) { kept[table.name] = table.columns.map(\.name).filter(later.has) }
      }
      return kept
    }

    mutating func fresh(_ kind: ValueKind) -> Value {
      counter += 1
      let roll = kind == .any ? dice.int(0...2) : (kind == .integer ? 0 : 1)
      switch roll {
      case 0: return .integer(1000 + counter)
      case 1: return .text("v\(counter)x")
      default:
        let hex = String(counter, radix: 16)
        return .blob("00ff" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex)
      }
    }

    /// 0–8 rows, fewer when no further row fits.
    mutating func rows(for table: Table) -> [[Value]] {
      let later = to.table(table.name)
      let count = dice.int(0...8)
      var rows: [[Value]] = []
      filling: while rows.count < count {
        for _ in 0..<6 {
          guard let row = row(rows.count, of: table, later: later, earlier: rows) else { break filling }
          if fits(row, earlier: rows, table: table, later: later) {
            rows.append(row)
            continue filling
          }
        }
        break
      }
      return referencesSurviveFills(table, later: later) ? rows : []
    }

    /// Row `number` of `table`, or nil when a column must hold a value it cannot have.
    mutating func row(_ number: Int, of table: Table, later: Table?, earlier: [[Value]]) -> [Value]? {
      var row: [Value] = []
      for column in table.columns {
        let next = later?.column(column.name)
        let isKey = table.primaryKey.contains(column.name) || later?.primaryKey.contains(column.name) == true
        let hasReference = column.reference != nil || next?.reference != nil
        let gainsNotNull = next?.isNotNull == true && !column.isNotNull
        let mustHold = column.isNotNull || isKey || (gainsNotNull && hasReference)
        if table.primaryKey == [column.name] && column.kind == .integer && !hasReference {
          row.append(.integer(number + 1))
        } else if hasReference {
          let candidates = parentValues(column.reference, next?.reference, of: table, earlier: earlier, partial: row)
          if !candidates.isEmpty && (mustHold || !dice.chance(25)) {
            row.append(dice.pick(candidates))
          } else if mustHold {
            return nil
          } else {
            row.append(.null)
          }
        } else {
          row.append(!mustHold && dice.chance(20) ? .null : fresh(column.kind))
        }
      }
      return row
    }

    /// Values a foreign-key column may hold: the parent's keys when A and B agree on the parent
    /// and both keep it (its rows then survive both ways); none otherwise.
    func parentValues(
      _ before: Reference?, _ after: Reference?, of table: Table, earlier: [[Value]], partial: [Value]
    ) -> [Value] {
      guard let reference = before ?? after else { return [] }
      if let before, let after, before.table != after.table || before.column != after.column { return [] }
      guard let parent = from.table(reference.table), let key = parent.columnIndex(reference.column),
        to.table(reference.table)?.has(reference.column) == true
      else { return [] }
      let rows = parent.name == table.name ? earlier + (key < partial.count ? [partial] : []) : made[parent.name] ?? []
      return rows.map { $0[key] }.filter { $0 != .null }
    }

    /// The value column `column` of A holds after the upgrade and, when B drops it, after the
    /// downgrade puts it back.
    func settled(_ value: Value, _ column: Column, later: Table?) -> Value {
      guard let later else { return value }
      guard let next = later.column(column.name) else { return column.isFilledWhenAdded ? .filled(column.name) : .null }
      return value == .null && next.isNotNull ? .filled(column.name) : value
    }

    /// True when `row` repeats no key of A or B among `earlier`: A's keys on the values as
    /// inserted and as they are after a round trip through B, B's on the values after the upgrade.
    func fits(_ row: [Value], earlier: [[Value]], table: Table, later: Table?) -> Bool {
      func key(_ row: [Value], _ set: [String], of owner: Table, settling: Bool) -> [Value] {
        set.map { name in
          guard let i = table.columnIndex(name) else {
            return owner.column(name)?.isFilledWhenAdded == true ? .filled("new " + name) : .null
          }
          return settling ? settled(row[i], table.columns[i], later: later) : row[i]
        }
      }
      var checks: [(set: [String], owner: Table, settling: Bool)] = []
      for set in from.uniqueSets(table) { checks += [(set, table, false), (set, table, true)] }
      if let later { checks += to.uniqueSets(later).map { ($0, later, true) } }
      for (set, owner, settling) in checks {
        let values = key(row, set, of: owner, settling: settling)
        if values.contains(.null) { continue }
        if earlier.contains(where: { key($0, set, of: owner, settling: settling) == values }) { return false }
      }
      return true
    }

    /// False when a migration would give a foreign-key column of a row a value with no parent:
    /// a column B adds (or A had and B drops) that every row gets a non-NULL value in.
    func referencesSurviveFills(_ table: Table, later: Table?) -> Bool {
      guard let later else { return true }
      let added = later.columns.filter { $0.reference != nil && !table.has($0.name) && $0.isFilledWhenAdded }
      let dropped = table.columns.filter { $0.reference != nil && !later.has($0.name) && $0.isFilledWhenAdded }
      return added.isEmpty && dropped.isEmpty
    }
  }
}
