// MARK: - Docstrings

extension PythonRevisionParserTests {
  static let docstringCases: [ParseCase] = [
    ParseCase(
      name: "single-quoted one-line docstring",
      source: "'add users'\nrevision = 'a'\ndown_revision = None\n",
      id: "a", message: "add users"
    ),
    ParseCase(
      name: "docstring after an encoding line, comments and blank lines",
      source:
        "# -*- coding: utf-8 -*-\n\n# a comment\n'''\n  first line\n\n  rest\n'''\nrevision = 'a'\ndown_revision = None\n",
      id: "a", message: "first line", longMessage: "first line\n\n  rest"
    ),
    ParseCase(
      name: "first paragraph over several lines is kept as written",
      source:
        "\"\"\"add users\nand their emails\n\nmore\"\"\"\nrevision = 'a'\ndown_revision = None\n",
      id: "a", message: "add users\nand their emails",
      longMessage: "add users\nand their emails\n\nmore"
    ),
    ParseCase(
      name: "a string after another statement is not a docstring",
      source: "import os\n\"\"\"not a docstring\"\"\"\nrevision = 'a'\ndown_revision = None\n",
      id: "a"
    ),
    ParseCase(
      name: "escapes in the docstring are decoded",
      source: #""caf\u00e9 \x41\101\n\nsecond"\#nrevision = 'a'\#ndown_revision = None\#n"#,
      id: "a", message: "café AA", longMessage: "café AA\n\nsecond"
    ),
  ]
}

// MARK: - Layout

extension PythonRevisionParserTests {
  static let layoutCases: [ParseCase] = [
    ParseCase(
      name: "assignments inside functions, classes, ifs and strings are ignored",
      source: """
        revision = "top"
        def helper():
            revision = "inner"
        if True:
            down_revision = "wrong"
        class X:
            depends_on = "y"
        SQL = '''
        down_revision = 'inside a string'
        '''
        x = {"a": (1,
        down_revision
        )}
        down_revision = None  # the real one
        """,
      id: "top", lines: ["revision": 1, "down_revision": 14]
    ),
    ParseCase(
      name: "bare annotations, semicolons, comparisons and continuations",
      source: """
        revision: str
        revision == "compare"
        revision = "a"; down_revision = \\
            "b"
        """,
      id: "a", down: ["b"], lines: ["revision": 3, "down_revision": 3]
    ),
    ParseCase(
      name: "Windows line endings and a byte-order mark",
      source:
        "\u{FEFF}\"\"\"msg\r\n\r\nlong\"\"\"\r\nrevision = 'a'\r\ndown_revision = (\r\n 'b',\r\n)\r\n",
      id: "a", down: ["b"], message: "msg", longMessage: "msg\n\nlong",
      lines: ["revision": 4, "down_revision": 5]
    ),
  ]
}

// MARK: - Rejections

extension PythonRevisionParserTests {
  static let rejectCases: [RejectCase] = [
    RejectCase(
      name: "missing revision with a non-hex file name",
      fileName: "add_users.py", source: "down_revision = None\n",
      location: "add_users.py", reason: ["no revision assignment", "'add_users.py'", "revision = "]
    ),
    RejectCase(
      name: "missing down_revision",
      source: "revision = 'a'\n",
      location: "script.py", reason: ["no down_revision assignment", "down_revision = None"]
    ),
    RejectCase(
      name: "a variable as down_revision",
      source: "revision = 'a'\n\ndown_revision = PREVIOUS\n",
      location: "script.py:3", reason: ["down_revision", "`PREVIOUS`", "literally"]
    ),
    RejectCase(
      name: "a function call in a tuple",
      source: "revision = 'a'\ndown_revision = ('x', compute())\n",
      location: "script.py:2", reason: ["down_revision", "compute()"]
    ),
    RejectCase(
      name: "an expression after a string",
      source: "revision = 'a' + SUFFIX\ndown_revision = None\n",
      location: "script.py:1", reason: ["revision", "'a' + SUFFIX"]
    ),
    RejectCase(
      name: "an f-string",
      source: "revision = f'{BASE}1'\ndown_revision = None\n",
      location: "script.py:1", reason: ["f'{BASE}1'", "f-string"]
    ),
    RejectCase(
      name: "revision set to None",
      source: "revision = None\ndown_revision = None\n",
      location: "script.py:1", reason: ["revision is None"]
    ),
    RejectCase(
      name: "an unterminated string",
      source: "revision = 'a'\ndown_revision = (\n  'b\n)\n",
      location: "script.py:3", reason: ["never closed"]
    ),
    RejectCase(
      name: "an unclosed bracket",
      source: "revision = 'a'\ndown_revision = ('b',\n",
      location: "script.py:2", reason: ["bracket", "never closed"]
    ),
  ]
}
