import Foundation
import Graph
import Project
import TestSupport
import Testing

@testable import Runner

/// The byte-level pieces of offline scripts agree with the `String` definitions they stand for.
@Suite struct OfflineScriptTests {
  static let ids = ["a", "ae10", "it's", "''", "ré", "x y"]

  @Test("row statements are Bookkeeping's text")
  func rowStatements() {
    for table in ["revgraph_version", "odd\"name", "vérsion"] {
      let bookkeeping = Bookkeeping(versionTable: table)
      let writer = StatementWriter(bookkeeping)
      for a in Self.ids {
        for b in Self.ids {
          for change in [Bookkeeping.RowChange.insert(a), .delete(a), .update(from: a, to: b)] {
            var out = [UInt8]()
            writer.append(change, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == bookkeeping.statement(change))
          }
        }
      }
    }
  }

  @Test("log statements are Bookkeeping's text", arguments: [true, false])
  func logStatements(transactional: Bool) {
    let bookkeeping = Bookkeeping(versionTable: "v'\"")
    for id in Self.ids {
      var out = [UInt8]()
      StatementWriter(bookkeeping).appendLog(
        revision: id, direction: "downgrade", checksum: "ab'c", transactional: transactional, to: &out)
      let expected = bookkeeping.logStatement(
        revision: id, direction: "downgrade", checksum: "ab'c", startedAt: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        durationMs: "NULL", transactional: transactional)
      #expect(String(decoding: out, as: UTF8.self) == expected)
    }
  }

  @Test("checksums written in place are Checksum.sha256Hex, empty sections included")
  func checksums() {
    for text in ["", "\n", "SELECT 1;", String(repeating: "é;", count: 100)] {
      let bytes = Array("head".utf8) + Array(text.utf8)
      var out = Array("x".utf8)
      Checksum.appendSHA256Hex(of: bytes[4...], to: &out)
      #expect(String(decoding: out, as: UTF8.self) == "x" + Checksum.sha256Hex(Array(text.utf8)))
    }
    #expect(Checksum.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  @Test("row changes between version tables are Bookkeeping's")
  func rowChanges() {
    var rng = SplitMix64(seed: 7)
    let pool = (0..<24).map { "r\($0)" }
    for round in 0..<4000 {
      // Tables without repeats, in pool order (as a plan's tracker keeps them): unrelated
      // ones, or (as between two steps) one with a few rows removed and added.
      let old = pool.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }
      let new =
        round.isMultiple(of: 2)
        ? pool.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }
        : pool.filter { old.contains($0) != (Int.random(in: 0..<10, using: &rng) == 0) }
      let expected = Self.statements(Bookkeeping.changes(from: old, to: new))
      #expect(Self.appendedChanges(from: old, to: new, isFirst: false) == expected)
      #expect(Self.appendedChanges(from: old, to: new, isFirst: true) == expected)
    }
    let repeated = ["a", "a", "b"]
    #expect(Self.appendedChanges(from: repeated, to: ["a"], isFirst: true) == Self.statements([.delete("b")]))
  }

  @Test("a logged step's statements are those of its two tables")
  func loggedStatements() {
    var rng = SplitMix64(seed: 5)
    let pool = (0..<12).map { "r\($0)" }
    for _ in 0..<300 {
      // A table and a next one with a few rows removed and added, as between two steps.
      let old = pool.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }
      let new = pool.filter { old.contains($0) != (Int.random(in: 0..<5, using: &rng) == 0) }
      let changes = Plan.RowChanges(
        removed: old.filter { !new.contains($0) }, added: new.filter { !old.contains($0) })
      var out = [UInt8]()
      OfflineScript.appendChanges(changes, StatementWriter(Bookkeeping(versionTable: "v")), to: &out)
      #expect(String(decoding: out, as: UTF8.self) == Self.statements(Bookkeeping.changes(from: old, to: new)))
    }
  }

  static func statements(_ changes: [Bookkeeping.RowChange]) -> String {
    let bookkeeping = Bookkeeping(versionTable: "v")
    return changes.map { bookkeeping.statement($0) + ";\n" }.joined()
  }

  static func appendedChanges(from old: [String], to new: [String], isFirst: Bool) -> String {
    var out = [UInt8]()
    OfflineScript.appendChanges(
      from: old, to: new, isFirst: isFirst, StatementWriter(Bookkeeping(versionTable: "v")), to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  @Test("statement text of bytes is the text of the String")
  func statementText() {
    let sections = [
      "", "\n", "  \n\t\n", "-- only a comment\n", "/* c */\n", "SELECT 1;", "SELECT 1", "SELECT 1;  \n\n",
      "SELECT 1\n\u{0B}\u{0C}\r\n", "SELECT 'a;\n", "CREATE TABLE t (x);\n-- end\n", "SELECT 1;\u{0}SELECT 2",
      "SELECT 'é'", "SELECT 1;\u{00A0}", "SELECT 1 \u{0600} \n", "SELECT 1;\n\u{2028}",
    ]
    for text in sections {
      let bytes = Array("head\n".utf8) + Array(text.utf8) + Array("tail".utf8)
      var out = Array("x".utf8)
      OfflineScript.appendStatementText(bytes, 5..<(5 + text.utf8.count), to: &out)
      #expect(
        String(decoding: out, as: UTF8.self) == "x" + OfflineScript.statementText(text), "\(text.debugDescription)")
    }
    // Invalid UTF-8 is shown repaired, as the String shows it.
    var out = [UInt8]()
    OfflineScript.appendStatementText([0x53, 0xFF, 0x3B], 0..<3, to: &out)
    #expect(out == Array(OfflineScript.statementText(String(decoding: [0x53, 0xFF, 0x3B], as: UTF8.self)).utf8))
  }

  @Test("sections split at the record's markers are the parsed sections")
  func rawSections() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-raw-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let texts = [
      "-- revision: a\n-- message: m\n\n-- +upgrade\nCREATE TABLE t (x);\n\n-- +downgrade\nDROP TABLE t;\n",
      "-- revision: a\n-- transactional: false\n\n  -- +upgrade \r\nVACUUM;\n",
      "-- revision: a\n\n-- +upgrade\n-- +downgrade",
      "-- revision: a\n\n-- +upgrade",
    ]
    for text in texts {
      let path = directory.appendingPathComponent("a.sql").path
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      var record = try SQLRevisionParser.parse(bytes: Array(text.utf8), path: path)
      let expected = try RevisionScript.load(record)
      func check(_ record: RevisionRecord) throws {
        let file = try RevisionScript.RawFile(record)
        #expect(file.transactional == expected.transactional)
        #expect(file.upgrade.firstLine == expected.upgrade.firstLine)
        #expect(String(decoding: file.bytes[file.upgrade.bytes], as: UTF8.self) == expected.upgrade.sql)
        #expect(file.downgrade?.firstLine == expected.downgrade?.firstLine)
        #expect(file.downgrade.map { String(decoding: file.bytes[$0.bytes], as: UTF8.self) } == expected.downgrade?.sql)
      }
      try check(record)
      // A record whose lines no longer match the file: the file is parsed again.
      record.attributes["upgrade_line"] = "1"
      record.attributes["transactional"] = expected.transactional ? "false" : "true"
      try check(record)
    }
  }
}
