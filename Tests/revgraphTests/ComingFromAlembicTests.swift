import Foundation
import Project
import TestSupport
import Testing

@testable import Graph

/// docs/coming-from-alembic.md's command table, walked: every revgraph command and flag it
/// lists exists; and the commands Alembic users expect (`ensure_version`, `edit`,
/// `list_templates`, `--tag`) do what the page says.
@Suite struct ComingFromAlembicTests {
  static var page: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/coming-from-alembic.md")
  }

  /// The revgraph column of each row of the command table, split into words.
  static func rows() throws -> [[String]] {
    try String(contentsOf: page, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("| `alembic ") }
      .compactMap { line -> [String]? in
        let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        guard cells.count >= 2, cells[1].hasPrefix("`revgraph "), cells[1].hasSuffix("`") else { return nil }
        return cells[1].dropFirst().dropLast().split(separator: " ").map(String.init)
      }
  }

  static let globalsWithValues: Set<String> = ["-c", "--config", "-n", "--name", "-x"]
  static let globals: Set<String> = globalsWithValues.union(["--raiseerr", "-q", "--quiet"])

  @Test("every command and flag in the table exists, where the table puts it")
  func table() throws {
    let rows = try Self.rows()
    #expect(rows.count >= 17, "\(rows.count) rows read from \(Self.page.path)")
    let (_, topHelp, _) = try CLITests.run(["--help"], in: FileManager.default.temporaryDirectory)
    for words in rows {
      var index = 1
      while index < words.count, Self.globals.contains(words[index]) {
        #expect(topHelp.contains(words[index]), "\(words[index]) is not in revgraph --help")
        index += Self.globalsWithValues.contains(words[index]) ? 2 : 1
      }
      guard index < words.count else {
        Issue.record("no subcommand in \(words)")
        continue
      }
      let command = words[index]
      let flags = words[(index + 1)...].filter { $0.hasPrefix("-") && $0 != "-" }
      if command == "COMMAND" { continue }
      let (status, help, errors) = try CLITests.run([command, "--help"], in: FileManager.default.temporaryDirectory)
      #expect(status == 0, "revgraph \(command) --help: \(errors)")
      for flag in flags {
        #expect(
          help.contains(flag + ",") || help.contains(flag + " ") || help.contains(flag + "\n"),
          "revgraph \(command) has no \(flag)")
      }
    }
  }

  @Test(
    "ensure_version creates both tables once, changes nothing else, and its --sql does the same",
    arguments: TestDriver.allCases)
  func ensureVersion(driver: TestDriver) throws {
    let project = try NativeProject(Fixture.records("a<base"))
    defer { project.remove() }
    guard let db = try TestDatabase.make(driver, in: project.root) else { return }
    defer { db.remove() }
    let (status, out, errors) = try CLITests.run(["ensure_version"], in: project.root, database: db.url)
    #expect(status == 0 && out.hasPrefix("Created revgraph_version and revgraph_version_log"), "\(out) \(errors)")
    #expect(try db.tables().filter { $0.hasPrefix("revgraph_") } == ["revgraph_version", "revgraph_version_log"])
    #expect(try db.query("SELECT count(*) FROM revgraph_version") == ["0"])
    let (again, againOut, _) = try CLITests.run(["ensure_version"], in: project.root, database: db.url)
    #expect(again == 0 && againOut.contains("has revgraph_version already"), "\(againOut)")
    guard let offline = try TestDatabase.make(driver, in: project.root.appendingPathComponent("offline")) else {
      return
    }
    defer { offline.remove() }
    try FileManager.default.createDirectory(
      at: project.root.appendingPathComponent("offline"), withIntermediateDirectories: true)
    let (_, script, _) = try CLITests.run(["ensure_version", "--sql"], in: project.root, database: offline.url)
    #expect(try offline.feed(script).status == 0)
    #expect(try offline.tables().filter { $0.hasPrefix("revgraph_") } == ["revgraph_version", "revgraph_version_log"])
  }

  @Test("edit opens the revision's file in $EDITOR and waits; without an editor it says how to set one")
  func edit() throws {
    let project = try NativeProject(Fixture.records("a<base, b<a"))
    defer { project.remove() }
    let script = project.root.appendingPathComponent("editor.sh")
    try "#!/bin/sh\necho '-- edited' >> \"$1\"\n".write(to: script, atomically: true, encoding: .utf8)
    chmod(script.path, 0o755)
    let process = Process()
    process.executableURL = RunnerCLITests.binary
    process.arguments = ["edit", "b"]
    process.currentDirectoryURL = project.root
    var environment = ProcessInfo.processInfo.environment
    environment["EDITOR"] = script.path
    environment["VISUAL"] = nil
    process.environment = environment
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(try String(contentsOf: project.path("b"), encoding: .utf8).hasSuffix("-- edited\n"))
    #expect(!(try String(contentsOf: project.path("a"), encoding: .utf8)).contains("-- edited"))
    environment["EDITOR"] = nil
    let bare = Process()
    bare.executableURL = RunnerCLITests.binary
    bare.arguments = ["edit", "b"]
    bare.currentDirectoryURL = project.root
    bare.environment = environment
    let err = Pipe()
    bare.standardError = err
    try bare.run()
    let said = String(decoding: err.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
    bare.waitUntilExit()
    #expect(
      bare.terminationStatus != 0 && said.contains("set EDITOR") && said.contains("mig/versions/b.sql"), "\(said)")
  }

  @Test("list_templates names init's template; --tag is accepted and said to do nothing")
  func listTemplatesAndTag() throws {
    let (status, out, _) = try CLITests.run(["list_templates"], in: FileManager.default.temporaryDirectory)
    #expect(status == 0 && out.contains("native - ") && out.contains("revgraph init migrations"))
    let project = try NativeProject(Fixture.records("a<base"))
    defer { project.remove() }
    let (tagged, _, errors) = try CLITests.run(["upgrade", "heads", "--tag", "release-7"], in: project.root)
    #expect(tagged == 0 && errors.contains("--tag release-7 has no effect"), "\(errors)")
    #expect(try RunnerCLITests.query(project.database, "SELECT version_num FROM revgraph_version") == ["a"])
  }
}
