import Foundation
import Project
import TestSupport
import Testing

@testable import Graph

/// Two merge revisions of the same parents: one finding whose fix keeps the applied copy,
/// never removes an applied one without rewriting the version table, and works as written.
@Suite(.serialized) struct DuplicateMergeTests {
  /// `a`; `b`, `c` on it; `m1` and `m2` both merging `b` and `c`; in a git repository.
  static func project() throws -> NativeProject {
    let body: (RevisionRecord) -> (String, String?) = { record in
      record.id.hasPrefix("m") ? ("", "") : NativeProject.tableBody(record)
    }
    let project = try NativeProject(Fixture.records("a<base, b<a, c<a, m1<b+c, m2<b+c"), body: body)
    for arguments in [
      ["init", "-q"], ["add", "-A"],
      ["-c", "user.email=t@example.com", "-c", "user.name=T", "commit", "-qm", "history"],
    ] {
      #expect(try TestDatabase.run("/usr/bin/git", ["-C", project.root.path] + arguments).status == 0)
    }
    return project
  }

  /// The fix of check's only finding, run step by step as written; check is then clean.
  static func runFix(_ project: NativeProject, expected: String) throws {
    let (status, out, _) = try CLITests.run(["check"], in: project.root)
    #expect(status == 8, "\(out)")
    let fixes = out.split(separator: "\n").filter { $0.hasPrefix("  fix: ") }.map { String($0.dropFirst(7)) }
    #expect(fixes == [expected], "\(out)")
    #expect(!out.contains("multiple-heads"), "\(out)")
    for step in (fixes.first ?? "").components(separatedBy: " && ") {
      let words = step.split(separator: " ").map(String.init)
      let (ran, ranErrors): (Int32, String)
      if words.first == "git" {
        (ran, ranErrors) = try TestDatabase.run("/usr/bin/git", ["-C", project.root.path] + words.dropFirst())
      } else {
        let result = try CLITests.run(Array(words.dropFirst()), in: project.root)
        (ran, ranErrors) = (result.0, result.2)
      }
      #expect(ran == 0, "\(step): \(ranErrors)")
    }
    let (after, afterOut, _) = try CLITests.run(["check"], in: project.root)
    #expect(after == 0, "\(afterOut)")
  }

  @Test("nothing applied: remove the second copy; no separate multiple-heads advice")
  func unapplied() throws {
    let project = try Self.project()
    defer { project.remove() }
    try Self.runFix(project, expected: "git rm mig/versions/m2.sql")
  }

  @Test("both copies applied: the fix stamps the version table without the removed one, then removes it")
  func bothApplied() throws {
    let project = try Self.project()
    defer { project.remove() }
    #expect(try CLITests.run(["upgrade", "heads"], in: project.root).0 == 0)
    #expect(
      try RunnerCLITests.query(project.database, "SELECT version_num FROM revgraph_version ORDER BY 1") == ["m1", "m2"])
    try Self.runFix(project, expected: "revgraph stamp --purge m1 && git rm mig/versions/m2.sql")
    #expect(try RunnerCLITests.query(project.database, "SELECT version_num FROM revgraph_version") == ["m1"])
    #expect(try CLITests.run(["upgrade", "heads"], in: project.root).1.hasPrefix("Nothing to do"))
  }

  @Test("only the second copy applied: it is the one kept")
  func secondApplied() throws {
    let project = try Self.project()
    defer { project.remove() }
    #expect(try CLITests.run(["upgrade", "m2"], in: project.root).0 == 0)
    try Self.runFix(project, expected: "git rm mig/versions/m1.sql")
    let (_, current, _) = try CLITests.run(["current"], in: project.root)
    #expect(current == "m2 (head) (mergepoint)\n" || current.hasPrefix("m2"), "\(current)")
  }

  @Test("one id in two files: heads, upgrade and check give the same fix")
  func duplicateID() throws {
    let project = try NativeProject(Fixture.records("a<base, b<a"))
    defer { project.remove() }
    let copy = try String(contentsOf: project.path("b"), encoding: .utf8).replacingOccurrences(
      of: "-- message: rev b", with: "-- message: rev b, again")
    try copy.write(to: project.versions.appendingPathComponent("b_again.sql"), atomically: true, encoding: .utf8)
    let fix = "a new revision id (and update the down_revision of its children)"
    let (_, checkOut, _) = try CLITests.run(["check"], in: project.root)
    #expect(
      checkOut.contains("fix: give mig/versions/b_again.sql " + fix)
        || checkOut.contains("fix: give mig/versions/b.sql " + fix), "\(checkOut)")
    for arguments in [["heads"], ["upgrade", "heads"], ["history"]] {
      let (status, _, errors) = try CLITests.run(arguments, in: project.root)
      #expect(status != 0 && errors.contains(fix), "\(arguments): \(errors)")
    }
  }
}
