import Foundation
import TestSupport
import Testing

@testable import Graph

/// The header cache never changes what is loaded: every load through it must equal a load
/// without it, whatever happened to the files or the cache in between.
@Suite struct HeaderCacheTests {
  /// A version directory with native and Alembic revisions, and a cache folder beside it.
  struct Scratch {
    let root: URL
    var versions: String { root.appendingPathComponent("versions").path }
    var cacheFolder: String { root.appendingPathComponent("cache").path }

    init(_ records: [RevisionRecord]) throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-cache-\(UUID().uuidString)")
      try FileManager.default.createDirectory(
        atPath: root.appendingPathComponent("versions").path,
        withIntermediateDirectories: true)
      for (i, record) in records.enumerated() {
        if i % 3 == 2 { try writeAlembic(record) } else { try writeNative(record) }
      }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func path(_ name: String) -> String { versions + "/" + name }

    func writeNative(_ record: RevisionRecord, in place: Bool = false) throws {
      var text = "-- revision: \(record.id)\n"
      if !record.downRevisions.isEmpty { text += "-- down_revision: \(record.downRevisions.joined(separator: ", "))\n" }
      if !record.branchLabels.isEmpty { text += "-- branch_labels: \(record.branchLabels.joined(separator: ", "))\n" }
      if !record.dependsOn.isEmpty { text += "-- depends_on: \(record.dependsOn.joined(separator: ", "))\n" }
      text += "-- message: \(record.message)\n\n-- +upgrade\nSELECT 1;\n"
      try write(text, to: path("\(record.id).sql"), inPlace: place)
    }

    func writeAlembic(_ record: RevisionRecord) throws {
      func tuple(_ values: [String]) -> String {
        values.isEmpty ? "None" : "(" + values.map { "'\($0)'" }.joined(separator: ", ") + ",)"
      }
      let text = """
        \"\"\"\(record.message)

        Revision ID: \(record.id)
        \"\"\"
        revision = '\(record.id)'
        down_revision = \(record.downRevisions.count == 1 ? "'\(record.downRevisions[0])'" : tuple(record.downRevisions))
        branch_labels = \(tuple(record.branchLabels))
        depends_on = \(tuple(record.dependsOn))


        def upgrade():
            pass

        """
      try write(text, to: path("\(record.id)_rev.py"), inPlace: false)
    }

    /// Writes `text`; in place keeps the inode (as an editor saving in place does).
    func write(_ text: String, to path: String, inPlace: Bool) throws {
      if inPlace, let handle = FileHandle(forUpdatingAtPath: path) {
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
      } else {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
      }
    }

    func load(_ cache: HeaderCache?) throws -> (records: [RevisionRecord], use: RevisionLoader.CacheUse) {
      try RevisionLoader.cachedRecords(at: RevisionLoader.revisionFiles(in: [versions], recursive: false), cache: cache)
    }

    /// Loads through `cache` and checks the result against a load without it.
    @discardableResult
    func check(_ cache: HeaderCache, sourceLocation: SourceLocation = #_sourceLocation) throws
      -> RevisionLoader.CacheUse
    {
      let (cached, use) = try load(cache)
      let (plain, _) = try load(nil)
      #expect(cached == plain, sourceLocation: sourceLocation)
      return use
    }
  }

  static func records(_ size: Int, seed: UInt64) -> [RevisionRecord] {
    var rng = SplitMix64(seed: seed)
    return RandomGraph.records(size: size, rng: &rng)
  }

  /// Files change within one clock tick of being read: only a settled file may be recorded.
  static let tick: UInt32 = 30_000

  @Test("a warm cache gives the same records as reading the files (native and Alembic)", arguments: [1, 2, 3])
  func warmEqualsCold(seed: UInt64) throws {
    let scratch = try Scratch(Self.records(60, seed: seed))
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    #expect(try scratch.check(cache) == .init(hits: 0, stored: 60, writes: 1))
    #expect(try scratch.check(cache) == .init(hits: 60, stored: 0, writes: 0))
    // The graph built from cached records is the one built from the files.
    let cached = try RevisionLoader.graph(locations: [scratch.versions], cache: cache)
    let plain = try RevisionLoader.graph(locations: [scratch.versions])
    #expect(cached.heads == plain.heads)
    #expect(cached.records == plain.records)
  }

  @Test("an edit in place, a replaced, removed, renamed or added file is read again")
  func changesAreSeen() throws {
    // Files 0, 1, 3 and 4 are native (every third one is written as Alembic).
    var records = Self.records(30, seed: 9)
    let scratch = try Scratch(records)
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    try scratch.check(cache)

    // Same size, same inode, new content (the message changes one letter).
    let edited = 0
    records[edited].message = String(records[edited].message.dropLast()) + "Z"
    usleep(Self.tick)
    try scratch.writeNative(records[edited], in: true)
    var use = try scratch.check(cache)
    #expect(use.hits == 29 && use.stored == 1)
    #expect(try scratch.load(cache).records.first { $0.id == records[edited].id }?.message == records[edited].message)

    // Replaced by a new file (new inode), with a different parent list.
    usleep(Self.tick)
    records[1].downRevisions = []
    try scratch.writeNative(records[1])
    use = try scratch.check(cache)
    #expect(use.hits == 29 && use.stored == 1)

    // Removed, renamed, added.
    usleep(Self.tick)
    try FileManager.default.removeItem(atPath: scratch.path("\(records[3].id).sql"))
    try FileManager.default.moveItem(
      atPath: scratch.path("\(records[4].id).sql"), toPath: scratch.path("zz_\(records[4].id).sql"))
    try scratch.writeNative(RevisionRecord(id: "fresh1", downRevisions: [records[0].id], message: "new"))
    usleep(Self.tick)
    use = try scratch.check(cache)
    #expect(use.writes == 1)
    #expect(try scratch.load(cache).records.contains { $0.id == "fresh1" })
    #expect(try scratch.load(cache).records.allSatisfy { $0.id != records[3].id })
    #expect(try scratch.check(cache).hits == 30)
  }

  @Test("a file younger than the settle time is not recorded, so an edit in the same tick is seen")
  func unsettledFilesAreNotRecorded() throws {
    var records = Self.records(10, seed: 4)
    let scratch = try Scratch(records)
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder)
    #expect(try scratch.check(cache) == .init(hits: 0, stored: 0, writes: 0))
    // Rewritten at once, in place, same size: with the default settle time nothing was
    // recorded, so this is read again.
    records[0].message = String(records[0].message.dropLast()) + "Q"
    try scratch.writeNative(records[0], in: true)
    try scratch.check(cache)
    #expect(try scratch.load(cache).records.first { $0.id == records[0].id }?.message == records[0].message)
  }

  @Test("a damaged, truncated, foreign or unwritable cache is ignored")
  func damagedCaches() throws {
    let scratch = try Scratch(Self.records(40, seed: 5))
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    try scratch.check(cache)
    let file = cache.file(for: RevisionLoader.realPath(scratch.versions))
    let good = try Data(contentsOf: URL(fileURLWithPath: file))
    var damaged: [Data] = [good.prefix(good.count / 2), Data(), Data("RGHC".utf8)]
    for offset in stride(from: 4, to: good.count, by: max(1, good.count / 40)) {
      var copy = good
      copy[offset] ^= 0x5A
      damaged.append(copy)
    }
    for bytes in damaged {
      try bytes.write(to: URL(fileURLWithPath: file))
      let use = try scratch.check(cache)
      #expect(use.hits == 0 && use.writes == 1)
    }
    // Written by another build: ignored.
    #expect(throws: (any Error).self) {
      try HeaderCache.Index(bytes: Array(good), directory: RevisionLoader.realPath(scratch.versions), identity: "other")
    }
    // A cache folder that cannot be created: loading works without one.
    let blocker = scratch.root.appendingPathComponent("blocker").path
    try "a file, not a folder".write(toFile: blocker, atomically: true, encoding: .utf8)
    let blocked = HeaderCache(directory: blocker + "/cache", settleTime: .zero)
    #expect(try scratch.check(blocked).writes == 1)
    #expect(try scratch.check(blocked).hits == 0)
  }

  @Test("a file that does not parse is not cached: the error comes back every time")
  func parseErrorsAreNotCached() throws {
    let scratch = try Scratch(Self.records(5, seed: 6))
    defer { scratch.remove() }
    try "-- down_revision: x\n-- +upgrade\n".write(
      toFile: scratch.path("broken.sql"), atomically: true, encoding: .utf8)
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    for _ in 0..<2 {
      #expect(throws: GraphError.self) { try scratch.load(cache) }
    }
  }

  @Test("where the command line keeps the cache")
  func standardLocation() {
    #expect(HeaderCache.standard(environment: ["HOME": "/home/u"])?.directory == "/home/u/.cache/revgraph")
    #expect(
      HeaderCache.standard(environment: ["HOME": "/home/u", "XDG_CACHE_HOME": "/x"])?.directory == "/x/revgraph")
    #expect(HeaderCache.standard(environment: ["REVGRAPH_CACHE_DIR": "/c", "HOME": "/h"])?.directory == "/c")
    #expect(HeaderCache.standard(environment: ["REVGRAPH_CACHE_DIR": "off", "HOME": "/h"]) == nil)
    #expect(HeaderCache.standard(environment: ["REVGRAPH_CACHE_DIR": "", "HOME": "/h"]) == nil)
    #expect(HeaderCache.standard(environment: [:]) == nil)
  }

  @Test("beyond 64 cache files, those nobody rewrote for 30 days are removed, and only those")
  func pruning() throws {
    let scratch = try Scratch([RevisionRecord(id: "a1")])
    defer { scratch.remove() }
    let folder = scratch.cacheFolder
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let old = Date(timeIntervalSinceNow: -31 * 24 * 3600)
    var stale = [String](), kept = [String]()
    for i in 0..<70 {
      let path = folder + "/headers-" + String(i)
      #expect(FileManager.default.createFile(atPath: path, contents: Data([1])))
      if i % 10 == 0 {
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
        stale.append(path)
      } else {
        kept.append(path)
      }
    }
    let other = folder + "/notes"
    #expect(FileManager.default.createFile(atPath: other, contents: Data([1])))
    try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: other)
    let cache = HeaderCache(directory: folder, settleTime: .zero)
    usleep(Self.tick)  // the revision file is then settled, so the load writes (and prunes) the cache
    _ = try RevisionLoader.cachedRecords(
      at: RevisionLoader.revisionFiles(in: [scratch.versions], recursive: false), cache: cache)
    for path in stale { #expect(!FileManager.default.fileExists(atPath: path)) }
    for path in kept + [other] { #expect(FileManager.default.fileExists(atPath: path)) }
  }

  @Test("records decoded one after another from two directories' caches share nothing")
  func memoAcrossDirectories() throws {
    let scratch = try Scratch([])
    defer { scratch.remove() }
    // Same file name, so each record lies at the same offset of its directory's cache file.
    let a = scratch.root.path + "/a", b = scratch.root.path + "/b"
    for (directory, text) in [
      (a, "-- revision: aaa1\n-- message: m\n\n-- +upgrade\n"),
      (b, "-- message: m\n-- revision: bbb2\n\n-- +upgrade\n"),
    ] {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      try text.write(toFile: directory + "/x.sql", atomically: true, encoding: .utf8)
    }
    let paths = [a + "/x.sql", b + "/x.sql"]
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    let plain = try RevisionLoader.records(at: paths)
    for _ in 0..<2 { #expect(try RevisionLoader.records(at: paths, cache: cache) == plain) }
    #expect(plain.map { $0.line(of: "revision") } == [1, 2])
  }

  @Test("several directories, recursive, on several threads: warm equals cold, every header from the cache")
  func manyDirectories() throws {
    let records = Self.records(1800, seed: 9)
    let scratch = try Scratch([])
    defer { scratch.remove() }
    for (i, record) in records.enumerated() {
      let folder = scratch.versions + "/part\(i % 3)"
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try "-- revision: \(record.id)\n-- message: \(record.message)\n\n-- +upgrade\nSELECT \(i);\n".write(
        toFile: folder + "/\(record.id).sql", atomically: true, encoding: .utf8)
    }
    let paths = try RevisionLoader.revisionFiles(in: [scratch.versions], recursive: true)
    #expect(paths.count == 1800)
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    let plain = try RevisionLoader.records(at: paths)
    #expect(
      try RevisionLoader.cachedRecords(at: paths, cache: cache) == (plain, .init(hits: 0, stored: 1800, writes: 3)))
    #expect(
      try RevisionLoader.cachedRecords(at: paths, cache: cache) == (plain, .init(hits: 1800, stored: 0, writes: 0)))
  }
}
