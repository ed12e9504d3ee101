import Testing

@testable import Graph

@Suite struct LoaderListingTests {
  @Test(
    "which directory entries are revision files",
    arguments: [
      ("1a2b_add_users.sql", true), ("1a2b_add_users.py", true), ("x.py", true), (".py", false),
      (".sql", true), ("__init__.py", false), ("__init__x.sql", false), (".#1a2b.sql", false),
      ("1a2b.sql.orig", false), ("1a2b.pyc", false), ("notes.txt", false), ("é.py", true),
      ("ünïcödé_revision.sql", true), ("README", false),
    ])
  func candidates(name: String, expected: Bool) {
    #expect(RevisionLoader.isCandidate(name) == expected)
  }

  @Test("names sort by code point, as Alembic sorts them")
  func codePointOrder() {
    let names = ["b.sql", "a.sql", "Z.sql", "é.sql", "e.sql", "ab.sql", "a", "", "😀.sql", "ｅ.sql"]
    let sorted = names.sorted(by: RevisionLoader.codePointOrder)
    #expect(
      sorted
        == names.sorted {
          Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value))
        })
  }
}
