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
