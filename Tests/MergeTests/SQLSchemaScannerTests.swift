import Testing

@testable import Merge

/// Source text and the changes a scanner should find, written `line action kind name`.
struct ScanCase: Sendable, CustomTestStringConvertible {
  var name: String
  var source: String
  var expected: [String]
  var testDescription: String { name }
}

extension SchemaChange {
  /// `7 create column users.email`.
  var summary: String { "\(line) \(action.rawValue) \(object.kind.rawValue) \(object.name)" }
}

@Suite struct SQLSchemaScannerTests {
  static let cases: [ScanCase] = [
    .init(
      name: "create table", source: "CREATE TABLE users (id INTEGER PRIMARY KEY);", expected: ["1 create table users"]),
    .init(
      name: "IF NOT EXISTS and a double-quoted name", source: "create table if not exists \"Order Items\" (id int);",
      expected: ["1 create table Order Items"]),
    .init(name: "temporary table", source: "CREATE TEMP TABLE scratch (x);", expected: ["1 create table scratch"]),
    .init(
      name: "backquoted schema-qualified name", source: "CREATE TABLE `shop`.`orders` (id int);",
      expected: ["1 create table shop.orders"]),
    .init(
      name: "bracketed schema-qualified name", source: "CREATE TABLE [dbo].[users] (id int);",
      expected: ["1 create table dbo.users"]),
    .init(
      name: "add column", source: "ALTER TABLE users ADD COLUMN email TEXT;",
      expected: ["1 create column users.email", "1 alter table users"]),
    .init(
      name: "add without COLUMN, IF NOT EXISTS", source: "ALTER TABLE users ADD IF NOT EXISTS phone text;",
      expected: ["1 create column users.phone", "1 alter table users"]),
    .init(
      name: "drop column with IF EXISTS, ONLY and a schema",
      source: "ALTER TABLE IF EXISTS ONLY public.users DROP COLUMN IF EXISTS email CASCADE;",
      expected: ["1 drop column public.users.email", "1 alter table public.users"]),
    .init(
      name: "rename column", source: "ALTER TABLE users RENAME COLUMN name TO full_name;",
      expected: ["1 rename column users.name", "1 alter table users", "1 create column users.full_name"]),
    .init(
      name: "rename table", source: "ALTER TABLE users RENAME TO accounts;",
      expected: ["1 rename table users", "1 create table accounts"]),
    .init(
      name: "alter column", source: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
      expected: ["1 alter column users.email", "1 alter table users"]),
    .init(
      name: "several actions, one per line",
      source: "ALTER TABLE users\n  ADD COLUMN a int,\n  DROP COLUMN b,\n  ADD CONSTRAINT u UNIQUE (a, b);",
      expected: [
        "2 create column users.a", "2 alter table users", "3 drop column users.b", "3 alter table users",
        "4 alter table users",
      ]),
    .init(
      name: "MySQL CHANGE COLUMN renames", source: "ALTER TABLE t CHANGE COLUMN old new INT;",
      expected: ["1 rename column t.old", "1 alter table t", "1 create column t.new"]),
    .init(
      name: "create unique index", source: "CREATE UNIQUE INDEX IF NOT EXISTS ix_email ON users (email);",
      expected: ["1 create index ix_email", "1 alter table users"]),
    .init(
      name: "unnamed concurrent index", source: "CREATE INDEX CONCURRENTLY ON users (lower(email));",
      expected: ["1 alter table users"]),
    .init(name: "drop index", source: "DROP INDEX IF EXISTS ix_email;", expected: ["1 drop index ix_email"]),
    .init(
      name: "rename index", source: "ALTER INDEX ix_a RENAME TO ix_b;",
      expected: ["1 rename index ix_a", "1 create index ix_b"]),
    .init(
      name: "views", source: "CREATE OR REPLACE VIEW active AS SELECT * FROM users;\nDROP VIEW IF EXISTS old, other;",
      expected: ["1 create view active", "2 drop view old", "2 drop view other"]),
    .init(
      name: "materialized view", source: "CREATE MATERIALIZED VIEW mv AS SELECT 1;\nDROP MATERIALIZED VIEW mv;",
      expected: ["1 create view mv", "2 drop view mv"]),
    .init(
      name: "trigger with a body (inner statements belong to it)",
      source: """
        CREATE TRIGGER trg AFTER UPDATE OF email ON users
        BEGIN
          UPDATE audit SET n = n + 1;
          SELECT CASE WHEN 1 THEN 1 END;
        END;
        DROP TRIGGER IF EXISTS trg_old;
        """,
      expected: ["1 create trigger trg", "1 alter table users", "6 drop trigger trg_old"]),
    .init(
      name: "comments and string literals hide statements",
      source: """
        -- DROP TABLE users;
        /* ALTER TABLE x ADD y; */
        INSERT INTO logs VALUES ('DROP TABLE users; --');
        CREATE TABLE t2 (x);
        """,
      expected: ["3 data table logs", "4 create table t2"]),
    .init(
      name: "nested block comment", source: "/* a /* b */ DROP TABLE x; */ CREATE TABLE y (z);",
      expected: ["1 create table y"]),
    .init(
      name: "dollar-quoted function body",
      source:
        "CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN DROP TABLE users; END $body$ LANGUAGE plpgsql;\nDROP TABLE t;",
      expected: ["2 drop table t"]),
    .init(
      name: "row writes", source: "UPDATE users SET a = 1;\nDELETE FROM ONLY sessions;\nTRUNCATE TABLE a, b;",
      expected: ["1 data table users", "2 data table sessions", "3 data table a", "3 data table b"]),
    .init(
      name: "drop several tables", source: "DROP TABLE IF EXISTS a, s.b CASCADE;",
      expected: ["1 drop table a", "1 drop table s.b"]),
    .init(
      name: "MySQL RENAME TABLE", source: "RENAME TABLE a TO b, c TO d;",
      expected: ["1 rename table a", "1 create table b", "1 rename table c", "1 create table d"]),
    .init(name: "statements that touch no object", source: "BEGIN; SELECT 1; CREATE SEQUENCE s; COMMIT;", expected: []),
    .init(
      name: "unterminated string runs to the end", source: "CREATE TABLE ok (x);\nINSERT INTO t VALUES ('oops",
      expected: ["1 create table ok", "2 data table t"]),
  ]

  @Test(arguments: cases)
  func scans(_ c: ScanCase) {
    #expect(SQLSchemaScanner.changes(in: c.source).map(\.summary) == c.expected)
  }

  @Test("lines are file lines when the section starts further down")
  func firstLine() {
    let changes = SQLSchemaScanner.changes(in: "\nDROP TABLE users;", firstLine: 7)
    #expect(changes.map(\.summary) == ["8 drop table users"])
  }

  @Test("names compare case-insensitively")
  func keys() {
    #expect(SchemaObject(.table, "Users") == SchemaObject(.table, "users"))
    #expect(SchemaObject(.table, "users") != SchemaObject(.view, "users"))
  }
}

@Suite struct RevisionBodyTests {
  @Test("the upgrade section of a native revision, with its first line")
  func upgradeSection() throws {
    let text = "-- revision: a\n\n-- +upgrade\nCREATE TABLE t (x);\n\n-- +downgrade\nDROP TABLE t;\n"
    let section = try #require(RevisionBody.upgradeSection(ofNative: text))
    #expect(section.firstLine == 4)
    #expect(section.text == "CREATE TABLE t (x);\n")
    #expect(RevisionBody.changes(inText: text, format: .sql).map(\.summary) == ["4 create table t"])
    #expect(RevisionBody.upgradeSection(ofNative: "-- revision: a\n") == nil)
  }
}
