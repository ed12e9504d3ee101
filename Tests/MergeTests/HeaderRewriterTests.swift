import Testing

@testable import Merge

/// A file, the parents to write, and the expected file.
struct RewriteCase: Sendable, CustomTestStringConvertible {
  var name: String
  var native: Bool
  var source: String
  var parents: [String]
  var expected: String
  var testDescription: String { name }
}

@Suite struct HeaderRewriterTests {
  static let cases: [RewriteCase] = [
    .init(
      name: "python: plain assignment", native: false, source: "revision = 'c'\ndown_revision = 'a'\n", parents: ["b"],
      expected: "revision = 'c'\ndown_revision = 'b'\n"),
    .init(
      name: "python: annotation, double quotes and a trailing comment kept", native: false,
      source: "down_revision: Union[str, None] = \"a\"  # parent\nx = 1\n", parents: ["b"],
      expected: "down_revision: Union[str, None] = \"b\"  # parent\nx = 1\n"),
    .init(
      name: "python: backslash continuation", native: false,
      source: "down_revision = \\\n    'a'\nbranch_labels = None\n",
      parents: ["b"], expected: "down_revision = \\\n    'b'\nbranch_labels = None\n"),
    .init(
      name: "python: CRLF line endings kept", native: false,
      source: "\"\"\"m\r\n\r\nRevises: a\r\n\"\"\"\r\ndown_revision = 'a'\r\nbranch_labels = None\r\n", parents: ["b"],
      expected: "\"\"\"m\r\n\r\nRevises: b\r\n\"\"\"\r\ndown_revision = 'b'\r\nbranch_labels = None\r\n"),
    .init(
      name: "python: a list becomes Alembic's form", native: false, source: "down_revision = [\n    'a',\n]\n",
      parents: ["b"], expected: "down_revision = 'b'\n"),
    .init(
      name: "python: to base", native: false, source: "down_revision = 'a'\n", parents: [],
      expected: "down_revision = None\n"),
    .init(
      name: "python: a root gets a parent", native: false, source: "down_revision = None\n", parents: ["a"],
      expected: "down_revision = 'a'\n"),
    .init(
      name: "python: only the top-level assignment", native: false,
      source: "def f():\n    down_revision = 'x'\ndown_revision = 'a'\n", parents: ["b"],
      expected: "def f():\n    down_revision = 'x'\ndown_revision = 'b'\n"),
    .init(
      name: "native: spacing kept", native: true,
      source: "-- revision: c\n--  down_revision:   a\n-- message: m\n\n-- +upgrade\n",
      parents: ["b"], expected: "-- revision: c\n--  down_revision:   b\n-- message: m\n\n-- +upgrade\n"),
    .init(
      name: "native: to base removes the line", native: true,
      source: "-- revision: c\n-- down_revision: a\n\n-- +upgrade\n",
      parents: [], expected: "-- revision: c\n\n-- +upgrade\n"),
    .init(
      name: "native: a down_revision-looking comment below the header is left alone", native: true,
      source: "-- revision: c\n\n-- down_revision: zzz\n-- +upgrade\n", parents: ["a"],
      expected: "-- revision: c\n-- down_revision: a\n\n-- down_revision: zzz\n-- +upgrade\n"),
  ]

  @Test(arguments: cases)
  func rewrites(_ c: RewriteCase) throws {
    let output = try HeaderRewriter.rewrite(Array(c.source.utf8), native: c.native, path: "f", parents: c.parents)
    #expect(String(decoding: output, as: UTF8.self) == c.expected)
  }

  @Test("a script without a top-level down_revision cannot be rewritten")
  func missing() {
    #expect(
      throws: MergeError.unrewritableHeader(
        location: "f", reason: "no top-level `down_revision = …` assignment to rewrite")
    ) {
      try HeaderRewriter.rewrite(Array("revision = 'a'\n".utf8), native: false, path: "f", parents: ["b"])
    }
  }
}
