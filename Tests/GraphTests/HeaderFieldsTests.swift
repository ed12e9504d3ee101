import TestSupport
import Testing

@testable import Graph

/// A record's header tables must behave exactly as the dictionaries they replace.
@Suite struct HeaderFieldsTests {
  static let keys = [
    "revision", "down_revision", "branch_labels", "depends_on", "message", "create_date", "upgrade_line", "a", "",
    "\u{e9}", "e\u{301}", "f", "\u{212B}", "\u{C5}",  // é composed and decomposed; Å as ANGSTROM SIGN and as a letter
  ]

  @Test(
    "random sets and removals answer as a dictionary (canonically equivalent keys are one key), and equality ignores the order of filling"
  )
  func againstDictionary() {
    var rng = SplitMix64(seed: 11)
    for _ in 0..<300 {
      var fields = HeaderFields<Int>()
      var reference = [String: Int]()
      for _ in 0..<Int.random(in: 0...20, using: &rng) {
        let key = Self.keys.randomElement(using: &rng) ?? ""
        let value: Int? = Bool.random(using: &rng) ? Int.random(in: 0...9, using: &rng) : nil
        fields[key] = value
        reference[key] = value
        for probe in Self.keys { #expect(fields[probe] == reference[probe]) }
      }
      #expect(fields.dictionary == reference)
      #expect(fields.count == reference.count)
      #expect(fields == HeaderFields(reference))
      #expect(
        fields == HeaderFields(unordered: reference.shuffled(using: &rng).map { .init(key: $0.key, value: $0.value) }))
      let keys = fields.entries.map(\.key)
      #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
    }
  }

  @Test("entries given out of order are sorted; a repeated key keeps its last value")
  func unsortedInput() {
    let fields = HeaderFields<String>(sorted: [
      .init(key: "b", value: "1"), .init(key: "a", value: "2"), .init(key: "b", value: "3"),
    ])
    #expect(fields.entries == [.init(key: "a", value: "2"), .init(key: "b", value: "3")])
  }

  @Test("a record's lines and attributes read and write through as dictionaries")
  func recordAccessors() {
    var record = RevisionRecord(
      id: "a1", path: "v/a1.sql", lines: ["revision": 1, "down_revision": 2], attributes: ["create_date": "x"])
    #expect(record.line(of: "down_revision") == 2)
    #expect(record.location(of: "down_revision") == "v/a1.sql:2")
    #expect(record.location(of: "depends_on") == "v/a1.sql")
    record.lines["depends_on"] = 3
    record.attributes["create_date"] = nil
    #expect(record.lines == ["revision": 1, "down_revision": 2, "depends_on": 3])
    #expect(record.attributes.isEmpty && record.attribute("create_date") == nil)
    let same = RevisionRecord(
      id: "a1", path: "v/a1.sql", lines: ["depends_on": 3, "revision": 1, "down_revision": 2])
    #expect(record == same && record.hashValue == same.hashValue)
  }
}
