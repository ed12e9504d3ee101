import Foundation
import Project
import Testing

/// Two developers, two git branches, one history: `check`, `merge`, `conflicts` and `rebase`
/// end to end, with real git.
@Suite struct TeamWorkflowTests {
  /// A temporary directory removed on deinit.
  final class Sandbox {
    let root: URL
    init() throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-team-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: root) }
  }

  /// Runs git in `directory`; fails the test on a non-zero exit.
  @discardableResult
  static func git(_ arguments: [String], in directory: URL, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> String
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
    process.environment = environment
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    let data = out.fileHandleForReading.readAllRetryingInterrupts()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    #expect(
      process.terminationStatus == 0, "git \(arguments.joined(separator: " ")): \(text)", sourceLocation: sourceLocation
    )
    return text
  }

  static func configure(_ repository: URL) throws {
    try git(["config", "user.name", "Test User"], in: repository)
    try git(["config", "user.email", "test@example.com"], in: repository)
    try git(["config", "commit.gpgsign", "false"], in: repository)
  }

  static func revision(_ id: String, parent: String?, date: String, upgrade: String, in repository: URL) throws {
    var text = "-- revision: \(id)\n"
    if let parent { text += "-- down_revision: \(parent)\n" }
    text += "-- message: rev \(id)\n-- create_date: \(date)\n\n-- +upgrade\n\(upgrade)\n\n-- +downgrade\n"
    try text.write(to: repository.appendingPathComponent("m/versions/\(id).sql"), atomically: true, encoding: .utf8)
  }

  static func files(in directory: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
      files[name] = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
    }
    return files
  }

  @Test("two branches add revisions; check fails with exit 9 and the fix; merge heads resolves it on two clones alike")
  func twoBranches() throws {
    let sandbox = try Sandbox()
    let repo = sandbox.root.appendingPathComponent("repo")
    try FileManager.default.createDirectory(
      at: repo.appendingPathComponent("m/versions"), withIntermediateDirectories: true)
    try Self.git(["init", "-q", "-b", "main"], in: repo)
    try Self.configure(repo)
    try "script_location = \"m\"\n".write(
      to: repo.appendingPathComponent("revgraph.toml"), atomically: true, encoding: .utf8)
    try Self.revision(
      "a0", parent: nil, date: "2026-01-01 09:00:00", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY);", in: repo)
    try Self.git(["add", "-A"], in: repo)
    try Self.git(["commit", "-q", "-m", "base"], in: repo)

    // Alice and Bob each add a revision on their own branch.
    try Self.git(["checkout", "-q", "-b", "alice"], in: repo)
    try Self.revision(
      "b1", parent: "a0", date: "2026-01-02 09:00:00", upgrade: "ALTER TABLE users ADD COLUMN email TEXT;", in: repo)
    try Self.git(["add", "-A"], in: repo)
    try Self.git(["commit", "-q", "-m", "alice: email"], in: repo)
    try Self.git(["checkout", "-q", "-b", "bob", "main"], in: repo)
    try Self.revision(
      "b2", parent: "a0", date: "2026-01-03 09:00:00", upgrade: "ALTER TABLE users ADD COLUMN phone TEXT;", in: repo)
    try Self.git(["add", "-A"], in: repo)
    try Self.git(["commit", "-q", "-m", "bob: phone"], in: repo)

    // Against main as it was, Bob's branch is fine; once Alice's work lands on main, it is stale.
    #expect(try CLITests.run(["check", "--base", "main"], in: repo).0 == 0)
    try Self.git(["checkout", "-q", "main"], in: repo)
    try Self.git(["merge", "-q", "--ff-only", "alice"], in: repo)
    try Self.git(["checkout", "-q", "bob"], in: repo)
    let (stale, staleOut, _) = try CLITests.run(["check", "--base", "main"], in: repo)
    #expect(stale == 10)
    #expect(
      staleOut.contains(
        "stale-branch [10]: b2 (from m/versions/b2.sql) was added on top of a0, but main has moved on to b1"))
    #expect(staleOut.contains("fix: git merge main (or git rebase main), then revgraph merge heads"))
    #expect(staleOut.contains("revgraph rebase b2 --onto b1"))

    // The branches are merged in git: two heads.
    try Self.git(["checkout", "-q", "main"], in: repo)
    try Self.git(["merge", "-q", "--no-edit", "bob"], in: repo)
    let (status, out, _) = try CLITests.run(["check"], in: repo)
    #expect(status == 9)
    #expect(out.contains("multiple-heads [9]: 2 heads: b1 (m/versions/b1.sql), b2 (m/versions/b2.sql)"))
    #expect(out.contains("  fix: revgraph merge heads"))
    let (_, json, _) = try CLITests.run(["check", "--format", "json"], in: repo)
    #expect(
      json.hasPrefix(
        "{\"ok\": false, \"exit_code\": 9, \"revisions\": 3, \"heads\": [\"b1\", \"b2\"], \"findings\": [{\"kind\": \"multiple-heads\""
      ))

    // Both touched users: an overlap, reported before merging.
    let (conflictStatus, conflicts, _) = try CLITests.run(["conflicts"], in: repo)
    #expect(conflictStatus == 0)
    #expect(conflicts.contains("overlap table users: altered on both branches (b1, b2)"))
    #expect(conflicts.contains("b1  m/versions/b1.sql:7  alter (add column email)"))
    #expect(conflicts.contains("b2  m/versions/b2.sql:7  alter (add column phone)"))

    // Two people merge the same heads on two clones.
    let clone = sandbox.root.appendingPathComponent("clone")
    try Self.git(["clone", "-q", repo.path, clone.path], in: sandbox.root)
    try Self.configure(clone)
    let (merged, mergeOut, mergeErr) = try CLITests.run(["merge", "heads"], in: repo)
    #expect(merged == 0, "\(mergeErr)")
    #expect(mergeOut.contains("overlap table users"))
    #expect(try CLITests.run(["merge", "heads"], in: clone).0 == 0)
    let here = try Self.files(in: repo.appendingPathComponent("m/versions"))
    let there = try Self.files(in: clone.appendingPathComponent("m/versions"))
    #expect(here == there)
    #expect(Set(here.keys) == ["a0.sql", "b1.sql", "b2.sql", "\(mergeID)_merge_b1_and_b2.sql"])
    #expect(try CLITests.run(["check"], in: repo).0 == 0)

    // Both commit; git sees one file, not two merges.
    try Self.git(["add", "-A"], in: repo)
    try Self.git(["commit", "-q", "-m", "merge heads"], in: repo)
    try Self.git(["add", "-A"], in: clone)
    try Self.git(["commit", "-q", "-m", "merge heads too"], in: clone)
    try Self.git(["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"], in: clone)
    let (final, finalOut, _) = try CLITests.run(["check"], in: clone)
    #expect(final == 0)
    // b1 changes the schema and its downgrade is empty: the replay cannot go down again.
    #expect(
      finalOut == "revgraph check: 4 revision files, 1 head (\(mergeID)): ok\n"
        + "note: revisions were replayed up to the heads, not down again: b1's '-- +downgrade' section is missing "
        + "or empty\n")
  }

  /// The deterministic id of merging a0's children b1 and b2.
  let mergeID = "60f7d20526ca"

  @Test("rebase for a linear history; refuses a loop with a clear message")
  func rebase() throws {
    let sandbox = try Sandbox()
    let repo = sandbox.root
    try FileManager.default.createDirectory(
      at: repo.appendingPathComponent("m/versions"), withIntermediateDirectories: true)
    try "script_location = \"m\"\n".write(
      to: repo.appendingPathComponent("revgraph.toml"), atomically: true, encoding: .utf8)
    try Self.revision("a0", parent: nil, date: "2026-01-01 09:00:00", upgrade: "", in: repo)
    try Self.revision("b1", parent: "a0", date: "2026-01-02 09:00:00", upgrade: "", in: repo)
    try Self.revision("b2", parent: "a0", date: "2026-01-03 09:00:00", upgrade: "", in: repo)
    let (status, out, _) = try CLITests.run(["rebase", "b2", "--onto", "b1"], in: repo)
    #expect(status == 0)
    #expect(out == "Rewrote m/versions/b2.sql\nb2: down_revision a0 -> b1\nmoved: b2\nheads now: b2\n")
    #expect(try CLITests.run(["heads"], in: repo).1 == "b2 (head)\n")
    let (loop, _, error) = try CLITests.run(["rebase", "b1", "--onto", "b2"], in: repo)
    #expect(loop == 1)
    #expect(error.contains("cannot rebase b1 onto b2: it descends from b1 (b1 -> b2 -> b1)"))
  }

  @Test("merge refuses one head, and a revision that is not a head without --splice")
  func mergeRefusals() throws {
    let sandbox = try Sandbox()
    let repo = sandbox.root
    try FileManager.default.createDirectory(
      at: repo.appendingPathComponent("m/versions"), withIntermediateDirectories: true)
    try "script_location = \"m\"\n".write(
      to: repo.appendingPathComponent("revgraph.toml"), atomically: true, encoding: .utf8)
    try Self.revision("a0", parent: nil, date: "2026-01-01 09:00:00", upgrade: "", in: repo)
    try Self.revision("b1", parent: "a0", date: "2026-01-02 09:00:00", upgrade: "", in: repo)
    let (one, _, oneError) = try CLITests.run(["merge", "heads"], in: repo)
    #expect(one == 1)
    #expect(oneError.contains("nothing to merge: 'heads' gives only b1; a merge needs two or more distinct heads"))
    let (notHead, _, notHeadError) = try CLITests.run(["merge", "a0", "b1", "--format", "json"], in: repo)
    #expect(notHead == 1)
    #expect(notHeadError.contains("revision a0 is not a head (b1 builds on it)"))
    #expect(try Self.files(in: repo.appendingPathComponent("m/versions")).count == 2)
  }

  @Test("check --help lists the exit codes")
  func help() throws {
    let (_, out, _) = try CLITests.run(["check", "--help"], in: FileManager.default.temporaryDirectory)
    #expect(out.contains("9   multiple-heads: more than one head (per configured branch)"))
    #expect(out.contains("10  stale-branch"))
  }
}

extension TeamWorkflowTests {
  @Test("conflicts: a drop against an alter exits 11, with the JSON report for CI")
  func conflictsJSON() throws {
    let sandbox = try Sandbox()
    let repo = sandbox.root
    try FileManager.default.createDirectory(
      at: repo.appendingPathComponent("m/versions"), withIntermediateDirectories: true)
    try "script_location = \"m\"\n".write(
      to: repo.appendingPathComponent("revgraph.toml"), atomically: true, encoding: .utf8)
    try Self.revision("a0", parent: nil, date: "2026-01-01 09:00:00", upgrade: "CREATE TABLE users (id int);", in: repo)
    try Self.revision("b1", parent: "a0", date: "2026-01-02 09:00:00", upgrade: "DROP TABLE users;", in: repo)
    try Self.revision(
      "b2", parent: "a0", date: "2026-01-03 09:00:00", upgrade: "ALTER TABLE users ADD COLUMN x int;", in: repo)
    let (status, out, _) = try CLITests.run(["conflicts", "b1", "b2", "--format", "json"], in: repo)
    #expect(status == 11)
    #expect(
      out == """
        {"heads": ["b1", "b2"], "common_ancestors": ["a0"], "branches": [{"head": "b1", "revisions": ["b1"]}, \
        {"head": "b2", "revisions": ["b2"]}], "items": [{"kind": "table", "name": "users", "severity": "conflict", \
        "reason": "dropped on the branch to b1, altered on the branch to b2", "branches": [{"head": "b1", "touches": \
        [{"revision": "b1", "path": "m/versions/b1.sql", "line": 7, "action": "drop", "detail": "drop table"}]}, \
        {"head": "b2", "touches": [{"revision": "b2", "path": "m/versions/b2.sql", "line": 7, "action": "alter", \
        "detail": "add column x"}]}]}], "conflicts": 1, "overlaps": 0}

        """)
    // merge still writes (it reports, it does not judge), and prints the report first.
    let (merged, mergeOut, _) = try CLITests.run(["merge", "heads"], in: repo)
    #expect(merged == 0)
    #expect(mergeOut.hasPrefix("branches from a0 to b1, b2:\n"))
    #expect(mergeOut.contains("conflict table users"))
  }
}
