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
  public func aligned(with records: [RevisionRecord]) -> [[UInt8]?] {
    if records.count == paths.count, records.indices.allSatisfy({ records[$0].path == paths[$0] }) {
      return bytes
    }
    let byPath = Dictionary(zip(paths, bytes), uniquingKeysWith: { first, _ in first })
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
  /// The records and errors are those of ``load(locations:recursive:cache:)``. The header
  /// cache is not consulted: it spares reading a file, and here every file is read anyway.
  /// - Throws: ``GraphError``, as ``load(locations:recursive:cache:)`` does.
  /// - Complexity: O(total bytes): one `openat`, `fstat`, `read` and `close` per file, on up
  ///   to four threads.
  public static func loadWithContents(locations: [String], recursive: Bool = false) throws -> LoadedFiles {
    try recordsWithContents(at: revisionFiles(in: locations, recursive: recursive))
  }

  /// Reads revision files in the given order, keeping the bytes of each native file (see
  /// ``loadWithContents(locations:recursive:)``).
  public static func recordsWithContents(at paths: [String]) throws -> LoadedFiles {
    // Each directory is opened once, so that `openat` resolves the file name alone.
    var descriptors = [String: Int32]()
    defer { for fd in descriptors.values where fd >= 0 { close(fd) } }
    var current: (directory: [UInt8], fd: Int32) = ([], -1)
    var directoryOfPath = [Int32]()
    directoryOfPath.reserveCapacity(paths.count)
    for var path in paths {
      // The files of one directory come one after another: compare the bytes before the
      // last slash with the previous file's.
      let fd = path.withUTF8 { bytes -> Int32 in
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return -1 }
        let directory = UnsafeBufferPointer(rebasing: bytes[...slash])
        if !directory.elementsEqual(current.directory) {
          let name = String(decoding: directory, as: UTF8.self)
          let fd = descriptors[name] ?? open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
          descriptors[name] = fd
          current = (Array(directory), fd)
        }
        return current.fd
      }
      directoryOfPath.append(fd)
    }
    let slots = ContentSlots(count: paths.count)
    defer { slots.deallocate() }
    let directories = directoryOfPath
    let records = try Array(paths.indices).orderedConcurrentMap { (i: Int) -> RevisionRecord in
      let bytes = try readFile(paths[i], directory: directories[i])
      let record = try record(at: paths[i], bytes: bytes)
      if record.format == .sql { slots.set(i, bytes) }
      return record
    }
    return LoadedFiles(records: records, contents: RevisionFileContents(paths: paths, bytes: slots.take()))
  }

  /// Loads and validates a graph from version locations, keeping the bytes of each native
  /// file (see ``loadWithContents(locations:recursive:)``).
  public static func graphWithContents(locations: [String], recursive: Bool = false) throws -> (
    graph: RevisionGraph, contents: RevisionFileContents
  ) {
    let files = try loadWithContents(locations: locations, recursive: recursive)
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
