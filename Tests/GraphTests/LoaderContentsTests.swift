import Foundation
import TestSupport
import Testing

@testable import Graph

/// Reading each file once, for its header and its bytes, loads what the ordinary loader
/// loads, with or without a header cache.
@Suite struct LoaderContentsTests {
  typealias Scratch = HeaderCacheTests.Scratch

  @Test("records equal the ordinary load's, bytes are the native files' (cold and warm cache)", arguments: [1, 2])
  func sameRecords(seed: UInt64) throws {
    // Every third file is an Alembic script.
    let scratch = try Scratch(HeaderCacheTests.records(40, seed: seed))
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(HeaderCacheTests.tick)
    let cold = try RevisionLoader.load(locations: [scratch.versions], cache: cache)
    let warm = try RevisionLoader.load(locations: [scratch.versions], cache: cache)
    let plain = try RevisionLoader.load(locations: [scratch.versions])
    let loaded = try RevisionLoader.loadWithContents(locations: [scratch.versions])
    #expect(loaded.records == plain && loaded.records == cold && loaded.records == warm)
    // Headers taken from the warm cache.
    let cached = try RevisionLoader.loadWithContents(locations: [scratch.versions], cache: cache)
    #expect(cached.records == plain)
    #expect(cached.contents.aligned(with: cached.records) == loaded.contents.aligned(with: loaded.records))
    #expect(loaded.contents.paths == plain.map(\.path))
    let bytes = loaded.contents.aligned(with: loaded.records)
    for (record, bytes) in zip(loaded.records, bytes) {
      if record.format == .sql {
        #expect(bytes == FileManager.default.contents(atPath: record.path).map { Array($0) })
      } else {
        #expect(bytes == nil)
      }
    }
    let (graph, contents) = try RevisionLoader.graphWithContents(locations: [scratch.versions])
    #expect(graph.records == plain)
    #expect(contents.aligned(with: graph.records) == bytes)
  }

  @Test("many files (read on several threads) in several directories keep their order and bytes")
  func manyFiles() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-contents-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    var locations = [String]()
    var id = 0
    for directory in ["b", "a", "c/d"] {
      let path = root.appendingPathComponent(directory).path
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      locations.append(path)
      for _ in 0..<700 {
        let parent = id == 0 ? "" : "-- down_revision: r\(id - 1)\n"
        let text = "-- revision: r\(id)\n\(parent)\n-- +upgrade\nSELECT \(id);\n-- +downgrade\nSELECT -\(id);\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(path)/f\(id).sql"))
        id += 1
      }
    }
    let plain = try RevisionLoader.load(locations: locations, recursive: true)
    let loaded = try RevisionLoader.loadWithContents(locations: locations, recursive: true)
    #expect(loaded.records == plain)
    for (record, bytes) in zip(loaded.records, loaded.contents.aligned(with: loaded.records)) {
      #expect(bytes == FileManager.default.contents(atPath: record.path).map { Array($0) })
    }
  }

  @Test("a file changed since the cache was written is parsed from the bytes read")
  func changedFiles() throws {
    var records = HeaderCacheTests.records(30, seed: 8)
    let scratch = try Scratch(records)
    defer { scratch.remove() }
    let cache = HeaderCache(directory: scratch.cacheFolder, settleTime: .zero)
    usleep(HeaderCacheTests.tick)
    try scratch.check(cache)
    // Same size, same inode, one letter of the message changed; another file replaced; one
    // added (not in the cache), one removed.
    records[0].message = String(records[0].message.dropLast()) + "Z"
    records[1].downRevisions = []
    usleep(HeaderCacheTests.tick)
    try scratch.writeNative(records[0], in: true)
    try scratch.writeNative(records[1])
    var added = records[4]
    added.id = "added"
    try scratch.writeNative(added)
    try FileManager.default.removeItem(atPath: scratch.path("\(records[3].id).sql"))
    let plain = try RevisionLoader.load(locations: [scratch.versions])
    let loaded = try RevisionLoader.loadWithContents(locations: [scratch.versions], cache: cache)
    #expect(loaded.records == plain)
    #expect(loaded.records.contains { $0.message == records[0].message })
    #expect(loaded.records.first { $0.id == records[1].id }?.downRevisions == [])
    for (record, bytes) in zip(loaded.records, loaded.contents.aligned(with: loaded.records))
    where record.format == .sql {
      #expect(bytes == FileManager.default.contents(atPath: record.path).map { Array($0) })
    }
  }

  @Test("a file that does not parse fails as in the ordinary load")
  func sameErrors() throws {
    let scratch = try Scratch(HeaderCacheTests.records(20, seed: 5))
    defer { scratch.remove() }
    // No `-- +upgrade` line.
    try Data("-- revision: broken\n-- message: m\n".utf8).write(
      to: URL(fileURLWithPath: scratch.path("0000_broken.sql")))
    let plain = Result { try RevisionLoader.load(locations: [scratch.versions]) }
    let loaded = Result { try RevisionLoader.loadWithContents(locations: [scratch.versions]).records }
    guard case .failure(let expected as GraphError) = plain, case .failure(let actual as GraphError) = loaded else {
      Issue.record("both loads should fail: \(plain), \(loaded)")
      return
    }
    #expect(actual == expected)
    #expect(throws: GraphError.self) { try RevisionLoader.loadWithContents(locations: [scratch.path("missing")]) }
  }

  @Test("bytes follow records by path when the records are in another order")
  func alignedByPath() throws {
    let scratch = try Scratch(HeaderCacheTests.records(12, seed: 3))
    defer { scratch.remove() }
    let loaded = try RevisionLoader.loadWithContents(locations: [scratch.versions])
    let inOrder = loaded.contents.aligned(with: loaded.records)
    let reversed = Array(loaded.records.reversed())
    #expect(loaded.contents.aligned(with: reversed) == inOrder.reversed())
    // A record the contents do not hold gets nil.
    var other = loaded.records[0]
    other.path += ".elsewhere"
    #expect(loaded.contents.aligned(with: [other, loaded.records[1]]) == [nil, inOrder[1]])
  }
}
