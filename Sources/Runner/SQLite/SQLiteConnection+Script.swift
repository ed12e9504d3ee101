import CSQLite
import Foundation

extension SQLiteConnection {
  /// Where a statement of a script failed (the drivers share the type).
  public typealias ScriptFailure = Runner.ScriptFailure

  /// Runs the statements of `script` one at a time, in order.
  ///
  /// SQLite's own parser splits the script, so semicolons inside strings, comments and
  /// trigger bodies are handled exactly as the `sqlite3` shell does.
  /// - Parameter refuse: Called with each statement's text before it runs; a non-nil answer
  ///   stops the script with that message (the runner refuses transaction control).
  /// - Returns: The number of statements run.
  /// - Throws: ``ScriptFailure`` naming the line of the statement that failed.
  @discardableResult
  public func executeScript(_ script: String, refuse: ((String) -> String?)? = nil) throws(ScriptFailure) -> Int {
    let bytes = Array(script.utf8) + [0]
    var count = 0
    return try bytes.withUnsafeBufferPointer { (buffer) throws(ScriptFailure) -> Int in
      guard let base = buffer.baseAddress else { return 0 }
      let start = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
      var offset = 0
      var line = 1
      let end = bytes.count - 1
      while offset < end {
        // Skip white space and comments to find where the next statement starts.
        let statementStart = SQLText.skipTrivia(bytes, from: offset, end: end)
        for i in offset..<statementStart where bytes[i] == 0x0A { line += 1 }
        offset = statementStart
        guard offset < end else { break }
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let status = sqlite3_prepare_v2(handle, start + offset, Int32(end - offset), &statement, &tail)
        let tailOffset = tail.map { $0 - start } ?? end
        let text = String(decoding: bytes[offset..<max(offset, min(tailOffset, end))], as: UTF8.self)
        guard status == SQLITE_OK else {
          sqlite3_finalize(statement)
          // SQLite stops reading where the error is; show the statement to its end.
          var stop = min(max(tailOffset, offset), end)
          while stop < end && bytes[stop] != 0x3B && bytes[stop] != 0x0A { stop += 1 }
          let failed = String(decoding: bytes[offset..<min(stop + 1, end)], as: UTF8.self)
          // The line of the error itself when SQLite knows where it is (3.38+).
          let errorOffset = Int(sqlite3_error_offset(handle))
          let errorLine =
            errorOffset >= 0
            ? line + bytes[offset..<min(offset + errorOffset, end)].filter { $0 == 0x0A }.count : line
          throw ScriptFailure(
            line: errorLine, statement: Self.excerpt(failed), message: String(cString: sqlite3_errmsg(handle)),
            code: status)
        }
        if let statement {
          if let problem = refuse?(text) {
            sqlite3_finalize(statement)
            throw ScriptFailure(line: line, statement: Self.excerpt(text), message: problem, code: 0)
          }
          var stepStatus = sqlite3_step(statement)
          var violations = [String]()
          let checksForeignKeys = SQLText.isForeignKeyCheck(text)
          while stepStatus == SQLITE_ROW {
            if checksForeignKeys { violations.append(Self.foreignKeyViolation(statement)) }
            stepStatus = sqlite3_step(statement)
          }
          sqlite3_finalize(statement)
          if !violations.isEmpty {
            let shown = violations.prefix(5).joined(separator: "; ")
            let more = violations.count > 5 ? "; and \(violations.count - 5) more" : ""
            throw ScriptFailure(
              line: line, statement: Self.excerpt(text),
              message:
                "\(violations.count) row\(violations.count == 1 ? "" : "s") break\(violations.count == 1 ? "s" : "") "
                + "a foreign key: \(shown)\(more); fix the rows (or the foreign key) before this check",
              code: SQLITE_CONSTRAINT | (3 << 8))
          }
          guard stepStatus == SQLITE_DONE else {
            throw ScriptFailure(
              line: line, statement: Self.excerpt(text), message: String(cString: sqlite3_errmsg(handle)),
              code: stepStatus)
          }
          count += 1
        }
        for i in offset..<max(offset, tailOffset) where bytes[i] == 0x0A { line += 1 }
        offset = max(tailOffset, offset + 1)
      }
      return count
    }
  }

  /// One row of `PRAGMA foreign_key_check` (table, rowid, parent, constraint id) in words.
  private static func foreignKeyViolation(_ statement: OpaquePointer) -> String {
    func text(_ column: Int32) -> String {
      sqlite3_column_text(statement, column).map { String(cString: $0) } ?? "NULL"
    }
    return "\(text(0)) row \(text(1)) has no matching row in \(text(2))"
  }

  static func excerpt(_ statement: String) -> String { ScriptFailure.excerpt(statement) }

  /// True when `sql` ends with a complete statement (a final semicolon outside any literal).
  public static func isComplete(_ sql: String) -> Bool { sqlite3_complete(sql) != 0 }
}

/// Lexical helpers for SQL text.
enum SQLText {
  /// Why the runner refuses `statement` inside its own transaction, or nil.
  ///
  /// `BEGIN`, `START TRANSACTION`, `COMMIT`, `END`, `ABORT` and `ROLLBACK` (but not
  /// `ROLLBACK TO`) would end or nest the transaction that holds a revision together with its
  /// version-table update.
  static func transactionControl(_ statement: String) -> String? {
    let words = statement.prefix(40).uppercased().split(whereSeparator: { !$0.isLetter }).prefix(3).map(String.init)
    guard let first = words.first else { return nil }
    let ends =
      ["COMMIT", "END", "BEGIN", "ABORT"].contains(first)
      || (first == "START" && words.dropFirst().first == "TRANSACTION")
    let rollback = first == "ROLLBACK" && !(words.dropFirst().first == "TO" || words.dropFirst(2).first == "TO")
    guard ends || rollback else { return nil }
    return "\(first) is not allowed inside a revision: the runner runs each revision inside its transaction "
      + "(remove it, or set '-- transactional: false' in the header to run the revision without one)"
  }

  /// Why the runner refuses `statement` inside a revision that runs in its transaction, or
  /// nil: transaction control (``transactionControl(_:)``), and releasing or rolling back to
  /// the savepoint the runner keeps around each revision.
  static func refusedInsideRevision(_ statement: String) -> String? {
    if let problem = transactionControl(statement) { return problem }
    // Words, with identifier quotes dropped: RELEASE [SAVEPOINT] name, ROLLBACK [TRANSACTION] TO [SAVEPOINT] name.
    let words = statement.prefix(120).lowercased()
      .split(whereSeparator: { $0.isWhitespace || $0 == ";" || $0 == "\"" || $0 == "`" || $0 == "[" || $0 == "]" })
      .prefix(6).map(String.init)
    guard let first = words.first, first == "release" || first == "rollback" else { return nil }
    let names = words.dropFirst().filter { !["savepoint", "transaction", "to"].contains($0) }
    guard names.first == MigrationRunner.savepoint else { return nil }
    return "\(first.uppercased()) \(MigrationRunner.savepoint) is not allowed inside a revision: that savepoint is the "
      + "runner's own, kept around each revision (use a savepoint of your own)"
  }

  /// True for `PRAGMA foreign_key_check` (optionally `main.` or with a table argument): the
  /// runner fails the script when it reports a row, as a table rebuild needs.
  static func isForeignKeyCheck(_ statement: String) -> Bool {
    let words = statement.prefix(60).lowercased().split(whereSeparator: { !($0.isLetter || $0 == "_") })
    return words.first == "pragma"
      && (words.dropFirst().first == "foreign_key_check" || words.dropFirst(2).first == "foreign_key_check")
  }

  /// The offset of the first byte at or after `offset` that is neither white space nor inside
  /// a `--` or `/* */` comment.
  static func skipTrivia(_ bytes: [UInt8], from offset: Int, end: Int) -> Int {
    var i = offset
    while i < end {
      let byte = bytes[i]
      if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
        i += 1
      } else if byte == 0x2D, i + 1 < end, bytes[i + 1] == 0x2D {
        while i < end && bytes[i] != 0x0A { i += 1 }
      } else if byte == 0x2F, i + 1 < end, bytes[i + 1] == 0x2A {
        i += 2
        while i + 1 < end && !(bytes[i] == 0x2A && bytes[i + 1] == 0x2F) { i += 1 }
        i = min(end, i + 2)
      } else {
        break
      }
    }
    return i
  }
}
