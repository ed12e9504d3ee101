import Testing

@testable import Graph

/// One script and the record the parser should read from it.
struct ParseCase: Sendable, CustomTestStringConvertible {
  var name: String
  var fileName = "script.py"
  var source: String
  var id: String
  var down: [String] = []
  var labels: [String] = []
  var dependsOn: [String] = []
  var message = ""
  var longMessage: String? = nil
  /// Expected `lines`; `nil` skips the check.
  var lines: [String: Int]? = nil

  var testDescription: String { name }
  var path: String { "versions/\(fileName)" }
}

/// One script the parser should reject, and where and why.
struct RejectCase: Sendable, CustomTestStringConvertible {
  var name: String
  var fileName = "script.py"
  var source: String
  /// The expected location, relative to `versions/`.
  var location: String
  /// Fragments the reason must contain.
  var reason: [String]

  var testDescription: String { name }
}

@Suite struct PythonRevisionParserTests {
  @Test(arguments: templateCases + valueCases + docstringCases + layoutCases)
  func parses(_ c: ParseCase) throws {
    let record = try PythonRevisionParser.parse(c.source, path: c.path)
    #expect(record.id == c.id)
    #expect(record.downRevisions == c.down)
    #expect(record.branchLabels == c.labels)
    #expect(record.dependsOn == c.dependsOn)
    #expect(record.message == c.message)
    #expect(record.longMessage == (c.longMessage ?? c.message))
    #expect(record.path == c.path)
    #expect(record.format == .alembic)
    if let lines = c.lines { #expect(record.lines == lines) }
  }

  @Test(arguments: rejectCases)
  func rejects(_ c: RejectCase) throws {
    let error = #expect(throws: GraphError.self) {
      try PythonRevisionParser.parse(c.source, path: "versions/\(c.fileName)")
    }
    guard case .invalidScript(let location, let reason) = error else {
      Issue.record("expected invalidScript, got \(String(describing: error))")
      return
    }
    #expect(location == "versions/\(c.location)")
    for fragment in c.reason { #expect(reason.contains(fragment), "\(reason)") }
  }
}

// MARK: - Templates

extension PythonRevisionParserTests {
  static let templateCases: [ParseCase] = [
    ParseCase(
      name: "Alembic 1.x template with typing annotations",
      source: """
        \"\"\"add account table

        Revision ID: 1975ea83b712
        Revises: \("")
        Create Date: 2011-11-08 11:40:27.089406

        \"\"\"
        from typing import Sequence, Union

        from alembic import op
        import sqlalchemy as sa


        # revision identifiers, used by Alembic.
        revision: str = '1975ea83b712'
        down_revision: Union[str, Sequence[str], None] = None
        branch_labels: Union[str, Sequence[str], None] = None
        depends_on: Union[str, Sequence[str], None] = None


        def upgrade() -> None:
            \"\"\"Upgrade schema.\"\"\"
            revision = "not-this-one"


        def downgrade() -> None:
            \"\"\"Downgrade schema.\"\"\"
            pass
        """,
      id: "1975ea83b712",
      message: "add account table",
      longMessage: """
        add account table

        Revision ID: 1975ea83b712
        Revises: \("")
        Create Date: 2011-11-08 11:40:27.089406
        """,
      lines: ["revision": 15, "down_revision": 16, "branch_labels": 17, "depends_on": 18]
    ),
    ParseCase(
      name: "old template without annotations, imports after the header",
      source: """
        \"\"\"rename column

        Revision ID: ae1027a6acf
        Revises: 1975ea83b712
        Create Date: 2011-11-08 12:00:00

        \"\"\"

        # revision identifiers, used by Alembic.
        revision = 'ae1027a6acf'
        down_revision = '1975ea83b712'

        from alembic import op
        import sqlalchemy as sa

        def upgrade():
            op.alter_column("account", "name", new_column_name="title")
        """,
      id: "ae1027a6acf",
      down: ["1975ea83b712"],
      message: "rename column",
      longMessage: """
        rename column

        Revision ID: ae1027a6acf
        Revises: 1975ea83b712
        Create Date: 2011-11-08 12:00:00
        """,
      lines: ["revision": 10, "down_revision": 11]
    ),
  ]
}

// MARK: - Values

extension PythonRevisionParserTests {
  static let valueCases: [ParseCase] = [
    ParseCase(
      name: "merge as a tuple over several lines, with comments and a trailing comma",
      source: """
        \"\"\"merge heads\"\"\"
        revision = "27c6a30d7c24"
        down_revision = (
            "ae1027a6acf",  # left branch
            # the other branch
            '1975ea83b712',
        )
        branch_labels = None
        depends_on = None
        """,
      id: "27c6a30d7c24", down: ["ae1027a6acf", "1975ea83b712"], message: "merge heads",
      lines: ["revision": 2, "down_revision": 3, "branch_labels": 8, "depends_on": 9]
    ),
    ParseCase(
      name: "lists",
      source: """
        revision = "c3"
        down_revision = ["a1", "b2"]
        branch_labels = ["feature"]
        depends_on = ['x9',]
        """,
      id: "c3", down: ["a1", "b2"], labels: ["feature"], dependsOn: ["x9"]
    ),
    ParseCase(
      name: "single strings for labels and depends_on, one-element tuple",
      source: """
        revision = 'b2'
        down_revision = ('a1',)
        branch_labels = 'shoppingcart'
        depends_on = "55af2cb1c267"
        """,
      id: "b2", down: ["a1"], labels: ["shoppingcart"], dependsOn: ["55af2cb1c267"]
    ),
    ParseCase(
      name: "empty tuple and list are a base with no labels",
      source: "revision = 'a1'\ndown_revision = ()\nbranch_labels = []\ndepends_on = ()\n",
      id: "a1"
    ),
    ParseCase(
      name: "parenthesized string is a string, bare tuple is a tuple",
      source: "revision = ('a1')\ndown_revision = 'x', 'y',\n",
      id: "a1", down: ["x", "y"]
    ),
    ParseCase(
      name: "quote styles and prefixes",
      source: #"""
        revision = r'abc\d1'
        down_revision = u"abc0"
        branch_labels = """lbl"""
        depends_on = ('''q"uote''', 'it\'s', "tab\there")
        """#,
      id: #"abc\d1"#, down: ["abc0"], labels: ["lbl"], dependsOn: [#"q"uote"#, "it's", "tab\there"]
    ),
    ParseCase(
      name: "empty-string down_revision is kept as a parent named \"\"",
      source: "revision = 'a1'\ndown_revision = ''\n",
      id: "a1", down: [""]
    ),
    ParseCase(
      name: "duplicate down_revision entries are kept as declared",
      source: "revision = 'b'\ndown_revision = ('a', 'a')\n",
      id: "b", down: ["a", "a"]
    ),
    ParseCase(
      name: "missing revision falls back to a hex file name",
      fileName: "1a2b3c4d.py",
      source: "\"\"\"legacy\"\"\"\ndown_revision = None\n",
      id: "1a2b3c4d", message: "legacy", lines: ["down_revision": 2]
    ),
  ]
}
