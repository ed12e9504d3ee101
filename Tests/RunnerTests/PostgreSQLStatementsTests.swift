import TestSupport
import Testing

@testable import Runner

/// The PostgreSQL statement splitter: quotes, dollar quotes, comments, routine bodies, lines,
/// completeness and error positions. The tricky cases were checked against psql 15's own
/// splitting (`psql -e -f`).
@Suite struct PostgreSQLStatementsTests {
  /// A script and the statements it splits into.
  struct SplitCase: Sendable, CustomTestStringConvertible {
    var id: String
    var sql: String
    /// The exact text of each statement's range.
    var statements: [String]
    /// Each statement's 1-based line.
    var lines: [Int]
    var testDescription: String { id }
  }

  static let splitCases: [SplitCase] = [
    SplitCase(
      id: "plain statements and their lines", sql: "SELECT 1;\nSELECT\n  2;\n\nSELECT 3;",
      statements: ["SELECT 1;", "SELECT\n  2;", "SELECT 3;"], lines: [1, 2, 5]),
    SplitCase(
      id: "semicolon and doubled quote inside a string", sql: "SELECT 'a;b', 'it''s; ok'; SELECT 2;",
      statements: ["SELECT 'a;b', 'it''s; ok';", "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "backslash is literal in a plain string", sql: #"SELECT 'a\'; SELECT 2;"#,
      statements: [#"SELECT 'a\';"#, "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "E'…' escapes with a backslash", sql: #"SELECT E'it\'s; ok'; SELECT e'x\';y'; SELECT 2;"#,
      statements: [#"SELECT E'it\'s; ok';"#, #"SELECT e'x\';y';"#, "SELECT 2;"], lines: [1, 1, 1]),
    SplitCase(
      id: "E'…' escaped backslash before the closing quote", sql: #"SELECT E'\\'; SELECT 2;"#,
      statements: [#"SELECT E'\\';"#, "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "E'…' with a doubled quote", sql: "SELECT E'a''b;'; SELECT 2;",
      statements: ["SELECT E'a''b;';", "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "E'…' continued on the next line stays an escape string",
      sql: #"SELECT E'a'\#n'\'; still'; SELECT 2;"#,
      statements: [#"SELECT E'a'\#n'\'; still';"#, "SELECT 2;"], lines: [1, 2]),
    SplitCase(
      id: "E'…' continued after a comment and a newline",
      sql: #"SELECT E'a' -- c\#n  '\'; x'; SELECT 2;"#,
      statements: [#"SELECT E'a' -- c\#n  '\'; x';"#, "SELECT 2;"], lines: [1, 2]),
    SplitCase(
      id: "no continuation without a newline", sql: #"SELECT E'a' '\'; SELECT 2;"#,
      statements: [#"SELECT E'a' '\';"#, "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "a word ending in e before a quote is not E'…'", sql: #"SELECT date'\'; SELECT 2;"#,
      statements: [#"SELECT date'\';"#, "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "U&'…' and N'…' keep the backslash literal", sql: #"SELECT U&'\'; SELECT N'x\'; SELECT 2;"#,
      statements: [#"SELECT U&'\';"#, #"SELECT N'x\';"#, "SELECT 2;"], lines: [1, 1, 1]),
    SplitCase(
      id: "B'…' and X'…'", sql: "SELECT B'10;', X'1F;''a;'; SELECT 2;",
      statements: ["SELECT B'10;', X'1F;''a;';", "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "quoted identifiers with doubled quotes", sql: #"SELECT 1 AS "a;""b", 2 AS U&"d;\0061"; SELECT 2;"#,
      statements: [#"SELECT 1 AS "a;""b", 2 AS U&"d;\0061";"#, "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "$$ function body",
      sql: """
        CREATE FUNCTION f() RETURNS int AS $$
        BEGIN
          RETURN 1;
        END
        $$ LANGUAGE plpgsql;
        SELECT f();
        """,
      statements: [
        "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND\n$$ LANGUAGE plpgsql;", "SELECT f();",
      ],
      lines: [1, 6]),
    SplitCase(
      id: "DO $body$ with nested different tags",
      sql: "DO $body$ BEGIN EXECUTE $q$SELECT ';'$q$; PERFORM $$x;$$; END $body$; SELECT 1;",
      statements: ["DO $body$ BEGIN EXECUTE $q$SELECT ';'$q$; PERFORM $$x;$$; END $body$;", "SELECT 1;"],
      lines: [1, 1]),
    SplitCase(
      id: "a closing tag's dollar may start the matching tag", sql: "SELECT $a$ x; $b$a$; SELECT 2;",
      statements: ["SELECT $a$ x; $b$a$;", "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "dollar tags are case-sensitive", sql: "SELECT $A$ x; $a$ y; $A$; SELECT 2;",
      statements: ["SELECT $A$ x; $a$ y; $A$;", "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "non-ASCII dollar tag", sql: "SELECT $é$ ; $é$; SELECT 2;",
      statements: ["SELECT $é$ ; $é$;", "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "$1 parameters are not dollar quotes", sql: "PREPARE p(int) AS SELECT $1; SELECT $1$; EXECUTE p(1);",
      statements: ["PREPARE p(int) AS SELECT $1;", "SELECT $1$;", "EXECUTE p(1);"], lines: [1, 1, 1]),
    SplitCase(
      id: "a dollar inside a word is part of it", sql: "SELECT 1 AS a$b, 2 AS c$$; SELECT 3 AS d$$;",
      statements: ["SELECT 1 AS a$b, 2 AS c$$;", "SELECT 3 AS d$$;"], lines: [1, 1]),
    SplitCase(
      id: "a lone dollar before a word", sql: "SELECT $abc ; SELECT 2;",
      statements: ["SELECT $abc ;", "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "a dollar quote right after a number", sql: "SELECT 1$$;$$; SELECT 2;",
      statements: ["SELECT 1$$;$$;", "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "line comments hide semicolons and quotes", sql: "SELECT 1 -- not; 'the end\n, 2; SELECT 3;",
      statements: ["SELECT 1 -- not; 'the end\n, 2;", "SELECT 3;"], lines: [1, 2]),
    SplitCase(
      id: "-- right after an operand", sql: "SELECT 1--2; x\n; SELECT 2;",
      statements: ["SELECT 1--2; x\n;", "SELECT 2;"], lines: [1, 2]),
    SplitCase(
      id: "block comments nest", sql: "SELECT /* a /* b; */ still; */ 1; SELECT 2;",
      statements: ["SELECT /* a /* b; */ still; */ 1;", "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "comment openers inside strings", sql: "SELECT '/*', '--'; SELECT 2;",
      statements: ["SELECT '/*', '--';", "SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "BEGIN ATOMIC body with CASE … END",
      sql: """
        CREATE FUNCTION f() RETURNS int LANGUAGE sql
        BEGIN ATOMIC
          SELECT 1;
          SELECT CASE WHEN true THEN 2 END;
        END;
        SELECT 3;
        """,
      statements: [
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND;",
        "SELECT 3;",
      ],
      lines: [1, 6]),
    SplitCase(
      id: "create or replace procedure, lowercase",
      sql:
        "create or replace procedure p() language sql begin atomic insert into t values (1); "
        + "insert into t values (case when true then 1 else 2 end); end; select 3;",
      statements: [
        "create or replace procedure p() language sql begin atomic insert into t values (1); "
          + "insert into t values (case when true then 1 else 2 end); end;",
        "select 3;",
      ],
      lines: [1, 1]),
    SplitCase(
      id: "quoted function name",
      sql: #"CREATE FUNCTION "f"() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; SELECT 3;"#,
      statements: [#"CREATE FUNCTION "f"() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;"#, "SELECT 3;"],
      lines: [1, 1]),
    SplitCase(
      id: "BEGIN inside parentheses does not open a body",
      sql: "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql RETURN 1; SELECT 3;",
      statements: ["CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql RETURN 1;", "SELECT 3;"], lines: [1, 1]),
    SplitCase(
      id: "transaction BEGIN and END are statements", sql: "BEGIN; SELECT 1; END; SELECT CASE WHEN x THEN 1 END;",
      statements: ["BEGIN;", "SELECT 1;", "END;", "SELECT CASE WHEN x THEN 1 END;"], lines: [1, 1, 1, 1]),
    SplitCase(
      id: "BEGIN in a statement that is not CREATE FUNCTION",
      sql: "CREATE TABLE t (x int); COMMENT ON TABLE t IS 'x'; SELECT begin FROM t; SELECT 2;",
      statements: ["CREATE TABLE t (x int);", "COMMENT ON TABLE t IS 'x';", "SELECT begin FROM t;", "SELECT 2;"],
      lines: [1, 1, 1, 1]),
    SplitCase(
      id: "semicolons inside parentheses (CREATE RULE)",
      sql: "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 1;",
      statements: [
        "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));", "SELECT 1;",
      ],
      lines: [1, 1]),
    SplitCase(
      id: "empty statements yield nothing", sql: ";;SELECT 1;; ;\n;", statements: ["SELECT 1;"], lines: [1]),
    SplitCase(id: "only white space and comments", sql: "  -- c;\n/* x; /* y */ */\n\t", statements: [], lines: []),
    SplitCase(id: "empty text", sql: "", statements: [], lines: []),
    SplitCase(
      id: "leading comments are not part of the statement", sql: "-- header\n\n/* c */ SELECT 1;",
      statements: ["SELECT 1;"], lines: [3]),
    SplitCase(
      id: "last statement without a semicolon runs to the end", sql: "SELECT 1;\nSELECT 2 -- tail\n",
      statements: ["SELECT 1;", "SELECT 2 -- tail\n"], lines: [1, 2]),
    SplitCase(
      id: "unterminated string", sql: "SELECT 1;\nSELECT 'open; SELECT 2;",
      statements: ["SELECT 1;", "SELECT 'open; SELECT 2;"], lines: [1, 2]),
    SplitCase(
      id: "unterminated quoted identifier", sql: "SELECT 1; SELECT \"open; SELECT 2;",
      statements: ["SELECT 1;", "SELECT \"open; SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "unterminated dollar quote", sql: "SELECT 1; DO $x$ BEGIN; $y$; SELECT 2;",
      statements: ["SELECT 1;", "DO $x$ BEGIN; $y$; SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "unterminated nested comment", sql: "SELECT 1; SELECT /* a /* b */ SELECT 2;",
      statements: ["SELECT 1;", "SELECT /* a /* b */ SELECT 2;"], lines: [1, 1]),
    SplitCase(
      id: "unterminated BEGIN ATOMIC", sql: "CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; SELECT 2;",
      statements: ["CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; SELECT 2;"], lines: [1]),
    SplitCase(
      id: "unterminated comment after the last statement", sql: "SELECT 1;\n/* open; SELECT 2;",
      statements: ["SELECT 1;"], lines: [1]),
    SplitCase(
      id: "CRLF line ends", sql: "SELECT 1;\r\n\r\nSELECT\r\n 2;\r\n-- c\r\nSELECT 3;",
      statements: ["SELECT 1;", "SELECT\r\n 2;", "SELECT 3;"], lines: [1, 3, 6]),
    SplitCase(
      id: "non-ASCII text passes through", sql: "SELECT 'héllo; 世界', \"ü;\" /* ñ; */;\nSELECT 'ß';",
      statements: ["SELECT 'héllo; 世界', \"ü;\" /* ñ; */;", "SELECT 'ß';"], lines: [1, 2]),
    SplitCase(
      id: "CREATE INDEX CONCURRENTLY on its own", sql: "CREATE INDEX CONCURRENTLY i ON t (x);\nANALYZE t;",
      statements: ["CREATE INDEX CONCURRENTLY i ON t (x);", "ANALYZE t;"], lines: [1, 2]),
  ]

  /// Each case splits into exactly its statements, at their lines.
  @Test(arguments: splitCases)
  func split(_ testCase: SplitCase) {
    let bytes = Array(testCase.sql.utf8)
    let statements = PostgreSQLStatements.split(bytes)
    #expect(statements.map { String(decoding: bytes[$0.range], as: UTF8.self) } == testCase.statements)
    #expect(statements.map(\.line) == testCase.lines)
  }

  /// Text and whether it ends with a complete statement.
  struct CompleteCase: Sendable, CustomTestStringConvertible {
    var id: String
    var sql: String
    var expected: Bool
    var testDescription: String { id }
  }

  static let completeCases: [CompleteCase] = [
    CompleteCase(id: "one terminated statement", sql: "SELECT 1;", expected: true),
    CompleteCase(id: "white space after the semicolon", sql: "SELECT 1;\n\n  ", expected: true),
    CompleteCase(id: "trailing line comment", sql: "SELECT 1; -- done", expected: true),
    CompleteCase(id: "trailing nested block comment", sql: "SELECT 1; /* a /* b */ c */\n", expected: true),
    CompleteCase(id: "no semicolon", sql: "SELECT 1", expected: false),
    CompleteCase(id: "second statement without semicolon", sql: "SELECT 1; SELECT 2", expected: false),
    CompleteCase(id: "semicolon inside a line comment", sql: "SELECT 1 -- ;", expected: false),
    CompleteCase(id: "open string", sql: "SELECT 'a;", expected: false),
    CompleteCase(id: "open escape string", sql: #"SELECT E'a\';"#, expected: false),
    CompleteCase(id: "closed plain string with backslash", sql: #"SELECT 'a\';"#, expected: true),
    CompleteCase(id: "open quoted identifier", sql: "SELECT \"a;", expected: false),
    CompleteCase(id: "open dollar quote", sql: "DO $$ BEGIN NULL; END;", expected: false),
    CompleteCase(id: "closed dollar quote", sql: "DO $$ BEGIN NULL; END $$;", expected: true),
    CompleteCase(id: "open nested comment", sql: "SELECT 1 /* a /* b */;", expected: false),
    CompleteCase(id: "open nested comment after the semicolon", sql: "SELECT 1; /* a /* b */", expected: false),
    CompleteCase(id: "open parenthesis", sql: "SELECT (1;", expected: false),
    CompleteCase(id: "open BEGIN ATOMIC", sql: "CREATE FUNCTION f() BEGIN ATOMIC SELECT 1;", expected: false),
    CompleteCase(id: "closed BEGIN ATOMIC", sql: "CREATE FUNCTION f() BEGIN ATOMIC SELECT 1; END;", expected: true),
    CompleteCase(id: "empty text", sql: "", expected: false),
    CompleteCase(id: "only comments", sql: "-- a\n/* b */", expected: false),
    CompleteCase(id: "a lone semicolon (an empty statement)", sql: " ; ", expected: true),
    CompleteCase(id: "non-ASCII", sql: "SELECT 'é'; -- ü", expected: true),
  ]

  /// Each case is complete or not, as an array or as any collection of bytes.
  @Test(arguments: completeCases)
  func isComplete(_ testCase: CompleteCase) {
    #expect(PostgreSQLStatements.isComplete(Array(testCase.sql.utf8)) == testCase.expected)
    // Any collection of bytes, not only an array.
    #expect(PostgreSQLStatements.isComplete(testCase.sql.utf8) == testCase.expected)
  }

  /// Text, a starting offset and where the trivia from there ends.
  struct TriviaCase: Sendable, CustomTestStringConvertible {
    var id: String
    var sql: String
    var from: Int
    var end: Int?
    var expected: Int
    var testDescription: String { id }
  }

  static let triviaCases: [TriviaCase] = [
    TriviaCase(id: "no trivia", sql: "SELECT", from: 0, expected: 0),
    TriviaCase(id: "white space", sql: " \t\r\n\u{0B}\u{0C}x", from: 0, expected: 6),
    TriviaCase(id: "line comment", sql: "-- a\nx", from: 0, expected: 5),
    TriviaCase(id: "line comment ended by CR", sql: "-- a\rx", from: 0, expected: 5),
    TriviaCase(id: "nested block comment", sql: "/* a /* b */ c */x", from: 0, expected: 17),
    TriviaCase(id: "comment in a comment opener's shadow", sql: "/* -- */x", from: 0, expected: 8),
    TriviaCase(id: "mixed", sql: "  -- a\n/* b */ \n y", from: 0, expected: 17),
    TriviaCase(id: "from an offset", sql: "x; -- c\n y", from: 2, expected: 9),
    TriviaCase(id: "stops at end", sql: "x   y", from: 1, end: 3, expected: 3),
    TriviaCase(id: "unterminated block comment", sql: "/* a /* b */ x", from: 0, expected: 14),
    TriviaCase(id: "lone dash and slash are not trivia", sql: " -x", from: 0, expected: 1),
    TriviaCase(id: "slash", sql: " /x", from: 0, expected: 1),
    TriviaCase(id: "end past the text is clamped", sql: "  ", from: 0, end: 99, expected: 2),
    TriviaCase(id: "offset past the end", sql: "x", from: 5, end: 1, expected: 1),
  ]

  /// Each case's trivia ends where expected.
  @Test(arguments: triviaCases)
  func skipTrivia(_ testCase: TriviaCase) {
    let bytes = Array(testCase.sql.utf8)
    #expect(
      PostgreSQLStatements.skipTrivia(bytes, from: testCase.from, end: testCase.end ?? bytes.count)
        == testCase.expected)
  }

  /// A statement, a character position in it and that position's line.
  struct LineCase: Sendable, CustomTestStringConvertible {
    var id: String
    var statement: String
    var position: Int
    var expected: Int
    var testDescription: String { id }
  }

  static let lineCases: [LineCase] = [
    LineCase(id: "first character", statement: "SELECT 1", position: 1, expected: 1),
    LineCase(id: "second line", statement: "SELECT\n  x", position: 10, expected: 2),
    LineCase(id: "the newline is on the line it ends", statement: "SELECT\nx", position: 7, expected: 1),
    LineCase(id: "just after a newline", statement: "SELECT\nx", position: 8, expected: 2),
    LineCase(id: "two-byte characters before", statement: "SELECT 'éé',\n 'ü', x", position: 20, expected: 2),
    LineCase(id: "counting bytes would give a line too early", statement: "'éééé'\nab\ncd", position: 9, expected: 2),
    LineCase(id: "three- and four-byte characters", statement: "'世界🙂'\n\n x", position: 9, expected: 3),
    LineCase(id: "CRLF, second line", statement: "SELECT\r\n  1\r\n, x", position: 11, expected: 2),
    LineCase(id: "CRLF, third line", statement: "SELECT\r\n  1\r\n, x", position: 14, expected: 3),
    LineCase(id: "last character", statement: "a\nb\nc", position: 5, expected: 3),
    LineCase(id: "past the end: the last line", statement: "a\nb\nc", position: 99, expected: 3),
    LineCase(id: "zero: the last line", statement: "a\nb", position: 0, expected: 2),
    LineCase(id: "trailing newline is not a line of its own", statement: "a\nb\n", position: 99, expected: 2),
    LineCase(id: "empty statement", statement: "", position: 1, expected: 1),
  ]

  /// Each case's position is on the expected line, as an array or as any collection of bytes.
  @Test(arguments: lineCases)
  func lineOfCharacter(_ testCase: LineCase) {
    #expect(
      PostgreSQLStatements.line(ofCharacter: testCase.position, in: Array(testCase.statement.utf8))
        == testCase.expected)
    #expect(PostgreSQLStatements.line(ofCharacter: testCase.position, in: testCase.statement.utf8) == testCase.expected)
  }
}

// MARK: - Properties

extension PostgreSQLStatementsTests {
  /// Statements, without their terminating `;`, that each hide `;`, quotes or comment openers.
  static let fragments = [
    "SELECT 1",
    "SELECT 'a;b', 'it''s; fine'",
    #"SELECT E'it\'s; ok', e'\\'"#,
    #"SELECT 'back\'"#,
    #"SELECT E'a'\#n'\'; continued'"#,
    #"SELECT "we;ird""id" FROM "t;""#,
    #"SELECT U&'\0041;', U&"d\0061;t", N'n;'"#,
    "SELECT B'1010', X'1F;'",
    "CREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND\n$$ LANGUAGE plpgsql",
    "DO $body$ BEGIN PERFORM $q$;$q$; PERFORM $$ $a$ ; $$; END $body$",
    "SELECT $A$ x; $a$; $A$",
    "SELECT $é$ ; $é$",
    "PREPARE p(int, int) AS SELECT $1 + $2",
    "SELECT 1 AS a$b, 2 AS c$$",
    "SELECT /* a /* b; */ c; */ 1",
    "SELECT 1 -- inner; 'comment\n  + 2",
    "CREATE FUNCTION g() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND",
    "create or replace procedure p() language sql begin atomic insert into t values (1); end",
    "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))",
    "BEGIN",
    "END",
    "SELECT CASE WHEN x THEN 1 END",
    "SELECT 'héllo; 世界', \"ü;\" /* ñ; */",
    "CREATE INDEX CONCURRENTLY i ON t (x)",
    "SELECT\r\n  2",
    "SELECT '--', '/*'",
  ]

  /// White space and comments that may sit between statements.
  static let trivia = [
    " ", "\n", "\r\n", "\t", "\n\n", "-- comment; with 'quote\n", "/* block; /* nested */ 'x */", "-- $$\n",
    "/* \" $a$ */", ";", "--\r\n",
  ]

  /// Random scripts of tricky fragments joined by `;` with random trivia around them split
  /// back into exactly those fragments, at the right offsets and lines; the script is
  /// complete exactly when its last statement has its `;`.
  @Test(arguments: 1...200)
  func randomScripts(seed: UInt64) {
    var rng = SplitMix64(seed: seed &* 6_364_136_223_846_793_005)
    var script = [UInt8]()
    func addTrivia() {
      for _ in 0..<Int.random(in: 0...3, using: &rng) {
        script += Array((Self.trivia.randomElement(using: &rng) ?? " ").utf8)
      }
    }
    let count = Int.random(in: 1...8, using: &rng)
    var expected = [(fragment: String, start: Int, end: Int, line: Int)]()
    var terminated = true
    addTrivia()
    for index in 0..<count {
      let fragment = Self.fragments.randomElement(using: &rng) ?? "SELECT 1"
      let start = script.count
      let line = 1 + script.filter { $0 == 0x0A }.count
      script += Array(fragment.utf8)
      if Bool.random(using: &rng) { script += Array(([" ", "\n", "\r\n"].randomElement(using: &rng) ?? " ").utf8) }
      terminated = index < count - 1 || Bool.random(using: &rng)
      if terminated {
        script.append(UInt8(ascii: ";"))
        expected.append((fragment, start, script.count, line))
        addTrivia()
      } else {
        expected.append((fragment, start, script.count, line))
      }
    }
    let statements = PostgreSQLStatements.split(script)
    let text = String(decoding: script, as: UTF8.self)
    #expect(statements.count == expected.count, "\(text)")
    for (statement, want) in zip(statements, expected) {
      var body = String(decoding: script[statement.range], as: UTF8.self)
      if body.hasSuffix(";") { body.removeLast() }
      #expect(body.trimmingWhiteSpace() == want.fragment, "\(text)")
      #expect(statement.range == want.start..<want.end, "\(text)")
      #expect(statement.line == want.line, "\(text)")
      // A statement's own text is one statement.
      let own = Array(script[statement.range])
      #expect(PostgreSQLStatements.split(own) == [.init(range: 0..<own.count, line: 1)], "\(body)")
    }
    #expect(PostgreSQLStatements.isComplete(script) == terminated, "\(text)")
  }

  /// `line(ofCharacter:in:)` agrees with counting Unicode scalars (PostgreSQL's characters) in
  /// random text of one-, two-, three- and four-byte characters and line ends.
  @Test(arguments: 1...50)
  func randomLinePositions(seed: UInt64) {
    var rng = SplitMix64(seed: seed &* 2_862_933_555_777_941_757)
    let pieces: [Unicode.Scalar] = ["a", " ", "\n", "\r", "é", "ß", "世", "🙂", ";", "'"]
    let scalars = (0..<Int.random(in: 1...60, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? "a" }
    var text = ""
    text.unicodeScalars.append(contentsOf: scalars)
    let bytes = Array(text.utf8)
    for position in 1...scalars.count {
      let line = 1 + scalars[..<(position - 1)].filter { $0 == "\n" }.count
      #expect(PostgreSQLStatements.line(ofCharacter: position, in: bytes) == line, "\(text) @\(position)")
    }
    let last = 1 + scalars.dropLast().filter { $0 == "\n" }.count
    #expect(PostgreSQLStatements.line(ofCharacter: scalars.count + 1, in: bytes) == last)
  }
}

extension String {
  /// The text without leading and trailing ASCII white space.
  fileprivate func trimmingWhiteSpace() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\t" }
    return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
  }
}
