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
  /// The paths are also checked against a walk of the directories through `FileManager`.
  @discardableResult
  static func check(
    _ locations: [String], recursive: Bool = false, cache: HeaderCache, readStart: timespec = RevisionLoader.now(),
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> RevisionLoader.CacheUse {
    let (cached, use) = try RevisionLoader.cachedLoad(
      locations: locations, recursive: recursive, cache: cache, readStart: readStart)
    let plain = try RevisionLoader.load(locations: locations, recursive: recursive)
    #expect(cached == plain, sourceLocation: sourceLocation)
    #expect(cached.map(\.path) == plain.map(\.path), sourceLocation: sourceLocation)
    #expect(plain.map(\.path) == expectedPaths(locations, recursive: recursive), sourceLocation: sourceLocation)
    let single = try RevisionLoader.loadWithContents(locations: locations, recursive: recursive, cache: cache)
    #expect(single.records == plain, sourceLocation: sourceLocation)
    #expect(single.contents.paths == plain.map(\.path), sourceLocation: sourceLocation)
    return use
  }

  /// The revision files of `locations` in load order, found without the loader: per
  /// directory its candidate files by code point, then its subdirectories (`__pycache__`
  /// skipped), each real directory once.
  static func expectedPaths(_ locations: [String], recursive: Bool) -> [String] {
    var seen = Set<String>()
    var paths = [String]()
    func visit(_ directory: String) {
      guard seen.insert(RevisionLoader.realPath(directory)).inserted else { return }
      let prefix = directory.hasSuffix("/") ? directory : directory + "/"
      let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
      var subdirectories = [String]()
      for name in names {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: prefix + name, isDirectory: &isDirectory) else { continue }
        if isDirectory.boolValue {
          if recursive && !name.hasSuffix("__pycache__") { subdirectories.append(prefix + name) }
        } else if RevisionLoader.isCandidate(name) {
          paths.append(prefix + name)
        }
      }
      subdirectories.forEach(visit)
    }
    locations.forEach(visit)
    return paths
  }

  /// `seconds` from now, as a load's start.
  static func later(_ seconds: Int) -> timespec {
    var time = RevisionLoader.now()
    time.tv_sec += seconds
    return time
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
    // Loads "now" find everything just written; loads 20 s later find it settled.
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .seconds(10))
    #expect(try Self.check([scratch.versions], cache: cache) == .init(hits: 0, stored: 0, writes: 0, listed: 1))
    #expect(try Self.check([scratch.versions], cache: cache).listed == 1)
    let settled = Self.later(20)
    #expect(
      try Self.check([scratch.versions], cache: cache, readStart: settled)
        == .init(hits: 0, stored: 8, writes: 1, listed: 1))
    #expect(
      try Self.check([scratch.versions], cache: cache, readStart: settled)
        == .init(hits: 8, stored: 0, writes: 0, listed: 0))
  }

  @Test("a file too young to record is still named, so the listing stays whole")
  func youngFileKeepsListingWhole() throws {
    let scratch = try Scratch(HeaderCacheTests.records(6, seed: 14))
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .seconds(10))
    try Self.check([scratch.versions], cache: cache, readStart: Self.later(20))
    #expect(try Self.check([scratch.versions], cache: cache, readStart: Self.later(20)).listed == 0)
    // A new file: the directory changes now; 20 s later both are settled and recorded.
    usleep(Self.tick)
    try Self.native("young1").write(toFile: scratch.path("young1.sql"), atomically: false, encoding: .utf8)
    #expect(try Self.check([scratch.versions], cache: cache).listed == 1)
    var use = try Self.check([scratch.versions], cache: cache, readStart: Self.later(20))
    #expect(use.listed == 1 && use.writes == 1 && use.stored == 1)
    use = try Self.check([scratch.versions], cache: cache, readStart: Self.later(20))
    #expect(use.listed == 0 && use.hits == 7)

    // A file created, then rewritten in place: at a moment when the directory is settled and
    // the file is not, the listing is recorded with the file named but without its header.
    usleep(Self.tick)
    try Self.native("young2").write(toFile: scratch.path("young2.sql"), atomically: false, encoding: .utf8)
    usleep(Self.tick)
    let directoryChanged = RevisionLoader.now()
    usleep(Self.tick)
    try Self.native("young2", parent: "young1").write(
      toFile: scratch.path("young2.sql"), atomically: false, encoding: .utf8)
    // The directory changed before `directoryChanged`, the file after it.
    var between = directoryChanged
    between.tv_sec += 10
    use = try Self.check([scratch.versions], cache: cache, readStart: between)
    #expect(use.listed == 1 && use.writes == 1 && use.stored == 0)
    let index = cache.index(for: RevisionLoader.realPath(scratch.versions))
    #expect(index.listing != nil && index.slots.count == 8)
    #expect(index.slots.indices.filter { !index.hasRecord($0) }.map { index.name($0) } == ["young2.sql"])
    use = try Self.check([scratch.versions], cache: cache, readStart: between)
    #expect(use.listed == 0 && use.hits == 7 && use.writes == 0)
    // Once the file settles too, its header is recorded and the listing kept.
    use = try Self.check([scratch.versions], cache: cache, readStart: Self.later(20))
    #expect(use.listed == 0 && use.stored == 1 && use.writes == 1)
    #expect(try Self.check([scratch.versions], cache: cache, readStart: Self.later(20)).hits == 8)
  }

  @Test("a load of given paths rewrites the cache without the listing; the next listing load reads the directory")
  func pathLoadsDropTheListing() throws {
    let scratch = try Scratch(HeaderCacheTests.records(12, seed: 17))
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    try Self.check([scratch.versions], cache: cache)
    #expect(try Self.check([scratch.versions], cache: cache).listed == 0)
    // Half the files, through the path-based loader: its cache file names only those.
    let paths = try RevisionLoader.revisionFiles(in: [scratch.versions], recursive: false)
    let half = Array(paths.prefix(6))
    #expect(try RevisionLoader.cachedRecords(at: half, cache: cache).use.writes == 1)
    let index = cache.index(for: RevisionLoader.realPath(scratch.versions))
    #expect(index.listing == nil && index.slots.count == 6)
    var use = try Self.check([scratch.versions], cache: cache)
    #expect(use.listed == 1 && use.hits == 6 && use.stored == 6)
    use = try Self.check([scratch.versions], cache: cache)
    #expect(use.listed == 0 && use.hits == 12)
  }

  @Test("overlapping locations: each real directory is listed, cached and loaded once")
  func overlappingLocations() throws {
    let scratch = try Scratch([])
    defer { scratch.remove() }
    let root = scratch.versions
    try FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
    try Self.native("r1").write(toFile: root + "/r1.sql", atomically: false, encoding: .utf8)
    try Self.native("s1").write(toFile: root + "/sub/s1.sql", atomically: false, encoding: .utf8)
    let linked = scratch.root.appendingPathComponent("linked").path
    try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: root)
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    for (locations, recursive) in [
      ([root, root + "/"], false), ([root, linked], false), ([root, root + "/sub"], true),
      ([root + "/sub", root], true), ([linked, root + "/sub"], true),
    ] {
      try Self.check(locations, recursive: recursive, cache: cache)
      let use = try Self.check(locations, recursive: recursive, cache: cache)
      #expect(use.listed == 0 && use.writes == 0)
      #expect(use.hits == (recursive ? 2 : 1))
    }
  }

  @Test("a name that is not UTF-8 keeps the directory from being cached as a listing")
  func nonUTF8Names() throws {
    let scratch = try Scratch(HeaderCacheTests.records(4, seed: 18))
    defer { scratch.remove() }
    // "\xFF.txt": not a revision file, but not a name a String can hold either.
    let name = Array(scratch.versions.utf8) + [UInt8(ascii: "/"), 0xFF] + Array(".txt".utf8) + [0]
    let fd = name.withUnsafeBufferPointer {
      open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644)
    }
    #expect(fd >= 0)
    close(fd)
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    try Self.check([scratch.versions], cache: cache)
    #expect(try Self.check([scratch.versions], cache: cache) == .init(hits: 4, stored: 0, writes: 0, listed: 1))
    #expect(cache.index(for: RevisionLoader.realPath(scratch.versions)).listing == nil)
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

  @Test("a prefetched cache file gives the load it would have read; a stale or foreign one changes nothing")
  func prefetch() throws {
    let scratch = try Scratch(HeaderCacheTests.records(20, seed: 19))
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(Self.tick)
    let locations = [scratch.versions]
    try Self.check(locations, cache: cache)
    func load(_ prefetch: HeaderCache.Prefetch) throws -> RevisionLoader.CacheUse {
      let (records, use) = try RevisionLoader.cachedLoad(
        locations: locations, recursive: false, cache: cache, prefetch: prefetch)
      #expect(records == (try RevisionLoader.load(locations: locations)))
      #expect(
        try RevisionLoader.loadWithContents(locations: locations, cache: cache, prefetch: prefetch).records == records)
      return use
    }
    // Read ahead, then used: nothing read from the directory or the files.
    #expect(
      try load(HeaderCache.Prefetch(cache: cache) { locations }) == .init(hits: 20, stored: 0, writes: 0, listed: 0))
    // Read ahead, then the history changes and the cache is rewritten: the stale prefetch
    // still loads what is there now.
    let stale = HeaderCache.Prefetch(cache: cache) { locations }
    _ = stale.indexes()
    usleep(Self.tick)
    try Self.native("late1").write(toFile: scratch.path("late1.sql"), atomically: false, encoding: .utf8)
    try FileManager.default.removeItem(atPath: scratch.path("\(HeaderCacheTests.records(20, seed: 19)[0].id).sql"))
    usleep(Self.tick)
    try Self.check(locations, cache: cache)
    var use = try load(stale)
    #expect(use.listed == 1 && use.stored == 1)
    // A prefetch from another cache folder, or of nothing, is not used.
    let other = HeaderCache(directory: scratch.cacheFolder + "-other", settleTime: .zero)
    use = try load(HeaderCache.Prefetch(cache: other) { locations })
    #expect(use.listed == 0 && use.hits == 20)
    #expect(try load(HeaderCache.Prefetch(cache: cache) { nil }).listed == 0)
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
