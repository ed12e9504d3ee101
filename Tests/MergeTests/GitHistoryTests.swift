import Foundation
import Graph
import Testing

@testable import Merge

@Suite struct GitHistoryTests {
  static func git(_ arguments: [String], in directory: String) throws {
    _ = try Git.run(
      ["-c", "user.name=Test", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"] + arguments,
      in: directory)
  }

  @Test("revision files at a ref: listed with ls-tree, read with one cat-file; subdirectories only when recursive")
  func filesAtRef() throws {
    let project = try TestProject()
    try Self.git(["init", "-q"], in: project.root)
    try project.revision("a")
    try project.revision("b", parents: ["a"])
    try project.write("m/versions/sub/c.sql", "-- revision: c\n-- down_revision: b\n\n-- +upgrade\n")
    try project.write("m/versions/notes.txt", "not a revision")
    try project.write("m/versions/broken.sql", "-- revision: x\n")
    try Self.git(["add", "-A"], in: project.root)
    try Self.git(["commit", "-q", "-m", "one"], in: project.root)
    try Self.git(["tag", "one"], in: project.root)
    try project.revision("d", parents: ["b"])  // not committed: not at the ref

    let flat = try LoadedHistory.load(gitRef: "one", locations: [project.versions], recursive: false, in: project.root)
    #expect(flat.records.map(\.id) == ["a", "b"])
    #expect(flat.records.map(\.path) == ["one:m/versions/a.sql", "one:m/versions/b.sql"])
    #expect(flat.failures.count == 1)
    let deep = try LoadedHistory.load(gitRef: "one", locations: [project.versions], recursive: true, in: project.root)
    #expect(deep.records.map(\.id) == ["a", "b", "c"])

    #expect(throws: MergeError.self) {
      try LoadedHistory.load(gitRef: "nosuch", locations: [project.versions], recursive: false, in: project.root)
    }
    let error = #expect(throws: MergeError.self) {
      try LoadedHistory.load(gitRef: "one", locations: ["/elsewhere"], recursive: false, in: project.root)
    }
    #expect(String(describing: error).contains("outside the repository"))
  }

  @Test("the working tree is read tolerantly too")
  func workingTree() throws {
    let project = try TestProject()
    try project.revision("a")
    try project.write("m/versions/broken.sql", "-- revision: x\n")
    let history = try LoadedHistory.load(locations: [project.versions], recursive: false)
    #expect(history.records.map(\.id) == ["a"])
    #expect(history.failures.count == 1)
  }
}
