import Graph
import Testing

@testable import Merge

@Suite struct ConflictAnalyzerTests {
  /// `a` creates users and orders; `b1` and `b2` branch from it with the given upgrades.
  static func twoBranches(_ one: String, _ two: String) throws -> (TestProject, ConflictReport) {
    let project = try TestProject()
    try project.revision("a", upgrade: "CREATE TABLE users (id INTEGER);\nCREATE TABLE orders (id INTEGER);")
    try project.revision("b1", parents: ["a"], upgrade: one)
    try project.revision("b2", parents: ["a"], upgrade: two)
    let report = try ConflictAnalyzer(graph: try project.graph()).analyze(heads: ["b1", "b2"])
    return (project, report)
  }

  @Test("both branches add a column to users: an overlap on the table, the columns are distinct")
  func overlap() throws {
    let (project, report) = try Self.twoBranches(
      "ALTER TABLE users ADD COLUMN email TEXT;", "\nALTER TABLE users ADD COLUMN phone TEXT;")
    #expect(report.commonAncestors == ["a"])
    #expect(report.branches.map(\.revisions) == [["b1"], ["b2"]])
    #expect(report.items.count == 1)
    let item = try #require(report.items.first)
    #expect(item.object == SchemaObject(.table, "users"))
    #expect(item.severity == .overlap)
    #expect(item.reason == "altered on both branches (b1, b2)")
    // The upgrade section starts on line 6 of each file (5 header/marker lines before it).
    #expect(
      item.branches.map { $0.touches.map { "\($0.revision) \($0.path):\($0.line) \($0.action)" } } == [
        ["b1 \(project.versions)/b1.sql:6 alter"], ["b2 \(project.versions)/b2.sql:7 alter"],
      ])
  }

  @Test("one branch drops users while the other alters it: a conflict")
  func dropVersusAlter() throws {
    let (project, report) = try Self.twoBranches(
      "DROP TABLE users;", "CREATE INDEX ix_users_id ON users (id);\nALTER TABLE users ADD COLUMN phone TEXT;")
    #expect(report.conflicts.count == 1)
    let item = try #require(report.conflicts.first)
    #expect(item.object == SchemaObject(.table, "users"))
    #expect(item.reason == "dropped on the branch to b1, altered on the branch to b2")
    #expect(item.branches[0].touches.map(\.line) == [6])
    #expect(
      item.branches[1].touches.map { "\($0.line) \($0.detail)" } == [
        "6 create index ix_users_id", "7 add column phone",
      ])
    #expect(item.branches[1].touches.allSatisfy { $0.path == project.versions + "/b2.sql" })
  }

  @Test("disjoint tables: nothing reported")
  func disjoint() throws {
    let (_, report) = try Self.twoBranches("ALTER TABLE users ADD COLUMN email TEXT;", "DROP TABLE orders;")
    #expect(report.items.isEmpty)
  }

  @Test("the same column added on both branches, a column renamed while altered: conflicts")
  func columnConflicts() throws {
    let (_, report) = try Self.twoBranches(
      "ALTER TABLE users ADD COLUMN email TEXT;\nALTER TABLE orders RENAME COLUMN id TO order_id;",
      "ALTER TABLE users ADD COLUMN email VARCHAR(200);\nALTER TABLE orders ALTER COLUMN id SET NOT NULL;")
    #expect(
      report.conflicts.map { "\($0.object)" } == ["column orders.id", "column users.email"])
    #expect(report.overlaps.map { "\($0.object)" } == ["table orders", "table users"])
  }

  @Test("only upgrade sections count; shared history is not compared")
  func scope() throws {
    let project = try TestProject()
    try project.revision("a", upgrade: "CREATE TABLE users (id INTEGER);")
    try project.revision("s", parents: ["a"], upgrade: "ALTER TABLE users ADD COLUMN shared INT;")
    try project.write(
      "m/versions/b1.sql",
      "-- revision: b1\n-- down_revision: s\n\n-- +upgrade\nSELECT 1;\n\n-- +downgrade\nDROP TABLE users;\n")
    try project.revision("b2", parents: ["s"], upgrade: "ALTER TABLE users DROP COLUMN shared;")
    let report = try ConflictAnalyzer(graph: try project.graph()).analyze(heads: ["b1", "b2"])
    #expect(report.commonAncestors == ["s"])
    #expect(report.items.isEmpty)
  }

  @Test("Alembic scripts are compared by their op.* calls")
  func alembic() throws {
    let project = try TestProject(kind: .alembic)
    try project.script("a", upgrade: "op.create_table('users', sa.Column('id', sa.Integer()))")
    try project.script("b1", parents: ["a"], upgrade: "op.drop_table('users')")
    try project.script("b2", parents: ["a"], upgrade: "op.add_column('users', sa.Column('email', sa.String()))")
    let report = try ConflictAnalyzer(graph: try project.graph()).analyze(heads: ["b1", "b2"])
    #expect(report.conflicts.map { "\($0.object)" } == ["table users"])
    #expect(report.conflicts.first?.branches.map { $0.touches.map(\.line) } == [[22], [22]])
  }

  @Test("three heads: each pair is compared, an object keeps every branch that touched it")
  func threeHeads() throws {
    let project = try TestProject()
    try project.revision("a")
    try project.revision("b1", parents: ["a"], upgrade: "ALTER TABLE t ADD COLUMN x INT;")
    try project.revision("b2", parents: ["a"], upgrade: "ALTER TABLE t ADD COLUMN y INT;")
    try project.revision("b3", parents: ["a"], upgrade: "DROP TABLE t;")
    let report = try ConflictAnalyzer(graph: try project.graph()).analyze(heads: ["b1", "b2", "b3"])
    let item = try #require(report.items.first)
    #expect(report.items.count == 1)
    #expect(item.severity == .conflict)
    #expect(item.branches.map(\.head) == ["b1", "b2", "b3"])
  }
}
