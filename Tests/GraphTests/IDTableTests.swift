import TestSupport
import Testing

@testable import Graph

/// The id table must answer exactly as a `[String: Int32]` would (String equality included).
@Suite struct IDTableTests {
  static func records(_ ids: [String]) -> [RevisionRecord] { ids.map { RevisionRecord(id: $0) } }

  @Test("ASCII ids: every id found, unknown ones not, duplicates reported with the first index")
  func ascii() {
    var rng = SplitMix64(seed: 7)
    var ids = (0..<5000).map { _ in String(UInt64.random(in: 0..<(1 << 48), using: &rng), radix: 16) }
    ids += ["a", "b", "ab", "ba", ""]
    let input = Self.records(ids + ["a", ids[10]])
    var duplicates = [(Int, Int32)]()
    let table = IDTable(records: input) { duplicates.append(($0, $1)) }
    var expected = [String: Int32]()
    for (i, id) in ids.enumerated() where expected[id] == nil { expected[id] = Int32(i) }
    for id in ids { #expect(table.index(of: id) == expected[id]) }
    for missing in ["zz", "abc", "A", "a ", "10000000000000"] where expected[missing] == nil {
      #expect(table.index(of: missing) == nil)
    }
    #expect(duplicates.map(\.0) == [ids.count, ids.count + 1])
    #expect(duplicates.map(\.1) == [expected["a"], expected[ids[10]]])
  }

  @Test("lookups keep String equality: canonically equivalent spellings find each other")
  func canonicalEquivalence() {
    // U+212A KELVIN SIGN is canonically equivalent to "K"; "é" precomposed and decomposed.
    let ascii = Self.records(["K1", "x"])
    let table = IDTable(records: ascii) { _, _ in }
    #expect(table.index(of: "\u{212A}1") == 0)
    let other = Self.records(["caf\u{E9}", "K1"])
    let mixed = IDTable(records: other) { _, _ in }
    #expect(mixed.index(of: "cafe\u{301}") == 0)
    #expect(mixed.index(of: "\u{212A}1") == 1)
    #expect(mixed.index(of: "cafe") == nil)
  }

  @Test("a graph reports a duplicate id with both paths")
  func graphDuplicates() {
    let input = [
      RevisionRecord(id: "a", path: "one.sql"), RevisionRecord(id: "b", downRevisions: ["a"], path: "two.sql"),
      RevisionRecord(id: "a", path: "three.sql"),
    ]
    #expect(throws: GraphError.duplicateRevision(id: "a", paths: ["one.sql", "three.sql"])) {
      try RevisionGraph(records: input)
    }
  }
}
