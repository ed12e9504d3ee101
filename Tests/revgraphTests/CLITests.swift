import Foundation
import Project
import Testing

/// End-to-end runs of the built `revgraph` binary on temporary projects.
@Suite struct CLITests {
  /// Runs revgraph in `directory`; returns (exit status, stdout, stderr).
  static func run(_ arguments: [String], in directory: URL, database: String? = nil) throws -> (Int32, String, String) {
    let (process, out, err) = try RunnerCLITests.start(arguments, in: directory, database: database)
    let stdout = out.fileHandleForReading.readAllRetryingInterrupts()
    let stderr = err.fileHandleForReading.readAllRetryingInterrupts()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
  }

  /// Writes an Alembic project (alembic.ini + versions/*.py) for `x1[xbr]; y1[ybr]; y2<y1 dep:x1`.
  static func alembicProject() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-cli-\(UUID().uuidString)")
    let versions = root.appendingPathComponent("mig/versions")
    try FileManager.default.createDirectory(at: versions, withIntermediateDirectories: true)
    try "[alembic]\nscript_location = %(here)s/mig\n".write(
      to: root.appendingPathComponent("alembic.ini"), atomically: true, encoding: .utf8)
    let revisions: [(String, String, String, String)] = [
      ("x1", "None", "('xbr',)", "None"), ("y1", "None", "('ybr',)", "None"), ("y2", "'y1'", "None", "'x1'"),
    ]
    for (id, down, labels, deps) in revisions {
      let text = """
        \"\"\"rev \(id)

        Revision ID: \(id)
        \"\"\"
        from typing import Sequence, Union

        revision: str = '\(id)'
        down_revision: Union[str, Sequence[str], None] = \(down)
        branch_labels: Union[str, Sequence[str], None] = \(labels)
        depends_on: Union[str, Sequence[str], None] = \(deps)


        def upgrade() -> None:
            pass

        """
      try text.write(to: versions.appendingPathComponent("\(id)_r.py"), atomically: true, encoding: .utf8)
    }
    return root
  }

  @Test("C14 history line format with dependency, labels and effective head")
  func historyFormat() throws {
    let root = try Self.alembicProject()
    defer { try? FileManager.default.removeItem(at: root) }
    let (status, out, _) = try Self.run(["history"], in: root)
    #expect(status == 0)
    #expect(
      out
        == "y1 (x1) -> y2 (ybr) (head), rev y2\n<base> -> y1 (ybr), rev y1\n<base> -> x1 (xbr) (effective head), rev x1\n"
    )
  }

  @Test("F12 heads, with and without --resolve-dependencies")
  func headsFormat() throws {
    let root = try Self.alembicProject()
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(try Self.run(["heads"], in: root).1 == "x1 (xbr) (effective head)\ny2 (ybr) (head)\n")
    #expect(try Self.run(["heads", "--resolve-dependencies"], in: root).1 == "y2 (ybr) (head)\n")
  }

  @Test("JSON contract for resolve, plans and errors")
  func jsonContract() throws {
    let root = try Self.alembicProject()
    defer { try? FileManager.default.removeItem(at: root) }
    let (ok, resolved, _) = try Self.run(["resolve", "ybr@head", "--format", "json"], in: root)
    #expect(ok == 0)
    #expect(resolved == "{\"target\": \"ybr@head\", \"revisions\": [\"y2\"]}\n")
    let (_, plan, _) = try Self.run(["upgrade", "ybr@head", "--plan", "--from", "base", "--format", "json"], in: root)
    #expect(
      plan == """
        {"direction": "upgrade", "from": [], "target": "ybr@head", "steps": [{"revision": "x1", "version_table": ["x1"]}, \
        {"revision": "y1", "version_table": ["x1", "y1"]}, {"revision": "y2", "version_table": ["y2"]}]}

        """)
    let (status, error, stderr) = try Self.run(["resolve", "head", "--format", "json"], in: root)
    #expect(status != 0)
    #expect(error.hasPrefix("{\"error\": {\"kind\": \"multiple-heads\", \"message\": "))
    #expect(stderr.contains("x1, y2"))
    let (down, downOut, _) = try Self.run(
      ["downgrade", "xbr@-1", "--plan", "--from", "y2", "--format", "json"], in: root)
    #expect(down == 0)
    #expect(
      downOut.contains(
        "\"steps\": [{\"revision\": \"y2\", \"version_table\": [\"x1\", \"y1\"]}, {\"revision\": \"x1\", \"version_table\": [\"y1\"]}]"
      ))
  }

  @Test("F14 branches output")
  func branchesFormat() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-cli-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let versions = root.appendingPathComponent("m/versions")
    try FileManager.default.createDirectory(at: versions, withIntermediateDirectories: true)
    try "script_location = \"m\"\n".write(
      to: root.appendingPathComponent("revgraph.toml"), atomically: true, encoding: .utf8)
    for (id, down, label) in [("a", "", ""), ("b", "a", ""), ("c1", "b", "c1br"), ("c2", "b", "c2br")] {
      var text = "-- revision: \(id)\n"
      if !down.isEmpty { text += "-- down_revision: \(down)\n" }
      if !label.isEmpty { text += "-- branch_labels: \(label)\n" }
      text += "-- message: rev \(id)\n\n-- +upgrade\n"
      try text.write(to: versions.appendingPathComponent("\(id).sql"), atomically: true, encoding: .utf8)
    }
    #expect(
      try Self.run(["branches"], in: root).1 == "b (branchpoint)\n  -> c1 (c1br) (head)\n  -> c2 (c2br) (head)\n\n")
    // A broken file: the error names the file and line, exit 1.
    try "-- revision: d\n-- down_revision: zzz\n\n-- +upgrade\n".write(
      to: versions.appendingPathComponent("d.sql"), atomically: true, encoding: .utf8)
    let (status, _, stderr) = try Self.run(["heads"], in: root)
    #expect(status == 1)
    #expect(stderr.contains("d.sql:2") && stderr.contains("zzz"))
  }

  @Test("no project: a clear error and exit 2")
  func noProject() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let (status, _, stderr) = try Self.run(["heads"], in: root)
    #expect(status == 2)
    #expect(stderr.contains("revgraph.toml"))
  }

  /// The names users type; each command's configuration spells its name out (deriving it from
  /// the type name costs every start-up a reflection lookup per command).
  static let commandNames = [
    "init", "revision", "upgrade", "downgrade", "stamp", "current", "verify", "heads", "branches", "history",
    "show", "resolve", "graph", "check", "merge", "conflicts", "rebase",
  ]

  @Test("every command is listed and answers under its name", arguments: commandNames)
  func commandName(_ name: String) throws {
    let root = FileManager.default.temporaryDirectory
    let (status, stdout, _) = try Self.run(["help", name], in: root)
    #expect(status == 0)
    #expect(stdout.contains("USAGE: revgraph \(name)"))
    let (_, overview, _) = try Self.run(["--help"], in: root)
    #expect(overview.contains("\n  \(name) "))
  }
}
