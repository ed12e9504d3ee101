import Runner
import Schema
import Testing

/// Cases found in review: lexing, quoting, multi-line definitions, scoped foreign-key checks,
/// generated columns, temporary names.
@Suite struct EdgeCaseTests {
  @Test func tableWithUpperCaseXColumnCanBeRebuilt() throws {
    // `X` followed by anything but a quote is a name, not a blob literal.
    try SchemaHarness.roundTrip(
      from: "CREATE TABLE points (id INTEGER PRIMARY KEY, X REAL, Y REAL);",
      to: "CREATE TABLE points (id INTEGER PRIMARY KEY, X REAL, Y REAL NOT NULL DEFAULT 0);",
      rows: "INSERT INTO points VALUES (1, 1.5, 2.5);")
  }

  @Test func changesNextToUpperCaseXColumnAreDetected() throws {
    let check = SchemaDiff(
      from: try SchemaHarness.catalog("CREATE TABLE p (id INTEGER PRIMARY KEY, X REAL, n INTEGER CHECK (n > 0));"),
      to: try SchemaHarness.catalog("CREATE TABLE p (id INTEGER PRIMARY KEY, X REAL, n INTEGER CHECK (n >= 0));"))
    #expect(check.lines == ["~ table p", "    column n: - CHECK (n > 0)", "    column n: + CHECK (n >= 0)"])
    let t = "CREATE TABLE p (id INTEGER PRIMARY KEY, X REAL, Y REAL);"
    let partial = SchemaDiff(
      from: try SchemaHarness.catalog(t + "CREATE INDEX ix ON p (X) WHERE X > 0;"),
      to: try SchemaHarness.catalog(t + "CREATE INDEX ix ON p (X) WHERE X > 100;"))
    #expect(partial.lines == ["~ index ix: ON p (x) WHERE x > 0 → ON p (x) WHERE x > 100"])
    let view = SchemaDiff(
      from: try SchemaHarness.catalog(t + "CREATE VIEW v AS SELECT X, Y FROM p;"),
      to: try SchemaHarness.catalog(t + "create view v as select X,\n  y from P;"))
    #expect(view.lines == [])
    let blob = try SchemaHarness.catalog("CREATE TABLE b (id INTEGER PRIMARY KEY, x BLOB DEFAULT x'00ff');")
    #expect(blob.tables[0].columns[1].defaultValue == "x'00ff'")
  }

  @Test func quotedNamesKeepTheirLetterCase() throws {
    let t = "CREATE TABLE t (id INTEGER PRIMARY KEY);"
    let diff = SchemaDiff(
      from: try SchemaHarness.catalog(t + "CREATE VIEW v AS SELECT id AS \"UserId\" FROM t;"),
      to: try SchemaHarness.catalog(t + "CREATE VIEW v AS SELECT id AS \"userid\" FROM t;"))
    #expect(diff.lines == ["~ view v: definition changed"])
  }

  @Test func multiLineDefinitionsGiveOneLineSummaries() throws {
    let migration = try SchemaHarness.roundTrip(
      from: "CREATE TABLE t (id INTEGER PRIMARY KEY);",
      to: "CREATE TABLE t (\n  id INTEGER PRIMARY KEY,\n  status TEXT NOT NULL\n    DEFAULT 'new'\n);")
    #expect(migration.summary == ["~ table t", "    + column status TEXT NOT NULL DEFAULT 'new'"])
  }

  @Test func foreignKeyCheckCoversOnlyTheRebuiltTablesAndTheirChildren() throws {
    let other =
      "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p);"
    let migration = try SchemaHarness.roundTrip(
      from: other + "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);"
        + "CREATE TABLE k (id INTEGER PRIMARY KEY, t INTEGER REFERENCES t);",
      to: other + "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT COLLATE NOCASE);"
        + "CREATE TABLE k (id INTEGER PRIMARY KEY, t INTEGER REFERENCES t);",
      // An old orphan in c, unrelated to t, must not stop the rebuild of t.
      rows: "INSERT INTO c VALUES (1, 42); INSERT INTO t VALUES (1, 'x'); INSERT INTO k VALUES (1, 1);")
    #expect(migration.upgrade.sql.contains("PRAGMA foreign_key_check(\"k\");"))
    #expect(!migration.upgrade.sql.contains("PRAGMA foreign_key_check(\"c\")"))
  }

  @Test func columnBecomingGeneratedIsMarkedDestructive() throws {
    let migration = try SchemaHarness.roundTrip(
      from: "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER);",
      to: "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER AS (a * 2));",
      rows: "INSERT INTO t VALUES (1, 2, 99);")
    #expect(
      migration.upgrade.warnings == [
        "destructive: column t.b becomes generated: its stored values are replaced by AS (a * 2)"
      ])
  }

  @Test func temporaryNameAvoidsEveryObject() throws {
    let view = "CREATE VIEW _revgraph_new_t AS SELECT 1;"
    let migration = try SchemaHarness.roundTrip(
      from: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);" + view,
      to: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT COLLATE NOCASE);" + view)
    #expect(migration.upgrade.sql.contains("CREATE TABLE \"_revgraph_new_t_\""))
  }

  @Test func rebuildKeepsHiddenRowids() throws {
    let db = try SchemaHarness.database(
      "CREATE TABLE notes (body TEXT); INSERT INTO notes (rowid, body) VALUES (7, 'a'), (3, 'b');")
    let migration = try Autogenerate.migration(
      from: try SchemaCatalog.read(db),
      to: try SchemaHarness.catalog("CREATE TABLE notes (body TEXT NOT NULL DEFAULT '');"))
    try db.executeScript(migration.upgrade.sql)
    #expect(try db.column("SELECT rowid || ':' || body FROM notes ORDER BY rowid") == ["3:b", "7:a"])
  }

  @Test func syntaxErrorsNameTheLineOfTheError() throws {
    let db = try SchemaHarness.database("")
    let error = #expect(throws: SQLiteConnection.ScriptFailure.self) {
      try db.executeScript("CREATE TABLE a (x);\nCREATE TABLE b (\n  x INTEGER,\n  y REFERENCES\n);")
    }
    #expect(error?.line == 5)
    #expect(error?.message == "near \")\": syntax error")
  }
}
