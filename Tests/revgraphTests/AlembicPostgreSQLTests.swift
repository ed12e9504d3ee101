import Foundation
import TestSupport
import Testing

/// An Alembic project on PostgreSQL, driven by the real Alembic (psycopg2) and by revgraph in
/// turn: each reads and writes the other's `alembic_version`. Needs a PostgreSQL server and a
/// Python with Alembic and psycopg2 (scripts/test.sh sets REVGRAPH_TEST_ALEMBIC_PYTHON).
@Suite(.serialized) struct AlembicPostgreSQLTests {
  static var python: String? {
    ProcessInfo.processInfo.environment["REVGRAPH_TEST_ALEMBIC_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// Said once per run when the Python side is missing.
  static let skipNotice: Void = FileHandle.standardError.write(
    Data(
      ("NOTICE: REVGRAPH_TEST_ALEMBIC_PYTHON is not set: the Alembic-on-PostgreSQL tests are skipped "
        + "(scripts/test.sh makes the venv with scripts/alembic-venv.sh and psycopg2-binary)\n").utf8))

  /// `a`; `b` and `c` on `a`; `m` merging them. Each creates `t_<id>`; typed headers, as
  /// `alembic revision` writes them today.
  static let revisions: [(id: String, down: String)] = [
    ("a", "None"), ("b", "'a'"), ("c", "'a'"), ("m", "('b', 'c')"),
  ]

  /// A project made by `alembic init`, its URL pointing at `url` (as SQLAlchemy writes it, with
  /// psycopg2 named), with the four revisions.
  static func project(python: String, url: String) throws -> URL {
    let url = url.replacingOccurrences(of: "postgresql://", with: "postgresql+psycopg2://")
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-alembic-pg-\(UUID())")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    _ = try alembic(python, ["init", "mig"], in: root)
    let ini = root.appendingPathComponent("alembic.ini")
    let text = try String(contentsOf: ini, encoding: .utf8).replacingOccurrences(
      of: "sqlalchemy.url = driver://user:pass@localhost/dbname", with: "sqlalchemy.url = \(url)")
    try text.write(to: ini, atomically: true, encoding: .utf8)
    for (id, down) in revisions {
      let script = """
        \"\"\"step \(id)

        Revision ID: \(id)
        Revises: \(down)
        Create Date: 2026-12-07 12:00:00

        \"\"\"
        from typing import Sequence, Union

        from alembic import op


        revision: str = '\(id)'
        down_revision: Union[str, Sequence[str], None] = \(down)
        branch_labels: Union[str, Sequence[str], None] = None
        depends_on: Union[str, Sequence[str], None] = None


        def upgrade() -> None:
            op.execute("CREATE TABLE t_\(id) (x INTEGER)")


        def downgrade() -> None:
            op.execute("DROP TABLE t_\(id)")

        """
      try script.write(to: root.appendingPathComponent("mig/versions/\(id)_step.py"), atomically: true, encoding: .utf8)
    }
    return root
  }

  /// Runs the real Alembic in `root`; its standard output lines.
  @discardableResult
  static func alembic(_ python: String, _ arguments: [String], in root: URL) throws -> [String] {
    try TestDatabase.shell("/usr/bin/env", ["-C", root.path, python, "-m", "alembic"] + arguments)
  }

  /// The revision ids `alembic current` prints (its lines look like `m (head) (mergepoint)`).
  static func alembicCurrent(_ python: String, in root: URL) throws -> [String] {
    try alembic(python, ["current"], in: root).compactMap { $0.split(separator: " ").first.map(String.init) }.sorted()
  }

  /// `revgraph current` in `root` (the URL from alembic.ini), its ids sorted.
  static func revgraphCurrent(in root: URL) throws -> [String] {
    let (status, out, errors) = try CLITests.run(["current"], in: root)
    #expect(status == 0, "\(errors)")
    return out.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }.sorted()
  }

  static func revgraph(_ arguments: [String], in root: URL) throws -> String {
    let (status, out, errors) = try CLITests.run(arguments, in: root)
    #expect(status == 0, "revgraph \(arguments): \(errors)")
    return out + errors
  }

  @Test("Alembic and revgraph take turns on one alembic_version: upgrade, stamp, merge, purge, downgrade")
  func takingTurns() throws {
    guard TestDatabase.serverURL != nil else { return }
    guard let python = Self.python else { return Self.skipNotice }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-alembic-db-\(UUID())")
    guard let db = try TestDatabase.make(.postgresql, in: scratch) else { return }
    defer { db.remove() }
    // SQLAlchemy's form of the URL, with a password (the server trusts it; revgraph hides it).
    let url = db.url.replacingOccurrences(of: "postgresql://postgres@", with: "postgresql://postgres:alembic-pw@")
    let root = try Self.project(python: python, url: url)
    defer { try? FileManager.default.removeItem(at: root) }

    try Self.alembic(python, ["upgrade", "b"], in: root)
    #expect(try Self.revgraphCurrent(in: root) == ["b"])
    let history = try Self.revgraph(["history", "-i"], in: root)
    #expect(history.contains("a -> b (current)"), "\(history)")
    #expect(try Self.revgraph(["show", "current"], in: root).contains("Rev: b"))
    let (checkHeads, _, notAtHeads) = try CLITests.run(["current", "--check-heads"], in: root)
    #expect(checkHeads != 0 && notAtHeads.contains("it is at b"), "\(notAtHeads)")
    #expect(!notAtHeads.contains("alembic-pw"))

    // revgraph stamps c beside b; Alembic sees both and runs only the merge.
    _ = try Self.revgraph(["stamp", "c"], in: root)
    #expect(try Self.alembicCurrent(python, in: root) == ["b", "c"])
    try Self.alembic(python, ["upgrade", "heads"], in: root)
    #expect(try Self.revgraphCurrent(in: root) == ["m"])
    let tables = try db.tables()
    #expect(tables == ["alembic_version", "alembic_version_log", "t_a", "t_b", "t_m"])
    let (verified, _, _) = try CLITests.run(["current", "-v", "--check-heads"], in: root)
    #expect(verified == 0)

    // revgraph purges back to a; Alembic downgrades from there.
    _ = try Self.revgraph(["stamp", "--purge", "a"], in: root)
    #expect(try Self.alembicCurrent(python, in: root) == ["a"])
    try Self.alembic(python, ["downgrade", "base"], in: root)
    #expect(try Self.revgraphCurrent(in: root) == [])
    #expect(try db.query("SELECT count(*) FROM alembic_version") == ["0"])
    #expect(!(try db.tables()).contains("t_a"))
  }

  @Test("the alembic_version revgraph creates is Alembic's: columns, key name, and Alembic goes on from it")
  func revgraphCreatesTheTable() throws {
    guard TestDatabase.serverURL != nil else { return }
    guard let python = Self.python else { return Self.skipNotice }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-alembic-db-\(UUID())")
    guard let mine = try TestDatabase.make(.postgresql, in: scratch),
      let theirs = try TestDatabase.make(.postgresql, in: scratch)
    else { return }
    defer {
      mine.remove()
      theirs.remove()
    }
    let root = try Self.project(python: python, url: mine.url)
    defer { try? FileManager.default.removeItem(at: root) }
    _ = try Self.revgraph(["stamp", "b"], in: root)
    // The same table made by Alembic, in another database, for comparison.
    let other = try Self.project(python: python, url: theirs.url)
    defer { try? FileManager.default.removeItem(at: other) }
    try Self.alembic(python, ["stamp", "b"], in: other)
    let layout = """
      SELECT c.column_name || ' ' || c.data_type || ' ' || coalesce(c.character_maximum_length::text, '') || ' ' \
      || c.is_nullable FROM information_schema.columns c WHERE c.table_name = 'alembic_version' \
      UNION ALL SELECT 'constraint ' || conname || ' ' || contype::text FROM pg_constraint \
      WHERE conrelid = 'alembic_version'::regclass ORDER BY 1
      """
    let expected = try theirs.query(layout)
    #expect(expected == ["constraint alembic_version_pkc p", "version_num character varying 32 NO"])
    #expect(try mine.query(layout) == expected)
    try Self.alembic(python, ["upgrade", "heads"], in: root)
    #expect(try Self.revgraphCurrent(in: root) == ["m"])
    // b was stamped, not run: Alembic ran c and m only.
    let tables = try mine.tables()
    #expect(tables == ["alembic_version", "alembic_version_log", "t_c", "t_m"])
  }
}
