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

/// A header line that looks like a key but is not `-- key: value` is an error; ordinary
/// comments still end the header.
extension SQLRevisionParserTests {
  /// `text` with `-- revision: a` first and `-- +upgrade` after a blank line.
  static func header(_ lines: String...) -> String {
    "-- revision: a\n" + lines.map { $0 + "\n" }.joined() + "\n-- +upgrade\n"
  }

  static let malformedLines: [ErrorCase] = [
    ErrorCase(
      name: "a key without its colon", text: header("-- down_revision 2b3c4d5e6f70"), location: "x.sql:2",
      reasonContains: "write it as `-- down_revision: 2b3c4d5e6f70`"),
    ErrorCase(
      name: "a key with an equals sign", text: header("-- down_revision = b"), location: "x.sql:2",
      reasonContains: "write it as `-- down_revision: b`"),
    ErrorCase(
      name: "a space before the colon", text: header("-- down_revision : b"), location: "x.sql:2",
      reasonContains: "write it as `-- down_revision: b`"),
    ErrorCase(
      name: "a tab instead of the colon", text: header("-- depends_on\tb"), location: "x.sql:2",
      reasonContains: "write it as `-- depends_on: b`"),
    ErrorCase(
      name: "no space after the dashes", text: header("--down_revision b"), location: "x.sql:2",
      reasonContains: "write it as `-- down_revision: b`"),
    ErrorCase(
      name: "a key alone", text: header("-- message"), location: "x.sql:2",
      reasonContains: "write it as `-- message: "),
    ErrorCase(
      name: "a misspelt key without its colon", text: header("-- down_revison b"), location: "x.sql:2",
      reasonContains: "looks like the header key 'down_revision'"),
    ErrorCase(
      name: "a transposition in a short key", text: header("-- mesasge hello"), location: "x.sql:2",
      reasonContains: "write it as `-- message: hello`"),
    ErrorCase(
      name: "a hyphen for the underscore", text: header("-- down-revision: b"), location: "x.sql:2",
      reasonContains: "write it as `-- down_revision: b`"),
    ErrorCase(
      name: "a capitalised key without its colon", text: "-- Revision a\n\n-- +upgrade\n", location: "x.sql:1",
      reasonContains: "write it as `-- revision: a`"),
    ErrorCase(
      name: "the line number after valid lines",
      text: header("-- message: m", "-- branch_labels: x", "-- down_revision 2b3c"), location: "x.sql:4",
      reasonContains: "write it as `-- down_revision: 2b3c`"),
    ErrorCase(
      name: "CRLF line endings", text: "-- revision: a\r\n-- down_revision b\r\n\r\n-- +upgrade\r\n",
      location: "x.sql:2", reasonContains: "write it as `-- down_revision: b`"),
    ErrorCase(
      name: "the fix for a comment is named too", text: header("-- down_revision b"), location: "x.sql:2",
      reasonContains: "blank line"),
    ErrorCase(
      name: "a comment word two edits from a long key", text: header("-- Transactions are off here"),
      location: "x.sql:2", reasonContains: "'Transactions' looks like the header key 'transactional'"),
    ErrorCase(
      name: "a header key after a comment in the leading comments",
      text: header("-- adds users", "-- down_revision: b"), location: "x.sql:3",
      reasonContains: "after the header, which ended at line 2"),
    ErrorCase(
      name: "a header key after an empty comment line", text: header("--", "-- down_revision: b"),
      location: "x.sql:3", reasonContains: "after the header"),
  ]

  static let suggestions: [ErrorCase] = [
    ErrorCase(
      name: "a misspelt key", text: header("-- down_revison: b"), location: "x.sql:2",
      reasonContains: "unknown header key 'down_revison'; did you mean `down_revision`?"),
    ErrorCase(
      name: "a transposition", text: "-- revsiion: a\n\n-- +upgrade\n", location: "x.sql:1",
      reasonContains: "did you mean `revision`?"),
    ErrorCase(
      name: "the wrong case", text: "-- Revision: a\n\n-- +upgrade\n", location: "x.sql:1",
      reasonContains: "did you mean `revision`?"),
    ErrorCase(
      name: "a singular for a plural", text: header("-- branch_label: x"), location: "x.sql:2",
      reasonContains: "did you mean `branch_labels`?"),
    ErrorCase(
      name: "part of a key", text: header("-- depends: b"), location: "x.sql:2",
      reasonContains: "did you mean `depends_on`?"),
    ErrorCase(
      name: "a missing letter", text: header("-- transactionl: true"), location: "x.sql:2",
      reasonContains: "did you mean `transactional`?"),
    ErrorCase(
      name: "a repeated key names both lines", text: header("-- message: x", "-- down_revision: b", "-- message: y"),
      location: "x.sql:4", reasonContains: "header key 'message' repeats line 2"),
  ]

  @Test("a malformed header line is an error naming the line and the fix", arguments: malformedLines)
  func malformed(_ c: ErrorCase) { error(c) }

  @Test("an unknown key suggests the known key it is close to", arguments: suggestions)
  func suggestion(_ c: ErrorCase) { error(c) }

  @Test("an unknown key far from every known key gets no suggestion")
  func noSuggestion() {
    let error = graphError { try SQLRevisionParser.parse(Self.header("-- parent: b"), path: "x.sql") }
    #expect(error?.description.contains("unknown header key 'parent'") == true)
    #expect(error?.description.contains("did you mean") == false)
  }

  struct CommentCase: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var downRevisions: [String]
    var testDescription: String { name }
  }

  static let comments: [CommentCase] = [
    CommentCase(
      name: "a sentence", text: header("-- down_revision: b", "-- This migration adds users"), downRevisions: ["b"]),
    CommentCase(name: "a short first word", text: header("-- add users"), downRevisions: []),
    CommentCase(name: "an empty comment", text: header("-- down_revision: b", "--"), downRevisions: ["b"]),
    CommentCase(
      name: "a TODO after a comment", text: header("-- down_revision: b", "-- Adds users.", "-- TODO: fix"),
      downRevisions: ["b"]),
    CommentCase(
      name: "anything after a blank line",
      text: "-- revision: a\n\n-- TODO: fix\n-- down_revision c\n-- down_revision: c\n-- +upgrade\n", downRevisions: []),
    CommentCase(
      name: "words near a short key", text: header("-- down_revision: b", "-- Decision to keep the index"),
      downRevisions: ["b"]),
    CommentCase(name: "a word starting like a key", text: header("-- Depends on the users table"), downRevisions: []),
    CommentCase(name: "a version note", text: header("-- Version 2 of the schema"), downRevisions: []),
    CommentCase(name: "a non-ASCII comment", text: header("-- Ünïcode comment: fine"), downRevisions: []),
    CommentCase(name: "three dashes", text: header("--- down_revision b"), downRevisions: []),
    CommentCase(
      name: "the upgrade marker right after the header", text: "-- revision: a\n-- +upgrade\n", downRevisions: []),
    CommentCase(name: "no space after the dashes", text: header("--down_revision: b"), downRevisions: ["b"]),
    CommentCase(name: "a key in the SQL body", text: header() + "-- down_revision b\n", downRevisions: []),
  ]

  @Test("ordinary comments end the header without an error", arguments: comments)
  func comment(_ c: CommentCase) throws {
    let record = try SQLRevisionParser.parse(c.text, path: "x.sql")
    #expect(record.id == "a")
    #expect(record.downRevisions == c.downRevisions)
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

  @Test("a malformed header line is reported on every load through the header cache")
  func malformedThroughCache() throws {
    let root = try makeTree(["v/a.sql": Self.sql("a"), "v/b.sql": Self.sql("b", "a")])
    defer { try? FileManager.default.removeItem(at: root) }
    let v = root.appendingPathComponent("v").path
    let cache = HeaderCache(directory: root.appendingPathComponent("cache").path, settleTime: .zero)
    usleep(30_000)
    let first = try RevisionLoader.cachedLoad(locations: [v], recursive: false, cache: cache)
    #expect(first.use.stored == 2)
    // b loses its colon: no longer a child of a, and not silently a second base either.
    usleep(30_000)
    try "-- revision: b\n-- down_revision a\n\n-- +upgrade\n".write(
      toFile: v + "/b.sql", atomically: true, encoding: .utf8)
    usleep(30_000)
    for _ in 0..<2 {
      let error = graphError { try RevisionLoader.cachedLoad(locations: [v], recursive: false, cache: cache) }
      #expect(error?.description.contains("b.sql:2") == true, "\(String(describing: error))")
      #expect(error?.description.contains("write it as `-- down_revision: a`") == true)
    }
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
