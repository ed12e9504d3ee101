import Foundation
import TestSupport
import Testing

@testable import Graph

/// A directory whose stamp is unchanged since the header cache recorded its listing is not
/// read again; whatever happens to its entries, a load through the cache must equal a load
/// without it.
@Suite struct ListingCacheTests {
  typealias Scratch = HeaderCacheTests.Scratch
  static let tick = HeaderCacheTests.tick

  /// Loads `locations` through `cache` and checks the records against a load without it and
  /// against the single-read load through it.
  @discardableResult
  static func check(
    _ locations: [String], recursive: Bool = false, cache: HeaderCache,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> RevisionLoader.CacheUse {
    let (cached, use) = try RevisionLoader.cachedLoad(locations: locations, recursive: recursive, cache: cache)
    let plain = try RevisionLoader.load(locations: locations, recursive: recursive)
    #expect(cached == plain, sourceLocation: sourceLocation)
    #expect(cached.map(\.path) == plain.map(\.path), sourceLocation: sourceLocation)
    let single = try RevisionLoader.loadWithContents(locations: locations, recursive: recursive, cache: cache)
    #expect(single.records == plain, sourceLocation: sourceLocation)
    #expect(single.contents.paths == plain.map(\.path), sourceLocation: sourceLocation)
    return use
  }

  static func native(_ id: String, parent: String? = nil) -> String {
    "-- revision: \(id)\n" + (parent.map { "-- down_revision: \($0)\n" } ?? "") + "-- message: m \(id)\n\n-- +upgrade\n"
  }

  @Test("a settled directory is read once; then its files come from the cache, for every loader")
  func unchangedDirectoryIsNotRead() throws {
    let scratch = try Scratch(HeaderCacheTests.records(30, seed: 11))
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    #expect(try Self.check([scratch.versions], cache: cache) == .init(hits: 0, stored: 30, writes: 1, listed: 1))
    #expect(try Self.check([scratch.versions], cache: cache) == .init(hits: 30, stored: 0, writes: 0, listed: 0))
    let index = cache.index(for: RevisionLoader.realPath(scratch.versions))
    #expect(index.listing?.subdirectories == [])
    #expect(index.slots.count == 30)
  }

  @Test("an added, removed or renamed file changes the directory: it is read again")
  func entryChangesAreSeen() throws {
    var records = HeaderCacheTests.records(20, seed: 12)
    let scratch = try Scratch(records)
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    try Self.check([scratch.versions], cache: cache)

    usleep(Self.tick)
    try Self.native("added1", parent: records[0].id).write(
      toFile: scratch.path("added1.sql"), atomically: false, encoding: .utf8)
    usleep(Self.tick)
    var use = try Self.check([scratch.versions], cache: cache)
    #expect(use.listed == 1 && use.stored == 1 && use.hits == 20)
    #expect(try Self.check([scratch.versions], cache: cache).listed == 0)

    usleep(Self.tick)
    try FileManager.default.removeItem(atPath: scratch.path("\(records[3].id).sql"))
    usleep(Self.tick)
    use = try Self.check([scratch.versions], cache: cache)
    #expect(use.listed == 1 && use.writes == 1)
    #expect(try Self.check([scratch.versions], cache: cache).listed == 0)

    usleep(Self.tick)
    try FileManager.default.moveItem(
      atPath: scratch.path("\(records[4].id).sql"), toPath: scratch.path("zz_\(records[4].id).sql"))
    usleep(Self.tick)
    use = try Self.check([scratch.versions], cache: cache)
    #expect(use.listed == 1)
    let loaded = try RevisionLoader.load(locations: [scratch.versions], cache: cache)
    #expect(loaded.last?.path == scratch.path("zz_\(records[4].id).sql"))

    // An edit in place leaves the directory as it was: the file's own stamp tells.
    usleep(Self.tick)
    records[0].message = String(records[0].message.dropLast()) + "Z"
    try scratch.writeNative(records[0], in: true)
    usleep(Self.tick)
    use = try Self.check([scratch.versions], cache: cache)
    #expect(use.listed == 0 && use.stored == 1)
  }

  @Test("a directory younger than the settle time is read every time, and recorded once settled")
  func unsettledDirectoryIsReadAgain() throws {
    let scratch = try Scratch(HeaderCacheTests.records(8, seed: 13))
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .milliseconds(400))
    #expect(try Self.check([scratch.versions], cache: cache) == .init(hits: 0, stored: 0, writes: 0, listed: 1))
    #expect(try Self.check([scratch.versions], cache: cache).listed == 1)
    usleep(500_000)
    #expect(try Self.check([scratch.versions], cache: cache) == .init(hits: 0, stored: 8, writes: 1, listed: 1))
    #expect(try Self.check([scratch.versions], cache: cache) == .init(hits: 8, stored: 0, writes: 0, listed: 0))
  }

  @Test("a file too young to record is still named, so the listing stays whole")
  func youngFileKeepsListingWhole() throws {
    let scratch = try Scratch(HeaderCacheTests.records(6, seed: 14))
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .milliseconds(300))
    usleep(400_000)
    try Self.check([scratch.versions], cache: cache)
    // A new file: the directory changes now, and settles with the file.
    try Self.native("young1").write(toFile: scratch.path("young1.sql"), atomically: false, encoding: .utf8)
    #expect(try Self.check([scratch.versions], cache: cache).listed == 1)
    usleep(400_000)
    // Settled: the listing is recorded with the young file's name and record.
    var use = try Self.check([scratch.versions], cache: cache)
    #expect(use.listed == 1 && use.writes == 1 && use.stored == 1)
    use = try Self.check([scratch.versions], cache: cache)
    #expect(use.listed == 0 && use.hits == 7)

    // Recorded without its header: the directory settled before the file did.
    try Self.native("young2").write(toFile: scratch.path("young2.sql"), atomically: false, encoding: .utf8)
    usleep(400_000)
    try Self.native("young2", parent: "young1").write(
      toFile: scratch.path("young2.sql"), atomically: false, encoding: .utf8)
    use = try Self.check([scratch.versions], cache: cache)
    #expect(use.listed == 1 && use.writes == 1 && use.stored == 0)
    let index = cache.index(for: RevisionLoader.realPath(scratch.versions))
    #expect(index.listing != nil && index.slots.count == 8)
    #expect(index.slots.indices.filter { !index.hasRecord($0) }.map { index.name($0) } == ["young2.sql"])
    use = try Self.check([scratch.versions], cache: cache)
    #expect(use.listed == 0 && use.hits == 7)
  }

  @Test("recursive: a changed subdirectory alone is read again; a new one through its parent")
  func subdirectories() throws {
    let scratch = try Scratch([])
    defer { scratch.remove() }
    let root = scratch.versions
    for (folder, ids) in [("a", ["a1", "a2"]), ("b", ["b1"]), ("b/c", ["c1"])] {
      try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
      for id in ids {
        try Self.native(id).write(toFile: "\(root)/\(folder)/\(id).sql", atomically: false, encoding: .utf8)
      }
    }
    try FileManager.default.createDirectory(atPath: root + "/__pycache__", withIntermediateDirectories: true)
    try Self.native("skipped").write(toFile: root + "/__pycache__/x.sql", atomically: false, encoding: .utf8)
    try Self.native("r1").write(toFile: root + "/r1.sql", atomically: false, encoding: .utf8)
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    // versions, a, b, b/c.
    #expect(try Self.check([root], recursive: true, cache: cache) == .init(hits: 0, stored: 5, writes: 4, listed: 4))
    #expect(try Self.check([root], recursive: true, cache: cache) == .init(hits: 5, stored: 0, writes: 0, listed: 0))
    // Non-recursive loads of the same folder share its cache.
    #expect(try Self.check([root], cache: cache).listed == 0)

    usleep(Self.tick)
    try Self.native("c2").write(toFile: root + "/b/c/c2.sql", atomically: false, encoding: .utf8)
    usleep(Self.tick)
    #expect(try Self.check([root], recursive: true, cache: cache).listed == 1)

    usleep(Self.tick)
    try FileManager.default.createDirectory(atPath: root + "/b/d", withIntermediateDirectories: true)
    try Self.native("d1").write(toFile: root + "/b/d/d1.sql", atomically: false, encoding: .utf8)
    usleep(Self.tick)
    #expect(try Self.check([root], recursive: true, cache: cache).listed == 2)
    #expect(try Self.check([root], recursive: true, cache: cache).listed == 0)

    usleep(Self.tick)
    try FileManager.default.removeItem(atPath: root + "/a")
    usleep(Self.tick)
    #expect(try Self.check([root], recursive: true, cache: cache).listed == 1)
  }

  @Test("a link among the entries keeps the directory from being cached as a listing")
  func linksAreNotTrusted() throws {
    let scratch = try Scratch(HeaderCacheTests.records(5, seed: 15))
    defer { scratch.remove() }
    let elsewhere = scratch.root.appendingPathComponent("elsewhere").path
    try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
    try Self.native("linked1").write(toFile: elsewhere + "/linked1.sql", atomically: false, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      atPath: scratch.path("linked1.sql"), withDestinationPath: elsewhere + "/linked1.sql")
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    try Self.check([scratch.versions], cache: cache)
    #expect(try Self.check([scratch.versions], cache: cache) == .init(hits: 6, stored: 0, writes: 0, listed: 1))
    #expect(cache.index(for: RevisionLoader.realPath(scratch.versions)).listing == nil)
  }

  @Test("a damaged cache is ignored by the listing too")
  func damagedCache() throws {
    let scratch = try Scratch(HeaderCacheTests.records(25, seed: 16))
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    try Self.check([scratch.versions], cache: cache)
    let file = cache.file(for: RevisionLoader.realPath(scratch.versions))
    let good = try Data(contentsOf: URL(fileURLWithPath: file))
    for offset in stride(from: 4, to: good.count, by: max(1, good.count / 60)) {
      var copy = good
      copy[offset] ^= 0x21
      try copy.write(to: URL(fileURLWithPath: file))
      let use = try Self.check([scratch.versions], cache: cache)
      #expect(use.listed == 1 && use.hits == 0 && use.writes == 1)
    }
  }

  @Test(
    "random changes to a tree of version directories: every load equals a load without the cache", arguments: [1, 2, 3])
  func randomChanges(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let scratch = try Scratch([])
    defer { scratch.remove() }
    let root = scratch.versions
    let folders = ["", "/p", "/q", "/p/r"]
    var next = 0
    func randomFile() -> String? {
      let all = folders.flatMap { folder in
        ((try? FileManager.default.contentsOfDirectory(atPath: root + folder)) ?? [])
          .filter { $0.hasSuffix(".sql") }.map { root + folder + "/" + $0 }
      }.sorted()
      return all.isEmpty ? nil : all[Int(rng.next() % UInt64(all.count))]
    }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    for _ in 0..<40 {
      let folder = root + folders[Int(rng.next() % UInt64(folders.count))]
      switch rng.next() % 6 {
      case 0, 1:
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.native("n\(next)").write(toFile: folder + "/n\(next).sql", atomically: false, encoding: .utf8)
        next += 1
      case 2:
        if let file = randomFile() { try FileManager.default.removeItem(atPath: file) }
      case 3:
        if let file = randomFile() {
          try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
          try? FileManager.default.moveItem(atPath: file, toPath: folder + "/m\(next).sql")
          next += 1
        }
      case 4:
        // Rewritten in place, same inode; the message (and so the size) may stay the same.
        if let file = randomFile(), let handle = FileHandle(forUpdatingAtPath: file) {
          let id = "e\(next)"
          next += 1
          try handle.truncate(atOffset: 0)
          try handle.write(contentsOf: Data(Self.native(id).utf8))
          try handle.close()
        }
      default:
        if folder != root, rng.next() % 2 == 0 { try? FileManager.default.removeItem(atPath: folder) }
      }
      usleep(Self.tick)
      for recursive in [true, false] { try Self.check([root], recursive: recursive, cache: cache) }
      // Loaded twice without a change: the second time nothing is read.
      if rng.next() % 3 == 0 { #expect(try Self.check([root], recursive: true, cache: cache).listed == 0) }
    }
  }
}
