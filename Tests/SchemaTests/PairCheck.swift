import Runner
import Schema
import TestSupport

/// Loads a ``RandomSchemaPair`` into SQLite and checks what the generator promises.
enum PairCheck {
  /// A check that failed, with what SQLite said.
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Loads A and its rows, copies the kept columns into B and back into a fresh A (a NULL in a
  /// column that is NOT NULL there becomes its default or 0, as a migration would fill it), and
  /// checks each database.
  static func verify(_ pair: RandomSchemaPair) throws {
    let a = try database(pair.from, "from")
    try a.execute("PRAGMA foreign_keys = ON")
    try run(pair.rows, on: a, "rows")
    try a.execute("PRAGMA foreign_keys = OFF")
    try expectSound(a, "A")
    let b = try database(pair.to, "to")
    try copyKeptRows(pair.keptColumns, from: a, to: b)
    try expectSound(b, "B")
    let back = try database(pair.from, "from")
    try copyKeptRows(pair.keptColumns, from: b, to: back)
    try expectSound(back, "A after B")
  }

  static func database(_ script: String, _ what: String) throws -> SQLiteConnection {
    let db = try SQLiteConnection(path: ":memory:", mode: .readWriteCreate)
    try run(script, on: db, what)
    return db
  }

  static func run(_ script: String, on db: SQLiteConnection, _ what: String) throws {
    do {
      try db.executeScript(script)
    } catch {
      throw Failure(description: "\(what), line \(error.line): \(error.message)\n\(error.statement)")
    }
  }

  static func quoted(_ name: String) -> String { SQLName.quoted(name) }

  static func names(_ type: String, in db: SQLiteConnection) throws -> [String] {
    try db.column(
      "SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite%' ORDER BY name", [.text(type)])
  }

  /// Foreign keys and integrity hold, every view reads, an ALTER TABLE (which re-reads every
  /// view and trigger) succeeds, and each table's triggers run on an update, a delete and an insert.
  static func expectSound(_ db: SQLiteConnection, _ what: String) throws {
    let violations = try db.column("PRAGMA foreign_key_check")
    guard violations.isEmpty else { throw Failure(description: "\(what): foreign keys broken in \(violations)") }
    let integrity = try db.column("PRAGMA integrity_check").filter { try !isFalseNull($0, in: db) }
    guard integrity.isEmpty || integrity == ["ok"] else {
      throw Failure(description: "\(what): integrity: \(integrity)")
    }
    for view in try names("view", in: db) {
      let statement = try db.prepare("SELECT * FROM \(quoted(view))")
      while try statement.step() {}
    }
    try run(
      "CREATE TABLE schema_probe (x); ALTER TABLE schema_probe RENAME TO schema_probe_2; DROP TABLE schema_probe_2;",
      on: db, "\(what): rename probe")
    for table in try names("table", in: db) {
      let columns = try tableInfo(table, in: db).map { quoted($0.name) }
      let name = quoted(table)
      try run(
        """
        SAVEPOINT probe;
        UPDATE \(name) SET \(columns.map { "\($0) = \($0)" }.joined(separator: ", "));
        CREATE TEMP TABLE probe_rows AS SELECT * FROM \(name);
        DELETE FROM \(name);
        INSERT INTO \(name) SELECT * FROM probe_rows;
        ROLLBACK TO probe;
        RELEASE probe;
        """, on: db, "\(what): triggers of \(table)")
    }
  }

  /// True for SQLite 3.40–3.41's false "NULL value in t.c" on WITHOUT ROWID tables whose
  /// NOT NULL columns come before primary-key columns: `t.c` holds no NULL after all.
  static func isFalseNull(_ line: String, in db: SQLiteConnection) throws -> Bool {
    let prefix = "NULL value in "
    guard line.hasPrefix(prefix) else { return false }
    for table in try names("table", in: db) {
      for column in try tableInfo(table, in: db) where "\(prefix)\(table).\(column.name)" == line {
        let nulls = try db.scalarInt("SELECT count(*) FROM \(quoted(table)) WHERE \(quoted(column.name)) IS NULL")
        return nulls == 0
      }
    }
    return false
  }

  static func tableInfo(_ table: String, in db: SQLiteConnection) throws -> [(
    name: String, isNotNull: Bool, defaultValue: String?
  )] {
    let statement = try db.prepare("SELECT name, \"notnull\", dflt_value FROM pragma_table_info(?)")
    try statement.bind([.text(table)])
    var columns: [(name: String, isNotNull: Bool, defaultValue: String?)] = []
    while try statement.step() { columns.append((statement.text(0) ?? "", statement.int(1) != 0, statement.text(2))) }
    return columns
  }

  /// Copies the kept columns of every kept table, with the target's triggers dropped meanwhile.
  static func copyKeptRows(
    _ kept: [String: [String]], from source: SQLiteConnection, to target: SQLiteConnection
  ) throws {
    let triggers = try target.column(
      "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY name")
    for trigger in try names("trigger", in: target) { try target.execute("DROP TRIGGER \(quoted(trigger))") }
    for table in kept.keys.sorted() {
      let columns = kept[table] ?? []
      let info = try tableInfo(table, in: target)
      let select =
        "SELECT \((columns.map { "quote(\(quoted($0)))" } + ["1"]).joined(separator: ", ")) FROM \(quoted(table))"
      let rows = try source.prepare(select)
      while try rows.step() {
        var names: [String] = []
        var values: [String] = []
        for column in info {
          if let k = columns.firstIndex(of: column.name) {
            let value = rows.text(Int32(k)) ?? "NULL"
            values.append(value == "NULL" && column.isNotNull ? column.defaultValue ?? "0" : value)
          } else if column.isNotNull && column.defaultValue == nil {
            values.append("0")
          } else {
            continue
          }
          names.append(quoted(column.name))
        }
        let insert =
          names.isEmpty
          ? "INSERT INTO \(quoted(table)) DEFAULT VALUES;"
          : "INSERT INTO \(quoted(table)) (\(names.joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")));"
        try run(insert, on: target, "copy into \(table)")
      }
    }
    for trigger in triggers { try run(trigger, on: target, "trigger") }
  }
}
