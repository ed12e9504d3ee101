import Graph
import Testing

@Suite struct NearMissTests {
  /// Two spellings and the edits between them.
  struct DistanceCase: Sendable, CustomTestStringConvertible {
    var from: String
    var to: String
    var distance: Int
    var testDescription: String { "\(from) → \(to)" }
  }

  static let distanceCases: [DistanceCase] = [
    DistanceCase(from: "database", to: "database", distance: 0),
    DistanceCase(from: "databse", to: "database", distance: 1),  // a letter missing
    DistanceCase(from: "version_tabel", to: "version_table", distance: 1),  // two letters swapped
    DistanceCase(from: "sqlalchemy.ulr", to: "sqlalchemy.url", distance: 1),
    DistanceCase(from: "Database", to: "database", distance: 1),
    DistanceCase(from: "shcema", to: "schema", distance: 1),
    DistanceCase(from: "branch", to: "branches", distance: 2),
    DistanceCase(from: "", to: "abc", distance: 3),
    DistanceCase(from: "editor", to: "database", distance: 7),
  ]

  @Test(arguments: distanceCases)
  func distance(_ c: DistanceCase) {
    #expect(NearMiss.distance(c.from, c.to) == c.distance)
    #expect(NearMiss.distance(c.to, c.from) == c.distance)
  }

  @Test("the closest key within two edits, ties going to the first")
  func closest() {
    let keys = ["database", "version_table", "version_locations", "schema"]
    #expect(NearMiss.closest(to: "databse", among: keys) == "database")
    #expect(NearMiss.closest(to: "version_tabels", among: keys) == "version_table")
    #expect(NearMiss.closest(to: "editor", among: keys) == nil)
    #expect(NearMiss.closest(to: "database", among: keys) == "database")
  }
}
