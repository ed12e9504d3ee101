import Foundation
import Project
import TestSupport
import Testing

@testable import Graph

/// `revgraph check` without schema.sql replays the history on an empty in-memory SQLite
/// database (up, down, up), so a history `upgrade` would fail on is not called ok.
@Suite(.serialized) struct CheckReplayTests {
  typealias Body = (RevisionRecord) -> (upgrade: String, downgrade: String?)

  /// `revgraph check` in `project` with a cache directory of its own.
  static func check(_ project: NativeProject, database: String? = nil, json: Bool = false) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = RunnerCLITests.binary
    process.arguments = ["check"] + (json ? ["--format", "json"] : [])
    process.currentDirectoryURL = project.root
    var environment = ProcessInfo.processInfo.environment
    environment["REVGRAPH_CACHE_DIR"] = project.root.appendingPathComponent(".cache").path
    environment["REVGRAPH_DATABASE"] = database
    process.environment = environment
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readAllRetryingInterrupts()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// Two branches from `a` that both add the column `email` to `t_a`, merged by `m`.
  static func bothAddEmail(_ record: RevisionRecord) -> (upgrade: String, downgrade: String?) {
    switch record.id {
    case "b", "c": ("ALTER TABLE t_a ADD COLUMN email TEXT;", "ALTER TABLE t_a DROP COLUMN email;")
    case "m": ("", "")
    default: NativeProject.tableBody(record)
    }
  }

  @Test("two merged branches adding the same column: check fails like upgrade does, naming file and line")
  func mergedBranchesConflict() throws {
    let project = try NativeProject(Fixture.records("a<base, b<a, c<a, m<b+c"), body: Self.bothAddEmail)
    defer { project.remove() }
    let (status, out) = try Self.check(project)
    #expect(status == 12, "\(out)")
    // The upgrade order is the planner's: whichever of b and c runs second fails.
    let (upgrade, _, upgradeErrors) = try CLITests.run(["upgrade", "heads"], in: project.root)
    #expect(upgrade != 0)
    let failing = upgradeErrors.contains("upgrade of c failed") ? "c" : "b"
    #expect(
      out.contains("mig/versions/\(failing).sql:6: revision \(failing) fails when the migrations are replayed"),
      "\(out)")
    #expect(out.contains("upgrade: duplicate column name: email"), "\(out)")
    let (_, json) = try Self.check(project, json: true)
    #expect(json.contains(#""kind": "invalid-schema""#) && json.contains(#""revisions": ["\#(failing)"]"#), "\(json)")
  }

  @Test("a downgrade that leaves its table behind: the upgrade after the downgrades fails, and says so")
  func downgradeLeavesTable() throws {
    let body: Body = { record in
      record.id == "b" ? ("CREATE TABLE t_b (x INTEGER);", "DELETE FROM t_b;") : NativeProject.tableBody(record)
    }
    let project = try NativeProject(Fixture.records("a<base, b<a"), body: body)
    defer { project.remove() }
    let (status, out) = try Self.check(project)
    #expect(status == 12, "\(out)")
    #expect(out.contains("revision b fails") && out.contains("did a downgrade leave something behind?"), "\(out)")
    #expect(out.contains("table t_b already exists"), "\(out)")
  }

  @Test("a clean history passes, is not replayed again until a file changes, and a change is checked")
  func cachedReplay() throws {
    let project = try NativeProject(Fixture.records("a<base, b<a"))
    defer { project.remove() }
    let (status, out) = try Self.check(project)
    #expect(status == 0 && out.contains(": ok"), "\(out)")
    let stamps = project.root.appendingPathComponent(".cache/replay")
    #expect(try FileManager.default.contentsOfDirectory(atPath: stamps.path).count == 1)
    #expect(try Self.check(project).0 == 0)
    #expect(try FileManager.default.contentsOfDirectory(atPath: stamps.path).count == 1)
    // Break b: the cache does not hide it.
    try project.write(Fixture.records("a<base, b<a")[1], body: ("CREATE TABLE t_a (x INTEGER);", "DROP TABLE t_a;"))
    let (broken, brokenOut) = try Self.check(project)
    #expect(broken == 12 && brokenOut.contains("table t_a already exists"), "\(brokenOut)")
  }

  @Test(
    "no (or an empty) downgrade section: replayed up only, with a note; a PostgreSQL project: not replayed, with a note"
  )
  func notes() throws {
    let body: Body = { record in
      record.id == "b" ? ("CREATE TABLE t_b (x INTEGER);", nil) : NativeProject.tableBody(record)
    }
    let project = try NativeProject(Fixture.records("a<base, b<a"), body: body)
    defer { project.remove() }
    let (status, out) = try Self.check(project)
    #expect(status == 0 && out.contains("not down again: b's '-- +downgrade' section is missing or empty"), "\(out)")
    let (pgStatus, pgOut) = try Self.check(project, database: "postgresql://nobody@127.0.0.1:1/none")
    #expect(pgStatus == 0 && pgOut.contains("revisions were not replayed (the database is PostgreSQL"), "\(pgOut)")
  }
}
