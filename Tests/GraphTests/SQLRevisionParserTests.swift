import Foundation
import Testing

@testable import Graph

@Suite struct SQLRevisionParserTests {
  @Test("the documented example")
  func example() throws {
    let text = """
      -- revision: 1975ea83b712
      -- down_revision: ae1027a6acf, 27c6a30d7c24
      -- branch_labels: shopping_cart
      -- depends_on: 55af2cb1c267
      -- message: create account table
      -- create_date: 2026-11-24 10:00:00

      -- +upgrade
      CREATE TABLE account (id INTEGER PRIMARY KEY, name TEXT NOT NULL);

      -- +downgrade
      DROP TABLE account;

      """
    let r = try SQLRevisionParser.parse(text, path: "v/1975.sql")
    #expect(r.id == "1975ea83b712")
    #expect(r.downRevisions == ["ae1027a6acf", "27c6a30d7c24"])
    #expect(r.branchLabels == ["shopping_cart"])
    #expect(r.dependsOn == ["55af2cb1c267"])
    #expect(r.message == "create account table")
    #expect(r.attributes["create_date"] == "2026-11-24 10:00:00")
    #expect(r.attributes["upgrade_line"] == "8" && r.attributes["downgrade_line"] == "11")
    #expect(r.lines["down_revision"] == 2)
    #expect(r.format == .sql)
  }

  @Test("a base: down_revision absent or empty; CRLF line endings")
  func bases() throws {
    #expect(try SQLRevisionParser.parse("-- revision: a\n\n-- +upgrade\n", path: "a.sql").downRevisions == [])
    #expect(
      try SQLRevisionParser.parse("-- revision: a\r\n-- down_revision:\r\n\r\n-- +upgrade\r\n", path: "a.sql")
        .downRevisions == [])
  }

  @Test("comments after the header are free; the header ends at the first other line")
  func headerEnds() throws {
    let r = try SQLRevisionParser.parse(
      "-- revision: a\n\n-- note: this is not a header key\n-- +upgrade\n", path: "a.sql")
    #expect(r.id == "a")
  }

  struct ErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var location: String
    var reasonContains: String
    var testDescription: String { name }
  }

  static let errors: [ErrorCase] = [
    ErrorCase(
      name: "unknown key", text: "-- revision: a\n-- parent: b\n\n-- +upgrade\n", location: "x.sql:2",
      reasonContains: "unknown header key 'parent'"),
    ErrorCase(
      name: "repeated key", text: "-- revision: a\n-- revision: b\n\n-- +upgrade\n", location: "x.sql:2",
      reasonContains: "repeats line 1"),
    ErrorCase(
      name: "keys are case-sensitive", text: "-- Revision: a\n\n-- +upgrade\n", location: "x.sql:1",
      reasonContains: "unknown header key 'Revision'"),
    ErrorCase(
      name: "missing revision", text: "-- message: hi\n\n-- +upgrade\n", location: "x.sql:1",
      reasonContains: "no '-- revision: <id>'"),
    ErrorCase(
      name: "missing upgrade section", text: "-- revision: a\n\nCREATE TABLE t (x);\n", location: "x.sql",
      reasonContains: "no '-- +upgrade'"),
    ErrorCase(
      name: "downgrade before upgrade", text: "-- revision: a\n\n-- +downgrade\n-- +upgrade\n", location: "x.sql:3",
      reasonContains: "must come after"),
    ErrorCase(
      name: "two upgrade markers", text: "-- revision: a\n\n-- +upgrade\n-- +upgrade\n", location: "x.sql:4",
      reasonContains: "second '-- +upgrade'"),
    ErrorCase(
      name: "empty list entry", text: "-- revision: a\n-- down_revision: b,,c\n\n-- +upgrade\n", location: "x.sql:2",
      reasonContains: "empty entry"),
    ErrorCase(
      name: "bad transactional", text: "-- revision: a\n-- transactional: maybe\n\n-- +upgrade\n", location: "x.sql:2",
      reasonContains: "'true' or 'false'"),
  ]

  @Test(arguments: errors)
  func error(_ c: ErrorCase) {
    let error = graphError { try SQLRevisionParser.parse(c.text, path: "x.sql") }
    guard case .invalidScript(let location, let reason)? = error else {
      Issue.record("expected invalidScript, got \(String(describing: error))")
      return
    }
    #expect(location == c.location)
    #expect(reason.contains(c.reasonContains), "\(reason)")
  }
}

@Suite struct RevisionLoaderTests {
  func makeTree(_ files: [String: String]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-loader-\(UUID().uuidString)")
    for (path, text) in files {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return root
  }

  static func sql(_ id: String, _ parent: String? = nil) -> String {
    "-- revision: \(id)\n" + (parent.map { "-- down_revision: \($0)\n" } ?? "") + "\n-- +upgrade\n"
  }

  @Test("load order: sorted names per location, locations in order, subdirectories after files")
  func order() throws {
    let root = try makeTree([
      "v/b.sql": Self.sql("b", "a"), "v/a.sql": Self.sql("a"), "v/sub/c.sql": Self.sql("c", "b"),
      "v/__init__.py": "", "v/.#a.sql": "lock", "v/notes.txt": "x", "w/d.sql": Self.sql("d", "c"),
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let v = root.appendingPathComponent("v").path, w = root.appendingPathComponent("w").path
    let flat = try RevisionLoader.revisionFiles(in: [w, v], recursive: false).map {
      URL(fileURLWithPath: $0).lastPathComponent
    }
    #expect(flat == ["d.sql", "a.sql", "b.sql"])
    let deep = try RevisionLoader.revisionFiles(in: [v, w], recursive: true).map {
      URL(fileURLWithPath: $0).lastPathComponent
    }
    #expect(deep == ["a.sql", "b.sql", "c.sql", "d.sql"])
    // The same location twice is read once.
    #expect(try RevisionLoader.revisionFiles(in: [v, v], recursive: false).count == 2)
    let graph = try RevisionLoader.graph(locations: [v, w], recursive: true)
    #expect(graph.ids(graph.heads) == ["d"])
  }

  @Test("a missing version directory is an error naming it")
  func missingDirectory() {
    let error = graphError { try RevisionLoader.revisionFiles(in: ["/nonexistent/versions"], recursive: false) }
    #expect(error?.description.contains("/nonexistent/versions") == true)
  }

  @Test("errors from a file name the file and line")
  func fileErrors() throws {
    let root = try makeTree([
      "v/a.sql": Self.sql("a"), "v/b.sql": "-- revision: b\n-- down_revision: zz\n\n-- +upgrade\n",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let error = graphError { try RevisionLoader.graph(locations: [root.appendingPathComponent("v").path]) }
    #expect(error?.kind == "missing-revision")
    #expect(error?.description.contains("b.sql:2") == true)
  }
}
