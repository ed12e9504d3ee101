import Foundation
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
      #expect(DirectoryListing(names: names).sorted() == expected)
    }
  }

  @Test(
    "the last slash of a path",
    arguments: ["a/b/c.sql", "/x", "x", "", "dir/", "é/ü/😀.sql", "//", "a\u{301}/b", "no slash é"])
  func lastSlash(path: String) {
    #expect(RevisionLoader.lastSlash(in: path) == path.utf8.lastIndex(of: UInt8(ascii: "/")))
  }

  /// Creates a file whose name is raw bytes (Linux file names need not be UTF-8).
  static func createFile(in directory: String, named name: [UInt8]) {
    let raw = Array(directory.utf8) + [0x2F] + name + [0]
    let fd = raw.withUnsafeBufferPointer {
      open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644)
    }
    #expect(fd >= 0)
    close(fd)
  }

  @Test("listing a real directory: links followed, __pycache__ and dot entries skipped, code-point order")
  func realDirectory() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-listing-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let fm = FileManager.default
    for directory in ["v/sub", "v/__pycache__", "elsewhere"] {
      try fm.createDirectory(at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
    }
    for file in ["v/b.sql", "v/a.py", "v/é.sql", "v/sub/c.sql", "v/__pycache__/x.py", "elsewhere/d.sql", "v/.#a.sql"] {
      try "".write(to: root.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }
    try fm.createSymbolicLink(
      at: root.appendingPathComponent("v/linked"), withDestinationURL: root.appendingPathComponent("elsewhere"))
    try fm.createSymbolicLink(
      at: root.appendingPathComponent("v/z.sql"), withDestinationURL: root.appendingPathComponent("v/b.sql"))
    let v = root.appendingPathComponent("v").path
    // A file that is not a revision may have any name (this one is not UTF-8: 0xFF).
    Self.createFile(in: v, named: [0xFF] + Array(".txt".utf8))
    let expected = [v + "/a.py", v + "/b.sql", v + "/z.sql", v + "/é.sql", v + "/linked/d.sql", v + "/sub/c.sql"]
    #expect(try RevisionLoader.revisionFiles(in: [v], recursive: true) == expected)
    #expect(
      try RevisionLoader.revisionFiles(in: [v + "/"], recursive: true)
        == expected.map { v + "/" + $0.dropFirst(v.count + 1) })
    #expect(try RevisionLoader.revisionFiles(in: [v], recursive: false) == Array(expected.prefix(4)))
  }

  // Linux only: other systems refuse names that are not UTF-8, or normalise them.
  @Test("a revision file whose name is not UTF-8 is an error naming it, not a missing file later")
  func invalidName() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-listing-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    Self.createFile(in: root.path, named: Array("a".utf8) + [0xFF] + Array(".sql".utf8))
    #expect {
      try RevisionLoader.revisionFiles(in: [root.path], recursive: false)
    } throws: { error in
      "\(error)".contains(root.path + "/a\u{FFFD}.sql") && "\(error)".contains("not valid UTF-8")
    }
  }

  @Test("directories whose names differ only in Unicode normalisation are two directories")
  func normalisation() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-listing-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let composed = root.path + "/d\u{e9}", decomposed = root.path + "/de\u{301}"
    for (directory, id) in [(composed, "aaa1"), (decomposed, "bbb2")] {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      try "-- revision: \(id)\n\n-- +upgrade\n".write(toFile: directory + "/x.sql", atomically: true, encoding: .utf8)
    }
    let files = try RevisionLoader.revisionFiles(in: [root.path], recursive: true)
    #expect(files.count == 2)
    #expect(try RevisionLoader.records(at: files).map(\.id).sorted() == ["aaa1", "bbb2"])
    let cache = HeaderCache(directory: root.path + "/cache", settleTime: .zero)
    usleep(20_000)
    for _ in 0..<2 {
      #expect(try RevisionLoader.records(at: files, cache: cache).map(\.id).sorted() == ["aaa1", "bbb2"])
    }
  }
}
