import Testing

@testable import Runner

@Suite struct BookkeepingTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var old: [String]
    var new: [String]
    var changes: [Bookkeeping.RowChange]
    var testDescription: String { "\(old) -> \(new)" }
  }

  static let cases: [Case] = [
    Case(old: [], new: ["a"], changes: [.insert("a")]),
    Case(old: ["a"], new: ["b"], changes: [.update(from: "a", to: "b")]),
    Case(old: ["a"], new: [], changes: [.delete("a")]),
    Case(old: ["d1", "d2"], new: ["e"], changes: [.delete("d1"), .update(from: "d2", to: "e")]),
    Case(old: ["e"], new: ["d1", "d2"], changes: [.update(from: "e", to: "d1"), .insert("d2")]),
    Case(old: ["c1", "x"], new: ["d1", "x"], changes: [.update(from: "c1", to: "d1")]),
    Case(old: ["x"], new: ["x"], changes: []),
  ]

  @Test(arguments: cases)
  func rowChanges(_ c: Case) {
    #expect(Bookkeeping.changes(from: c.old, to: c.new) == c.changes)
  }

  @Test func quoting() {
    #expect(Bookkeeping.quote("a\"b") == "\"a\"\"b\"")
    #expect(Bookkeeping.literal("it's") == "'it''s'")
    let sql = Bookkeeping(versionTable: "v").statement(.update(from: "a", to: "b'"))
    #expect(sql == "UPDATE \"v\" SET version_num = 'b''' WHERE version_num = 'a'")
  }
}
