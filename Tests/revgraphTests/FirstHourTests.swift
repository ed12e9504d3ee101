import Foundation
import Project
import TestSupport
import Testing

@testable import Graph

/// First-hour messages: each suggests a command that, run as written, does what it says.
@Suite struct FirstHourTests {
  @Test("no project here: the suggested `revgraph init migrations` makes one, with a relative location")
  func noProject() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-first-\(UUID())")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let (status, _, errors) = try CLITests.run(["heads"], in: root)
    #expect(status != 0)
    let suggestion = try #require(errors.components(separatedBy: "`").first { $0.hasPrefix("revgraph init") })
    #expect(suggestion == "revgraph init migrations")
    #expect(!errors.contains("init /"), "\(errors)")
    let (created, _, createErrors) = try CLITests.run(
      Array(suggestion.split(separator: " ").dropFirst().map(String.init)), in: root)
    #expect(created == 0, "\(createErrors)")
    let config = try String(contentsOf: root.appendingPathComponent("revgraph.toml"), encoding: .utf8)
    #expect(config.contains("script_location = \"migrations\""), "\(config)")
    #expect(try CLITests.run(["heads"], in: root).0 == 0)
  }

  @Test("check --base with an unknown ref: one line naming the ref and the fix, exit 1")
  func unknownBase() throws {
    let project = try NativeProject(Fixture.records("a<base"))
    defer { project.remove() }
    #expect(try TestDatabase.run("/usr/bin/git", ["-C", project.root.path, "init", "-q"]).status == 0)
    let (status, _, errors) = try CLITests.run(["check", "--base", "origin/nosuch"], in: project.root)
    #expect(status == 1)
    #expect(
      errors
        == "revgraph: error: --base origin/nosuch: git knows no commit by that name; check the spelling (git branch -a lists the branches), or fetch it first (git fetch origin)\n",
      "\(errors)")
  }
}

/// Ambiguous targets: the alternatives the message names are real targets, and each does what
/// it says when run.
@Suite struct AmbiguityAdviceTests {
  /// The quoted alternatives of an error message (`'x'` words), without placeholders.
  static func quoted(_ text: String) -> [String] {
    text.components(separatedBy: "'").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
      .filter { !$0.contains("<") && !$0.contains(" ") }
  }

  static func rows(_ project: NativeProject) throws -> [String] {
    try RunnerCLITests.query(project.database, "SELECT version_num FROM revgraph_version ORDER BY 1")
  }

  @Test("two heads: 'head' names each head, and upgrading to the first applies that branch only")
  func multipleHeads() throws {
    let project = try NativeProject(Fixture.records(Fixture.diamond).filter { $0.id != "e" })
    defer { project.remove() }
    let (status, _, errors) = try CLITests.run(["upgrade", "head"], in: project.root)
    #expect(status != 0)
    let named = Self.quoted(errors).filter { ["d1", "d2"].contains($0) }
    #expect(Set(named) == ["d1", "d2"], "\(errors)")
    #expect(try CLITests.run(["upgrade", named[0]], in: project.root).0 == 0)
    #expect(try Self.rows(project) == [named[0]])
  }

  @Test("-1 with two rows: each suggested 'row@-1' reverts one step on that branch")
  func relativeStart() throws {
    let project = try NativeProject(Fixture.records(Fixture.diamond).filter { $0.id != "e" })
    defer { project.remove() }
    #expect(try CLITests.run(["upgrade", "heads"], in: project.root).0 == 0)
    let (status, _, errors) = try CLITests.run(["downgrade", "-1"], in: project.root)
    #expect(status != 0)
    let suggested = Self.quoted(errors).filter { $0.hasSuffix("@-1") }
    #expect(suggested == ["d1@-1", "d2@-1"] || suggested == ["d2@-1", "d1@-1"], "\(errors)")
    #expect(try CLITests.run(["downgrade", "d2@-1"], in: project.root).0 == 0)
    #expect(try Self.rows(project) == ["c2", "d1"])
  }

  @Test("walking up from a branch point or down from a merge: the suggested walks work")
  func walks() throws {
    let project = try NativeProject(Fixture.records(Fixture.diamond))
    defer { project.remove() }
    #expect(try CLITests.run(["upgrade", "b"], in: project.root).0 == 0)
    let (up, _, upErrors) = try CLITests.run(["upgrade", "b+2"], in: project.root)
    #expect(up != 0)
    #expect(Set(Self.quoted(upErrors).filter { $0.hasSuffix("+1") }) == ["c1+1", "c2+1"], "\(upErrors)")
    #expect(try CLITests.run(["upgrade", "c1+1"], in: project.root).0 == 0)
    #expect(try Self.rows(project) == ["d1"])
    #expect(try CLITests.run(["upgrade", "heads"], in: project.root).0 == 0)
    let (down, _, downErrors) = try CLITests.run(["downgrade", "e-2"], in: project.root)
    #expect(down != 0)
    #expect(Set(Self.quoted(downErrors).filter { $0.hasSuffix("-1") }) == ["d1-1", "d2-1"], "\(downErrors)")
    #expect(try CLITests.run(["downgrade", "d1-1"], in: project.root).0 == 0)
    // Down to c1 on that branch: e and d1 are reverted, the other branch stays.
    #expect(try Self.rows(project) == ["c1", "d2"])
  }
}

@Suite struct FailedRunAdviceTests {
  @Test("a failed upgrade names where the database is and the command that goes on; that command does")
  func resume() throws {
    let broken: (RevisionRecord) -> (String, String?) = { record in
      record.id == "b" ? ("INSERT INTO missing_table VALUES (1);", "") : NativeProject.tableBody(record)
    }
    let records = Fixture.records("a<base, b<a, c<b")
    let project = try NativeProject(records, body: broken)
    defer { project.remove() }
    let (status, _, errors) = try CLITests.run(["upgrade", "heads"], in: project.root)
    #expect(status != 0)
    #expect(errors.contains("nothing of b was kept; the database is at a."), "\(errors)")
    let command = try #require(errors.components(separatedBy: "`").first { $0.hasPrefix("revgraph ") }, "\(errors)")
    #expect(command == "revgraph upgrade heads")
    try project.write(records[1], body: NativeProject.tableBody(records[1]))
    let (resumed, out, resumeErrors) = try CLITests.run(
      Array(command.split(separator: " ").dropFirst().map(String.init)), in: project.root)
    #expect(resumed == 0, "\(resumeErrors)")
    #expect(out.contains("-> b, rev b") && out.contains("-> c, rev c") && !out.contains("-> a, rev a"), "\(out)")
  }

  @Test(
    "a relative run that fails part-way: the command that goes on names where it was going, not the relative step again"
  )
  func resumeRelative() throws {
    let records = Fixture.records("a<base, b<a, c<b")
    let broken: (RevisionRecord) -> (String, String?) = { record in
      record.id == "b"
        ? ("CREATE TABLE t_b (x INTEGER);", "DROP TABLE missing_table;") : NativeProject.tableBody(record)
    }
    let project = try NativeProject(records, body: broken)
    defer { project.remove() }
    #expect(try CLITests.run(["upgrade", "heads"], in: project.root).0 == 0)
    // downgrade -2 reverts c, then fails in b: running `downgrade -2` again would go below a.
    let (status, _, errors) = try CLITests.run(["downgrade", "-2"], in: project.root)
    #expect(status != 0)
    #expect(errors.contains("the database is at b."), "\(errors)")
    let command = try #require(errors.components(separatedBy: "`").first { $0.hasPrefix("revgraph ") }, "\(errors)")
    #expect(command == "revgraph downgrade a")
    try project.write(records[1], body: NativeProject.tableBody(records[1]))
    let (resumed, _, resumeErrors) = try CLITests.run(
      Array(command.split(separator: " ").dropFirst().map(String.init)), in: project.root)
    #expect(resumed == 0, "\(resumeErrors)")
    #expect(try RunnerCLITests.query(project.database, "SELECT version_num FROM revgraph_version") == ["a"])
  }
}
