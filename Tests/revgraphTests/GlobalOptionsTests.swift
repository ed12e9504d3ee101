import Foundation
import Project
import TestSupport
import Testing

@testable import Graph

/// Alembic's global options before the subcommand: `-c`, `-n`, `-x`, `--raiseerr`, `-q`; and
/// the progress lines of a run.
@Suite struct GlobalOptionsTests {
  @Test("-c before the subcommand works as after it, from any directory, for every command that reads a project")
  func configBeforeSubcommand() throws {
    let root = try CLITests.alembicProject()
    defer { try? FileManager.default.removeItem(at: root) }
    let elsewhere = root.deletingLastPathComponent()
    let ini = root.appendingPathComponent("alembic.ini").path
    for arguments in [["heads"], ["history"], ["branches"], ["show", "y2"], ["resolve", "heads"], ["check"]] {
      // check names the project file in its fixes (`-c …`), so it is compared with -c given after.
      let before = try CLITests.run(["-c", ini] + arguments, in: elsewhere)
      let after = try CLITests.run(arguments + ["-c", ini], in: elsewhere)
      let long = try CLITests.run(["--config=\(ini)"] + arguments, in: elsewhere)
      #expect(before.0 == after.0 && before.1 == after.1 && before.1 == long.1, "\(arguments): \(before.2)")
      if arguments != ["check"] { #expect(before.1 == (try CLITests.run(arguments, in: root)).1, "\(arguments)") }
    }
    #expect(try CLITests.run(["-c", ini, "heads"], in: elsewhere).1.contains("y2 (ybr) (head)"))
    #expect(try CLITests.run(["-c", ini, "check"], in: elsewhere).0 == 9)
  }

  @Test("-n SECTION reads another section of alembic.ini; an unknown one is named; revgraph.toml has none")
  func sectionName() throws {
    let root = try CLITests.alembicProject()
    defer { try? FileManager.default.removeItem(at: root) }
    let other = root.appendingPathComponent("other/versions")
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    try "-- revision: o1\n-- message: other\n\n-- +upgrade\n".write(
      to: other.appendingPathComponent("o1.sql"), atomically: true, encoding: .utf8)
    let ini = root.appendingPathComponent("alembic.ini")
    try "[alembic]\nscript_location = %(here)s/mig\n\n[tenant]\nscript_location = %(here)s/other\n".write(
      to: ini, atomically: true, encoding: .utf8)
    #expect(try CLITests.run(["-n", "tenant", "heads"], in: root).1 == "o1 (head)\n")
    #expect(try CLITests.run(["--name", "tenant", "-c", "alembic.ini", "heads"], in: root).1 == "o1 (head)\n")
    #expect(try CLITests.run(["heads"], in: root).1.contains("y2 (ybr) (head)"))
    let (status, _, errors) = try CLITests.run(["-n", "nosuch", "heads"], in: root)
    #expect(status != 0 && errors.contains("nosuch"), "\(errors)")
    let native = try NativeProject(Fixture.records("a<base"))
    defer { native.remove() }
    let (nativeStatus, _, nativeErrors) = try CLITests.run(["-n", "tenant", "heads"], in: native.root)
    #expect(nativeStatus != 0 && nativeErrors.contains("leave -n out"), "\(nativeErrors)")
  }

  @Test("-x KEY=VALUE fills ${x.KEY} in the revision template")
  func templateArguments() throws {
    let project = try NativeProject(Fixture.records("a<base"))
    defer { project.remove() }
    try
      "-- revision: ${revision}\n-- down_revision: ${down_revision}\n-- message: ${message}\n\n-- +upgrade\n-- tenant ${x.tenant}, ${x.flag}.\n\n-- +downgrade\n"
      .write(to: project.root.appendingPathComponent("mig/script.sql.template"), atomically: true, encoding: .utf8)
    let (status, out, errors) = try CLITests.run(
      ["-x", "tenant=acme", "-x", "flag", "revision", "-m", "next", "--rev-id", "b"], in: project.root)
    #expect(status == 0, "\(errors)")
    let path = try #require(out.split(separator: "\n").last.map { String($0.split(separator: " ").last ?? "") })
    let text = try String(contentsOfFile: project.root.appendingPathComponent(path).path, encoding: .utf8)
    #expect(text.contains("-- tenant acme, ."), "\(text)")
  }

  @Test("-q keeps upgrade quiet; --raiseerr adds the error's detail; a bad global option is refused with an example")
  func quietAndRaiseErr() throws {
    let project = try NativeProject(Fixture.records("a<base, b<a"))
    defer { project.remove() }
    let (quiet, quietOut, quietErrors) = try CLITests.run(["-q", "upgrade", "heads"], in: project.root)
    #expect(quiet == 0 && quietOut.isEmpty && quietErrors.isEmpty, "\(quietOut) \(quietErrors)")
    #expect(try RunnerCLITests.query(project.database, "SELECT version_num FROM revgraph_version") == ["b"])
    let (failed, _, errors) = try CLITests.run(["--raiseerr", "downgrade", "nosuch"], in: project.root)
    #expect(failed != 0 && errors.contains("revgraph: error: ") && errors.contains("error detail (--raiseerr)"))
    let (plain, _, plainErrors) = try CLITests.run(["downgrade", "nosuch"], in: project.root)
    #expect(plain != 0 && !plainErrors.contains("error detail"))
    let (missing, _, missingErrors) = try CLITests.run(["-c"], in: project.root)
    #expect(missing == 64 && missingErrors.contains("-c needs a value (e.g. revgraph -c alembic.ini upgrade head)"))
    let (_, help, _) = try CLITests.run(["--help"], in: project.root)
    #expect(help.contains("Global options (before the subcommand") && help.contains("-x KEY=VALUE"))
  }

  @Test("each step is printed when it starts; a failing one is marked, then the error follows")
  func progressLines() throws {
    let body: (RevisionRecord) -> (String, String?) = { record in
      record.id == "b" ? ("INSERT INTO missing_table VALUES (1);", nil) : NativeProject.tableBody(record)
    }
    let project = try NativeProject(Fixture.records("a<base, b<a"), body: body)
    defer { project.remove() }
    let (status, out, errors) = try CLITests.run(["upgrade", "heads"], in: project.root)
    #expect(status != 0)
    let lines = out.split(separator: "\n").map(String.init)
    #expect(lines.count == 2 && lines[0].hasPrefix("Running upgrade  -> a, rev a (") && lines[0].hasSuffix(" ms)"))
    #expect(lines.last == "Running upgrade a -> b, rev b failed", "\(out)")
    #expect(errors.contains("upgrade of b failed"), "\(errors)")
  }
}
