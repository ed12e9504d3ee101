import Runner
import Schema
import Testing

/// One change kind: the schema before and after, rows to carry, and what the diff and the
/// generated upgrade must say.
struct ChangeCase: Sendable, CustomTestStringConvertible {
  var id: String
  var from: String
  var to: String
  var rows = ""
  /// Lines the diff must contain.
  var lines: [String]
  /// Text the upgrade must contain (e.g. `ADD COLUMN`, or `RENAME TO` for a rebuild).
  var upgradeContains: [String] = []
  /// Text the upgrade must not contain.
  var upgradeLacks: [String] = []
  /// Columns whose values the migration may change.
  var changedColumns: Set<String> = []
  var testDescription: String { id }
}

@Suite struct AutogenerateTests {
  static let users = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);"
  static let userRows = "INSERT INTO users VALUES (1, 'ann', 'a@x'), (2, 'bob', NULL), (3, 'cy', 'c@x');"

  static let cases: [ChangeCase] = [
    ChangeCase(
      id: "table added", from: users, to: users + "CREATE TABLE teams (id INTEGER PRIMARY KEY, title TEXT);",
      rows: userRows, lines: ["+ table teams"], upgradeContains: ["CREATE TABLE teams"]),
    ChangeCase(
      id: "table removed", from: users + "CREATE TABLE teams (id INTEGER PRIMARY KEY, title TEXT);", to: users,
      rows: userRows + "INSERT INTO teams VALUES (1, 'core');", lines: ["- table teams"],
      upgradeContains: ["-- WARNING: destructive: drops table teams", "DROP TABLE \"teams\""]),
    ChangeCase(
      id: "column added at the end", from: users,
      to: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, age INTEGER DEFAULT 0);",
      rows: userRows, lines: ["~ table users", "    + column age INTEGER DEFAULT 0"],
      upgradeContains: ["ALTER TABLE \"users\" ADD COLUMN age INTEGER DEFAULT 0"], upgradeLacks: ["RENAME TO"]),
    ChangeCase(
      id: "column added in the middle", from: users,
      to: "CREATE TABLE users (id INTEGER PRIMARY KEY, age INTEGER, name TEXT NOT NULL, email TEXT);",
      rows: userRows, lines: ["    + column age INTEGER"], upgradeContains: ["RENAME TO \"users\""],
      upgradeLacks: ["ADD COLUMN"]),
    ChangeCase(
      id: "NOT NULL column without default added", from: users,
      to: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, score INTEGER NOT NULL);",
      rows: userRows, lines: ["    + column score INTEGER NOT NULL"],
      upgradeContains: ["WARNING: new column users.score is NOT NULL without a default: existing rows get 0"]),
    ChangeCase(
      id: "column removed", from: users, to: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
      rows: userRows, lines: ["    - column email"],
      upgradeContains: ["WARNING: destructive: drops column users.email", "RENAME TO \"users\""]),
    ChangeCase(
      id: "column type changed", from: users,
      to: "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, email TEXT);", rows: userRows,
      lines: ["    column name: type TEXT → VARCHAR(40)"]),
    ChangeCase(
      id: "NOT NULL added fills NULLs", from: users,
      to: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL DEFAULT 'none');",
      rows: userRows, lines: ["    column email: NOT NULL added", "    column email: DEFAULT (none) → 'none'"],
      upgradeContains: ["COALESCE(\"email\", ('none'))"], changedColumns: ["users.email"]),
    ChangeCase(
      id: "NOT NULL removed", from: users,
      to: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);", rows: userRows,
      lines: ["    column name: NOT NULL removed"]),
    ChangeCase(
      id: "default changed", from: "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER DEFAULT 1);",
      to: "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER DEFAULT (1 + 1));",
      rows: "INSERT INTO t VALUES (1, 5), (2, NULL);", lines: ["    column n: DEFAULT 1 → 1 + 1"]),
    ChangeCase(
      id: "collation changed", from: users,
      to: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE, email TEXT);",
      rows: userRows, lines: ["    column name: COLLATE BINARY → NOCASE"]),
    ChangeCase(
      id: "primary key changed", from: "CREATE TABLE m (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a));",
      to: "CREATE TABLE m (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b));",
      rows: "INSERT INTO m VALUES ('x', 'y'), ('z', 'w');",
      lines: ["    column b: not in the primary key → primary key part 2", "    + PRIMARY KEY (a, b)"]),
    ChangeCase(
      id: "unique constraint added", from: users,
      to: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE);", rows: userRows,
      lines: ["    + UNIQUE (email)"]),
    ChangeCase(
      id: "unique constraint removed",
      from: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, UNIQUE (name, email));",
      to: users, rows: userRows, lines: ["    - UNIQUE (name, email)"]),
    ChangeCase(
      id: "index added", from: users, to: users + "CREATE INDEX ix_users_email ON users (email);", rows: userRows,
      lines: ["+ index ix_users_email ON users (email)"], upgradeLacks: ["RENAME"]),
    ChangeCase(
      id: "index removed", from: users + "CREATE UNIQUE INDEX ix_name ON users (name);", to: users, rows: userRows,
      lines: ["- index ix_name UNIQUE ON users (name)"], upgradeContains: ["DROP INDEX \"ix_name\""]),
    ChangeCase(
      id: "index made partial and descending", from: users + "CREATE INDEX ix ON users (email);",
      to: users + "CREATE INDEX ix ON users (email DESC) WHERE email IS NOT NULL;", rows: userRows,
      lines: ["~ index ix: ON users (email) → ON users (email DESC) WHERE email is not null"]),
    ChangeCase(
      id: "expression index changed", from: users + "CREATE INDEX ix ON users (lower(name));",
      to: users + "CREATE INDEX ix ON users (upper(name) COLLATE NOCASE);", rows: userRows,
      lines: ["~ index ix: ON users ((lower ( name ))) → ON users ((upper ( name )) COLLATE NOCASE)"]),
    ChangeCase(
      id: "foreign key added",
      from: "CREATE TABLE teams (id INTEGER PRIMARY KEY); CREATE TABLE users (id INTEGER PRIMARY KEY, team INTEGER);",
      to: "CREATE TABLE teams (id INTEGER PRIMARY KEY); "
        + "CREATE TABLE users (id INTEGER PRIMARY KEY, team INTEGER REFERENCES teams (id) ON DELETE CASCADE);",
      rows: "INSERT INTO teams VALUES (1); INSERT INTO users VALUES (1, 1), (2, NULL);",
      lines: ["    + FOREIGN KEY (team) REFERENCES teams(id) ON DELETE CASCADE"],
      upgradeContains: ["PRAGMA foreign_key_check"]),
    ChangeCase(
      id: "foreign key removed",
      from: "CREATE TABLE teams (id INTEGER PRIMARY KEY); "
        + "CREATE TABLE users (id INTEGER PRIMARY KEY, team INTEGER, FOREIGN KEY (team) REFERENCES teams);",
      to: "CREATE TABLE teams (id INTEGER PRIMARY KEY); CREATE TABLE users (id INTEGER PRIMARY KEY, team INTEGER);",
      rows: "INSERT INTO teams VALUES (1); INSERT INTO users VALUES (1, 1);",
      lines: ["    - FOREIGN KEY (team) REFERENCES teams"]),
    ChangeCase(
      id: "check constraint added", from: users,
      to: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (length(name) > 0), email TEXT, "
        + "CHECK (email LIKE '%@%'));", rows: userRows,
      lines: ["    + CHECK (email like '%@%')", "    column name: + CHECK (length ( name ) > 0)"]),
    ChangeCase(
      id: "check constraint changed",
      from: "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER CHECK (n > 0));",
      to: "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER CHECK (n >= 0));", rows: "INSERT INTO t VALUES (1, 3);",
      lines: ["    column n: - CHECK (n > 0)", "    column n: + CHECK (n >= 0)"]),
    ChangeCase(
      id: "view added", from: users, to: users + "CREATE VIEW named AS SELECT id, name FROM users;", rows: userRows,
      lines: ["+ view named"]),
    ChangeCase(
      id: "view changed", from: users + "CREATE VIEW v AS SELECT id FROM users;",
      to: users + "CREATE VIEW v AS SELECT id, email FROM users;", rows: userRows,
      lines: ["~ view v: definition changed"], upgradeContains: ["DROP VIEW \"v\""]),
    ChangeCase(
      id: "view removed", from: users + "CREATE VIEW v AS SELECT id FROM users;", to: users, rows: userRows,
      lines: ["- view v"]),
    ChangeCase(
      id: "trigger added", from: users + "CREATE TABLE log (msg TEXT);",
      to: users + "CREATE TABLE log (msg TEXT);"
        + "CREATE TRIGGER users_log AFTER INSERT ON users BEGIN INSERT INTO log VALUES (NEW.name); END;",
      rows: userRows, lines: ["+ trigger users_log on users"]),
    ChangeCase(
      id: "trigger changed",
      from: users + "CREATE TABLE log (msg TEXT);"
        + "CREATE TRIGGER tr AFTER INSERT ON users BEGIN INSERT INTO log VALUES (NEW.name); END;",
      to: users + "CREATE TABLE log (msg TEXT);"
        + "CREATE TRIGGER tr AFTER UPDATE ON users BEGIN INSERT INTO log VALUES (NEW.email); END;",
      rows: userRows, lines: ["~ trigger tr on users: definition changed"]),
    ChangeCase(
      id: "trigger removed",
      from: users + "CREATE TRIGGER tr BEFORE DELETE ON users BEGIN SELECT RAISE(ABORT, 'no'); END;", to: users,
      rows: userRows, lines: ["- trigger tr on users"]),
    ChangeCase(
      id: "rebuild keeps dependent views, triggers and indexes",
      from: users + "CREATE INDEX ix_email ON users (email); CREATE VIEW v AS SELECT name FROM users;"
        + "CREATE VIEW vv AS SELECT * FROM v; CREATE TABLE log (msg TEXT);"
        + "CREATE TRIGGER tr AFTER INSERT ON log BEGIN UPDATE users SET name = name WHERE 0; END;",
      to: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);" + "CREATE INDEX ix_email ON users (name);"
        + "CREATE VIEW v AS SELECT name FROM users; CREATE VIEW vv AS SELECT * FROM v; CREATE TABLE log (msg TEXT);"
        + "CREATE TRIGGER tr AFTER INSERT ON log BEGIN UPDATE users SET name = name WHERE 0; END;",
      rows: userRows, lines: ["    - column email", "~ index ix_email: ON users (email) → ON users (name)"],
      upgradeContains: ["DROP VIEW \"vv\"", "DROP TRIGGER \"tr\""]),
    ChangeCase(
      id: "rowid table without an integer key keeps its rowids",
      from: "CREATE TABLE notes (body TEXT); ", to: "CREATE TABLE notes (body TEXT NOT NULL DEFAULT '');",
      rows: "INSERT INTO notes (rowid, body) VALUES (7, 'a'), (3, 'b');", lines: ["    column body: NOT NULL added"],
      upgradeContains: ["INSERT INTO \"_revgraph_new_notes\" (rowid, \"body\")"]),
    ChangeCase(
      id: "names that need quoting",
      from: "CREATE TABLE \"Order Items\" (\"id\" INTEGER PRIMARY KEY, \"order\" TEXT, [Weird \"q\"] TEXT);",
      to: "CREATE TABLE \"Order Items\" (\"id\" INTEGER PRIMARY KEY, \"order\" TEXT NOT NULL DEFAULT 'x');",
      rows: "INSERT INTO \"Order Items\" VALUES (1, 'a', 'b');", lines: ["~ table Order Items"]),
    ChangeCase(
      id: "without rowid and strict",
      from: "CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER);",
      to: "CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID, STRICT;",
      rows: "INSERT INTO kv VALUES ('a', 1);", lines: ["    + WITHOUT ROWID", "    + STRICT"]),
  ]

  @Test(arguments: cases)
  func changeKind(_ change: ChangeCase) throws {
    let migration = try SchemaHarness.roundTrip(
      from: change.from, to: change.to, rows: change.rows, changedColumns: change.changedColumns)
    for line in change.lines {
      #expect(migration.diff.lines.contains(line), "diff: \(migration.diff.lines)")
    }
    for text in change.upgradeContains {
      #expect(migration.upgrade.sql.contains(text), "upgrade:\n\(migration.upgrade.sql)")
    }
    for text in change.upgradeLacks {
      #expect(!migration.upgrade.sql.contains(text), "upgrade:\n\(migration.upgrade.sql)")
    }
  }

  @Test func sameSchemaSpelledDifferentlyIsNoChange() throws {
    let a = try SchemaHarness.catalog(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x'); CREATE INDEX ix ON users (name);"
        + "CREATE VIEW v AS SELECT id FROM users;")
    let b = try SchemaHarness.catalog(
      "create table \"USERS\" (\n  ID integer primary key, -- key\n  [name] text not null default 'x'\n);\n"
        + "create index IX on Users(Name); create view \"v\" as select ID from users;")
    let migration = try Autogenerate.migration(from: a, to: b)
    #expect(migration.diff.lines == [])
    #expect(migration.upgrade.sql == "")
  }

  @Test func sameShapeDropAndAddIsReportedAsPossibleRename() throws {
    let migration = try SchemaHarness.roundTrip(
      from: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE old_log (at TEXT, msg TEXT);",
      to: "CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT); CREATE TABLE log (at TEXT, msg TEXT);",
      rows: "INSERT INTO users VALUES (1, 'ann');")
    #expect(
      migration.possibleRenames.map(\.option) == ["--rename-column users.name:full_name", "--rename-table old_log:log"])
    #expect(migration.possibleRenames[0].description.contains("possible rename: dropped column users.name"))
    #expect(!migration.upgrade.sql.contains("RENAME COLUMN"))
  }

  @Test func renamesAskedForKeepTheData() throws {
    let renames = try Autogenerate.Renames(tableOptions: ["people:persons"], columnOptions: ["people.name:full_name"])
    let migration = try SchemaHarness.roundTrip(
      from: "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT); CREATE VIEW v AS SELECT name FROM people;",
      to: "CREATE TABLE persons (id INTEGER PRIMARY KEY, full_name TEXT); "
        + "CREATE VIEW v AS SELECT full_name FROM persons;",
      rows: "INSERT INTO people VALUES (1, 'ann'), (2, 'bob');", renames: renames)
    #expect(migration.upgrade.sql.contains("ALTER TABLE \"people\" RENAME COLUMN \"name\" TO \"full_name\";"))
    #expect(migration.upgrade.sql.contains("ALTER TABLE \"people\" RENAME TO \"persons\";"))
    #expect(migration.downgrade.sql.contains("ALTER TABLE \"persons\" RENAME TO \"people\";"))
    #expect(!migration.upgrade.sql.contains("DROP TABLE"))
    #expect(migration.possibleRenames == [])
  }

  @Test(arguments: [
    ("nobody:x", "", "--rename-table nobody:x: the schema at head has no table nobody"),
    ("", "users.nope:x", "--rename-column users.nope:x: table users has no column nope at head"),
    ("users", "", "--rename-table users: write it as OLD:NEW"),
    ("", "users:x", "--rename-column users:x: write it as TABLE.OLD:NEW"),
  ])
  func badRenamesAreRefused(table: String, column: String, message: String) throws {
    let schema = try SchemaHarness.catalog("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);")
    let error = #expect(throws: SchemaError.self) {
      let renames = try Autogenerate.Renames(
        tableOptions: table.isEmpty ? [] : [table], columnOptions: column.isEmpty ? [] : [column])
      _ = try Autogenerate.migration(from: schema, to: schema, renames: renames)
    }
    #expect(error?.description == message)
  }

  @Test func foreignKeyCheckFailsTheScriptOnViolations() throws {
    let db = try SchemaHarness.database(
      "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p);"
        + "INSERT INTO c VALUES (1, 42);")
    let error = #expect(throws: SQLiteConnection.ScriptFailure.self) {
      try db.executeScript("SELECT 1;\nPRAGMA foreign_key_check;")
    }
    #expect(error?.line == 2)
    #expect(error?.message.hasPrefix("1 row breaks a foreign key: c row 1 has no matching row in p") == true)
  }
}

extension AutogenerateTests {
  /// Columns SQLite refuses to ADD to a table with rows (but accepts on an empty one).
  static let addColumnLimits: [ChangeCase] = [
    ("expression default", "(1 + 1)"), ("CURRENT_TIMESTAMP default", "CURRENT_TIMESTAMP"),
  ].map { name, value in
    ChangeCase(
      id: name, from: users,
      to: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, at TEXT DEFAULT \(value));",
      rows: userRows, lines: ["    + column at TEXT DEFAULT \(value)"], upgradeContains: ["RENAME TO \"users\""],
      upgradeLacks: ["ADD COLUMN"], changedColumns: [])
  }

  @Test(arguments: addColumnLimits)
  func columnsSQLiteCannotAddToRowsAreRebuilt(_ change: ChangeCase) throws {
    try changeKind(change)
  }
}

extension AutogenerateTests {
  @Test func rebuildKeepsTheAutoincrementHighWaterMark() throws {
    let from = "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT);"
    let to = "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT NOT NULL DEFAULT '');"
    let migration = try Autogenerate.migration(from: try SchemaHarness.catalog(from), to: try SchemaHarness.catalog(to))
    let db = try SchemaHarness.database(
      from + "INSERT INTO t (a) VALUES ('x'), ('y'), ('z'); DELETE FROM t WHERE id = 3;")
    try db.executeScript(migration.upgrade.sql)
    try db.execute("INSERT INTO t (a) VALUES ('w')")
    #expect(try db.column("SELECT id FROM t WHERE a = 'w'") == ["4"])
    #expect(try db.column("SELECT name FROM sqlite_sequence") == ["t"])
  }
}

extension AutogenerateTests {
  @Test func virtualTablesAreComparedByTheirStatementAndShadowTablesIgnored() throws {
    let notes = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
    let added = try SchemaHarness.roundTrip(
      from: notes, to: notes + "CREATE VIRTUAL TABLE search USING fts5(body);",
      rows: "INSERT INTO notes VALUES (1, 'x');")
    #expect(added.diff.lines == ["+ table search"])
    let changed = try SchemaHarness.roundTrip(
      from: notes + "CREATE VIRTUAL TABLE search USING fts5(body);",
      to: notes + "CREATE VIRTUAL TABLE search USING fts5(body, title);")
    #expect(
      changed.upgrade.warnings == ["destructive: drops virtual table search and creates it anew, without its rows"])
    let same = try Autogenerate.migration(
      from: try SchemaHarness.catalog("CREATE VIRTUAL TABLE search USING fts5(body);"),
      to: try SchemaHarness.catalog("create virtual table \"search\" using FTS5 ( body );"))
    #expect(same.diff.lines == [])
  }
}
