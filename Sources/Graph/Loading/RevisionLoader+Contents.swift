import Foundation

/// The bytes of revision files as the loader read and parsed them, for a command that needs
/// their bodies as well as their headers (an offline SQL script of a whole history), so that
/// no file is read twice.
public struct RevisionFileContents: Sendable {
  /// The files' paths, in load order.
  public let paths: [String]
  /// The bytes of each native (`.sql`) file, by the same index; nil for Alembic scripts,
  /// whose bodies nothing reads.
  let bytes: [[UInt8]?]

  /// The bytes of each record's file, by the records' index (nil for a file not read here).
  ///
  /// Records and files are matched by path: one comparison each when the records are in load
  /// order (a graph built from the loaded records keeps it), a lookup by path otherwise.
  public func aligned(with records: [RevisionRecord]) -> [[UInt8]?] { aligned(bytes, with: records) }

  /// `values`, one per file in load order, by the index of `records`, matched by path as
  /// ``aligned(with:)`` matches the bytes.
  public func aligned<Value>(_ values: [Value?], with records: [RevisionRecord]) -> [Value?] {
    guard values.count == paths.count else { return records.map { _ in nil } }
    if records.count == paths.count, records.indices.allSatisfy({ records[$0].path == paths[$0] }) {
      return values
    }
    let byPath = Dictionary(zip(paths, values), uniquingKeysWith: { first, _ in first })
    return records.map { byPath[$0.path] ?? nil }
  }
}

extension RevisionLoader {
  /// Revision files read once: their records and their bytes.
  public struct LoadedFiles: Sendable {
    /// The headers, in load order.
    public var records: [RevisionRecord]
    /// The bytes of the files.
    public var contents: RevisionFileContents
  }

  /// Lists and reads every revision of the locations, in load order, keeping the bytes of
  /// each native file.
  ///
  /// The records and errors are those of ``load(locations:recursive:cache:)``. Every file is
  /// read; the header cache, when given, spares parsing one whose `fstat` (taken as it is
  /// read) matches its entry, and reading a directory whose listing it holds (see
  /// ``HeaderCache/Listing``). The cache is not written: a command that needs only headers
  /// records them.
  /// - Throws: ``GraphError``, as ``load(locations:recursive:cache:)`` does.
  /// - Complexity: O(total bytes): one `openat`, `fstat`, `read` and `close` per file, on up
  ///   to four threads.
  public static func loadWithContents(
    locations: [String], recursive: Bool = false, cache: HeaderCache? = nil, prefetch: HeaderCache.Prefetch? = nil
  ) throws -> LoadedFiles {
    let listed = try listed(
      locations: locations, recursive: recursive, cache: cache, prefetch: prefetch, readStart: now())
    return try recordsWithContents(jobs: listed.jobs, directories: listed.directories)
  }

  /// Reads revision files in the given order, keeping the bytes of each native file (see
  /// ``loadWithContents(locations:recursive:cache:)``).
  public static func recordsWithContents(at paths: [String], cache: HeaderCache? = nil) throws -> LoadedFiles {
    let (jobs, directories) = plan(paths, cache: cache)
    return try recordsWithContents(jobs: jobs, directories: directories)
  }

  /// Reads the files of `jobs`, keeping the bytes of each native file, and closes the
  /// directories' descriptors.
  static func recordsWithContents(jobs: [Job], directories: [Directory]) throws -> LoadedFiles {
    defer { for directory in directories where directory.fd >= 0 { close(directory.fd) } }
    let slots = ContentSlots(count: jobs.count)
    defer { slots.deallocate() }
    let (allJobs, folders) = (jobs, directories)
    let records = try Array(jobs.indices).orderedConcurrentMap(state: { HeaderCache.DecodeMemo() }) {
      (memo: inout HeaderCache.DecodeMemo, i: Int) -> RevisionRecord in
      let job = allJobs[i]
      var info = stat()
      let bytes = try readFile(
        job.path, directory: job.directory >= 0 ? folders[Int(job.directory)].fd : -1, info: &info)
      let record: RevisionRecord
      if job.slot >= 0, let index = folders[Int(job.directory)].index,
        HeaderCache.Stamp(info) == index.slots[Int(job.slot)].stamp,
        let cached = index.record(Int(job.slot), path: job.path, memo: &memo)
      {
        record = cached
      } else {
        record = try Self.record(at: job.path, bytes: bytes)
      }
      if record.format == .sql { slots.set(i, bytes) }
      return record
    }
    return LoadedFiles(records: records, contents: RevisionFileContents(paths: jobs.map(\.path), bytes: slots.take()))
  }

  /// Loads and validates a graph from version locations, keeping the bytes of each native
  /// file (see ``loadWithContents(locations:recursive:cache:)``).
  public static func graphWithContents(locations: [String], recursive: Bool = false, cache: HeaderCache? = nil)
    throws -> (graph: RevisionGraph, contents: RevisionFileContents)
  {
    let files = try loadWithContents(locations: locations, recursive: recursive, cache: cache)
    return (try RevisionGraph(records: files.records), files.contents)
  }
}

/// One slot per file for the bytes read on the loader's threads; each slot is written by
/// exactly one thread, and read after all of them have finished (`concurrentPerform` returns
/// only then).
private final class ContentSlots: @unchecked Sendable {
  private let slots: UnsafeMutableBufferPointer<[UInt8]?>

  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil)
  }

  func set(_ index: Int, _ bytes: [UInt8]) { slots[index] = bytes }

  /// The slots' contents, moved out (the slots are left empty).
  func take() -> [[UInt8]?] {
    [[UInt8]?](unsafeUninitializedCapacity: slots.count) { buffer, initialized in
      _ = buffer.moveInitialize(fromContentsOf: slots)
      slots.initialize(repeating: nil)
      initialized = slots.count
    }
  }

  func deallocate() {
    _ = slots.deinitialize()
    slots.deallocate()
  }
}
