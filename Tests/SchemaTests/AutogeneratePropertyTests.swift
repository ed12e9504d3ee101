import Runner
import Schema
import TestSupport
import Testing

/// Random pairs of schemas with random rows: the generated upgrade reaches the declared
/// schema and keeps every kept value; the downgrade brings the original schema and the kept
/// values back.
@Suite struct AutogeneratePropertyTests {
  @Test(arguments: 0..<UInt64(300))
  func upgradeAndDowngradeKeepSchemaAndData(seed: UInt64) throws {
    let pair = RandomSchema.pair(seed: seed)
    let head = try SchemaHarness.catalog(pair.from)
    let declared = try SchemaHarness.catalog(pair.to)
    // A column that becomes NOT NULL has its NULLs filled (with a warning): its values may change.
    var filled = Set<String>()
    for table in declared.tables {
      for column in table.columns where column.notNull {
        if let before = head.table(table.name)?.column(column.name), !before.notNull {
          filled.insert("\(table.name.lowercased()).\(column.name.lowercased())")
        }
      }
    }
    let migration = try SchemaHarness.roundTrip(
      from: pair.from, to: pair.to, rows: pair.rows, changedColumns: filled)
    // Only the data-destroying changes are marked destructive, and every one of them is.
    let drops = migration.upgrade.warnings.filter { $0.hasPrefix("destructive:") }.count
    let dropped =
      head.tables.filter { declared.table($0.name) == nil }.count
      + head.tables.reduce(0) { count, table in
        guard let target = declared.table(table.name) else { return count }
        return count + table.columns.filter { $0.generated == nil && target.column($0.name) == nil }.count
      }
    #expect(drops == dropped, "seed \(seed): \(pair.changes)\n\(migration.upgrade.sql)")
  }

  @Test func everyChangeKindIsDetected() throws {
    // Over the seeds, each kind of change the generator makes shows up in some diff.
    var seen = Set<String>()
    for seed in UInt64(0)..<300 {
      let pair = RandomSchema.pair(seed: seed)
      let diff = SchemaDiff(from: try SchemaHarness.catalog(pair.from), to: try SchemaHarness.catalog(pair.to))
      #expect(!diff.isEmpty, "seed \(seed): \(pair.changes) gave no difference")
      for line in diff.lines { seen.insert(Self.category(line)) }
    }
    let expected: Set<String> = [
      "+ table", "- table", "~ table", "+ column", "- column", "type", "NOT NULL", "DEFAULT", "COLLATE",
      "primary key", "UNIQUE", "PRIMARY KEY", "FOREIGN KEY", "CHECK", "WITHOUT ROWID", "+ index", "- index",
      "~ index", "+ view", "- view", "~ view", "+ trigger", "- trigger", "~ trigger",
    ]
    #expect(expected.subtracting(seen) == [])
  }

  /// The kind of a diff line, e.g. `+ column`, `NOT NULL`, `~ index`.
  static func category(_ line: String) -> String {
    let text = line.trimmingCharacters(in: .whitespaces)
    for word in ["type", "NOT NULL", "DEFAULT", "COLLATE", "primary key part", "not in the primary key"]
    where text.hasPrefix("column ") && text.contains(": \(word)") {
      return word.hasSuffix("primary key") || word.hasPrefix("primary key") ? "primary key" : word
    }
    if text.hasPrefix("column ") && text.contains("primary key") { return "primary key" }
    if text.hasPrefix("column ") && text.contains("CHECK") { return "CHECK" }
    for word in ["UNIQUE", "PRIMARY KEY", "FOREIGN KEY", "CHECK", "WITHOUT ROWID"]
    where text.hasPrefix("+ \(word)") || text.hasPrefix("- \(word)") {
      return word
    }
    return String(text.prefix(while: { $0 != " " })) + " "
      + String(text.dropFirst(2).prefix(while: { $0 != " " }))
  }
}
