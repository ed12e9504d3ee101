import Testing

@testable import Graph

@Suite struct ShortIDsTests {
  /// The definition: sort the ids as strings, compare neighbours character by character.
  static func reference(_ graph: RevisionGraph, minimumLength: Int) -> [String] {
    let sorted = (0..<RevisionGraph.Index(graph.count)).sorted { graph.id($0) < graph.id($1) }
    var length = [Int](repeating: minimumLength, count: graph.count)
    for (a, b) in zip(sorted, sorted.dropFirst()) {
      let shared = zip(graph.id(a), graph.id(b)).prefix { $0 == $1 }.count
      length[Int(a)] = max(length[Int(a)], shared + 1)
      length[Int(b)] = max(length[Int(b)], shared + 1)
    }
    return (0..<graph.count).map { String(graph.records[$0].id.prefix(length[$0])) }
  }

  static let idSets: [[String]] = [
    ["ae1001", "ae1002", "b", "ae10", "Z9", "zz"],
    ["abcdef12", "abcdef13", "abcdef1", "abcdef123456", "x"],
    ["é1", "e2", "é2", "e\u{301}3", "ab"],
  ]

  @Test("short ids agree with the character-by-character definition", arguments: idSets)
  func agree(ids: [String]) throws {
    let graph = try RevisionGraph(records: ids.map { RevisionRecord(id: $0) })
    for minimumLength in [0, 1, 3, 8] {
      #expect(graph.shortIDs(minimumLength: minimumLength) == Self.reference(graph, minimumLength: minimumLength))
    }
  }
}
