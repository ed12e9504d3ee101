import TestSupport
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

  @Test("a directory's names are ordered by code point, ties on the first eight bytes included")
  func listingOrder() {
    var rng = SplitMix64(seed: 5)
    // Few letters and long shared starts: many names agree on their first eight bytes.
    let alphabet = ["a", "b", "0", "_", "é", "\u{0}", "😀", "ab0123456", "abcdefgh"]
    for _ in 0..<200 {
      var names = (0..<Int.random(in: 0...60, using: &rng)).map { _ in
        (0..<Int.random(in: 0...5, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? "" }.joined()
      }
      names += names.prefix(3)  // equal names keep their order
      let expected = names.indices.sorted { a, b in
        let x = names[a].unicodeScalars.map(\.value), y = names[b].unicodeScalars.map(\.value)
        return x.lexicographicallyPrecedes(y) || (x == y && a < b)
      }
      #expect(RevisionLoader.codePointOrder(names) == expected)
    }
  }

  @Test(
    "the last slash of a path",
    arguments: ["a/b/c.sql", "/x", "x", "", "dir/", "é/ü/😀.sql", "//", "a\u{301}/b", "no slash é"])
  func lastSlash(path: String) {
    #expect(RevisionLoader.lastSlash(in: path) == path.utf8.lastIndex(of: UInt8(ascii: "/")))
  }
}
