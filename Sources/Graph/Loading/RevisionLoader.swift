import Foundation

/// The one place Graph touches the file system: it lists version directories and reads
/// each revision file's header.
public enum RevisionLoader {
  /// Lists the revision files of the version locations, in load order.
  ///
  /// Locations are read in the given order; inside one, file names are sorted (by code
  /// point, as Alembic does). With `recursive`, a directory's own files come before its
  /// subdirectories' (sorted, `__pycache__` skipped). Candidates end in `.sql` or `.py`,
  /// and are not editor lock files (`.#…`) or `__init__` modules. A file reached twice
  /// (overlapping locations) is listed once.
  ///
  /// - Throws: ``GraphError/invalidScript(location:reason:)`` when a location is missing or
  ///   is not a directory.
  public static func revisionFiles(in locations: [String], recursive: Bool) throws -> [String] {
    var files = [String]()
    var seenDirectories = Set<String>()
    func visit(_ directory: String) throws {
      // Overlapping locations reach the same directory twice: read it once.
      guard seenDirectories.insert(realPath(directory)).inserted else { return }
      let entries = try listDirectory(directory)
      var subdirectories = [String]()
      for (name, isDirectory) in entries.sorted(by: { codePointOrder($0.name, $1.name) }) {
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        if isDirectory {
          if recursive && !name.hasSuffix("__pycache__") { subdirectories.append(path) }
        } else if isCandidate(name) {
          files.append(path)
        }
      }
      for sub in subdirectories { try visit(sub) }
    }
    for location in locations {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw GraphError.invalidScript(
          location: location,
          reason: "version directory does not exist; create it or fix script_location/version_locations in the config")
      }
      try visit(location)
    }
    return files
  }

  /// The entries of a directory with whether each is a directory (following links).
  static func listDirectory(_ directory: String) throws -> [(name: String, isDirectory: Bool)] {
    guard let handle = opendir(directory) else {
      throw GraphError.invalidScript(
        location: directory, reason: "cannot list the version directory (\(String(cString: strerror(errno))))")
    }
    defer { closedir(handle) }
    var entries = [(name: String, isDirectory: Bool)]()
    while let entry = readdir(handle) {
      // Read the name where it lies: a dirent is only as long as its name, so copying the
      // whole 256-byte d_name field reads past the end of the last entry in readdir's buffer
      // (AddressSanitizer: heap-buffer-overflow).
      let name = withUnsafePointer(to: &entry.pointee.d_name) { field in
        field.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: field.pointee)) {
          String(cString: $0)
        }
      }
      if name == "." || name == ".." { continue }
      var isDirectory = Int32(entry.pointee.d_type) == Int32(DT_DIR)
      if Int32(entry.pointee.d_type) == Int32(DT_LNK) || Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) {
        var info = stat()
        if stat(directory + "/" + name, &info) == 0 { isDirectory = (info.st_mode & S_IFMT) == S_IFDIR }
      }
      entries.append((name, isDirectory))
    }
    return entries
  }

  static func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Whether a file name is a revision file.
  public static func isCandidate(_ name: String) -> Bool {
    // On UTF-8 bytes: the markers are ASCII, and String's own prefix tests compare
    // grapheme by grapheme (this runs once per directory entry).
    let utf8 = name.utf8
    func starts(_ prefix: StaticString) -> Bool {
      utf8.count >= prefix.utf8CodeUnitCount
        && zip(utf8, UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)).allSatisfy {
          $0 == $1
        }
    }
    func ends(_ suffix: StaticString) -> Bool {
      utf8.count >= suffix.utf8CodeUnitCount
        && zip(
          utf8.suffix(suffix.utf8CodeUnitCount),
          UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        )
        .allSatisfy { $0 == $1 }
    }
    guard !starts(".#"), !starts("__init__") else { return false }
    return ends(".sql") || (ends(".py") && utf8.count > 3)
  }

  /// Reads one revision file's header, choosing the parser by extension.
  public static func record(at path: String) throws -> RevisionRecord {
    try record(at: path, directory: -1)
  }

  /// Reads one revision file; `directory` is an open descriptor of its directory (or -1).
  static func record(at path: String, directory: Int32) throws -> RevisionRecord {
    try record(at: path, bytes: readFile(path, directory: directory))
  }

  /// Parses the bytes of one revision file, choosing the parser by extension.
  static func record(at path: String, bytes: [UInt8]) throws -> RevisionRecord {
    if path.hasSuffix(".py") {
      guard let text = String(validating: bytes, as: UTF8.self) else {
        throw GraphError.invalidScript(location: path, reason: "the file is not valid UTF-8")
      }
      return try PythonRevisionParser.parse(text, path: path)
    }
    return try SQLRevisionParser.parse(bytes: bytes, path: path)
  }

  /// The whole file, read into one buffer sized by `fstat` (grown if the file grows meanwhile).
  static func readFile(_ path: String, directory: Int32 = -1) throws -> [UInt8] {
    var info = stat()
    return try readFile(path, directory: directory, info: &info)
  }

  /// The whole file, and in `info` what `fstat` said of it before it was read.
  static func readFile(_ path: String, directory: Int32, info: inout stat) throws -> [UInt8] {
    let fd: Int32
    if directory >= 0, let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) {
      fd = openat(directory, String(Substring(path.utf8[path.utf8.index(after: slash)...])), O_RDONLY | O_CLOEXEC)
    } else {
      fd = open(path, O_RDONLY | O_CLOEXEC)
    }
    guard fd >= 0 else {
      throw GraphError.invalidScript(
        location: path, reason: "cannot read the file (\(String(cString: strerror(errno))))")
    }
    defer { close(fd) }
    let size = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : -1
    // One byte more than the size, and reading stops once the size fstat reported is in: the
    // usual small file costs one read (a file that grows meanwhile is read as it was then).
    var capacity = max(size, 0) + 1
    var failure: Int32 = 0
    var bytes = [UInt8]()
    while true {
      var grown = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
        // Keep what was read so far.
        for (i, byte) in bytes.enumerated() { buffer[i] = byte }
        initialized = bytes.count
        while initialized < capacity {
          let n = read(fd, buffer.baseAddress! + initialized, capacity - initialized)
          if n < 0 {
            if errno == EINTR { continue }
            failure = errno
            return
          }
          if n == 0 { break }
          initialized += n
          if initialized == size { break }
        }
      }
      if failure != 0 {
        throw GraphError.invalidScript(
          location: path, reason: "cannot read the file (\(String(cString: strerror(failure))))")
      }
      guard grown.count == capacity else { return grown }
      // Filled up: the file is larger than fstat said; read on with twice the room.
      swap(&bytes, &grown)
      capacity *= 2
    }
  }

  /// Lists and reads every revision of the locations, in load order.
  /// - Parameter cache: Where parsed headers are kept between runs (see ``HeaderCache``);
  ///   nil reads every file.
  public static func load(locations: [String], recursive: Bool = false, cache: HeaderCache? = nil) throws
    -> [RevisionRecord]
  {
    try records(at: revisionFiles(in: locations, recursive: recursive), cache: cache)
  }

  /// Reads revision files, in the given order (large histories on several threads; see
  /// ``Swift/Array/orderedConcurrentMap(minimumPerThread:_:)``).
  public static func records(at paths: [String], cache: HeaderCache? = nil) throws -> [RevisionRecord] {
    try cachedRecords(at: paths, cache: cache).records
  }

  /// What a load did with the cache.
  struct CacheUse: Equatable {
    /// Headers taken from the cache.
    var hits = 0
    /// Headers recorded in it (files read now and settled).
    var stored = 0
    /// Cache files rewritten.
    var writes = 0
  }

  /// One file to read: its path, its name, and its directory's open descriptor (or -1) and
  /// cache.
  struct Job: Sendable {
    var path: String
    var name: String
    var directory: Int32
    /// The real path of the directory, when its cache is in use.
    var realDirectory: String?
    /// The directory's cache, and this file's slot in it.
    var index: HeaderCache.Index?
    var slot: Int?
  }

  /// ``records(at:cache:)``, and how the cache was used.
  static func cachedRecords(at paths: [String], cache: HeaderCache?) throws -> (
    records: [RevisionRecord], use: CacheUse
  ) {
    var readStart = timespec()
    clock_gettime(CLOCK_REALTIME, &readStart)
    // Each directory is opened once: `openat` with the file name alone spares the kernel
    // resolving the whole path again for every file.
    var descriptors = [Int32]()
    defer { for fd in descriptors where fd >= 0 { close(fd) } }
    var directories = [Substring: (fd: Int32, real: String?, index: HeaderCache.Index?)]()
    var jobs = [Job]()
    jobs.reserveCapacity(paths.count)
    // Files of one directory come one after another: look the directory up once per run.
    var current: (directory: Substring, fd: Int32, real: String?, index: HeaderCache.Index?)?
    // A cache lists a directory's files in the order they were loaded last time, which is
    // nearly always this time's: walk it alongside, and look names up only after a mismatch.
    var cursors = [String: Int]()
    var lookups = [String: [String: Int]]()
    for path in paths {
      guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else {
        jobs.append(Job(path: path, name: path, directory: -1))
        continue
      }
      let directory = Substring(path.utf8[...slash])
      if current?.directory != directory {
        if let known = directories[directory] {
          current = (directory, known.fd, known.real, known.index)
        } else {
          let fd = open(String(directory), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
          descriptors.append(fd)
          let real = cache != nil && fd >= 0 ? realPath(String(directory)) : nil
          let index = real.flatMap { cache?.index(for: $0) }
          directories[directory] = (fd, real, index)
          current = (directory, fd, real, index)
        }
      }
      guard let current else { continue }
      // The name alone serves `fstatat` and the cache; without a cache, `openat` finds it.
      let name = cache == nil ? "" : String(Substring(path.utf8[path.utf8.index(after: slash)...]))
      var job = Job(path: path, name: name, directory: current.fd, realDirectory: current.real, index: current.index)
      if let real = current.real, let index = current.index, !index.slots.isEmpty {
        let cursor = cursors[real, default: 0]
        if index.slot(cursor, isNamed: name) {
          job.slot = cursor
        } else {
          if lookups[real] == nil {
            lookups[real] = Dictionary(
              index.slots.indices.map { (index.name($0), $0) }, uniquingKeysWith: { first, _ in first })
          }
          job.slot = lookups[real]?[name]
        }
        cursors[real] = (job.slot ?? cursor - 1) + 1
      }
      jobs.append(job)
    }
    guard let cache else {
      return (try jobs.orderedConcurrentMap { try record(at: $0.path, directory: $0.directory) }, CacheUse())
    }
    // Files read now (cache misses) are few: their stamps go aside, so the records are
    // returned as they are, without a copy into another array.
    let fresh = FreshStamps()
    let allJobs = jobs
    let records = try Array(jobs.indices).orderedConcurrentMap { (i: Int) -> RevisionRecord in
      let job = allJobs[i]
      if let slot = job.slot, let index = job.index {
        var info = stat()
        if fstatat(job.directory, job.name, &info, 0) == 0, HeaderCache.Stamp(info) == index.slots[slot].stamp,
          let record = index.record(slot, path: job.path)
        {
          return record
        }
      }
      var info = stat()
      let bytes = try readFile(job.path, directory: job.directory, info: &info)
      let record = try record(at: job.path, bytes: bytes)
      fresh.set(i, HeaderCache.Stamp(info))
      return record
    }
    let stamps = fresh.all
    var use = CacheUse()
    use.hits = jobs.count - stamps.count
    // Rewrite the cache of each directory where a file was read now, or a cached one is gone.
    var changed = Set<String>()
    var matched = [String: Int]()
    for (i, job) in jobs.enumerated() {
      guard let real = job.realDirectory else { continue }
      if job.slot != nil { matched[real, default: 0] += 1 }
      if let stamp = stamps[i], job.slot != nil || cache.isSettled(stamp, readStart: readStart) {
        changed.insert(real)
      }
    }
    for (_, directory) in directories {
      guard let real = directory.real, let index = directory.index else { continue }
      if matched[real, default: 0] != index.slots.count { changed.insert(real) }
    }
    for real in changed.sorted() {
      var entries = [(name: String, entry: HeaderCache.Stored)]()
      for (i, job) in jobs.enumerated() where job.realDirectory == real {
        if let stamp = stamps[i] {
          guard cache.isSettled(stamp, readStart: readStart) else { continue }
          entries.append((job.name, .record(stamp, records[i])))
          use.stored += 1
        } else if let slot = job.slot, let index = job.index {
          entries.append((job.name, .cached(index, slot)))
        }
      }
      cache.store(entries, for: real)
      use.writes += 1
    }
    return (records, use)
  }

  /// The stamps of the files read during a cached load, set from the loader's threads.
  private final class FreshStamps: @unchecked Sendable {
    private var stamps = [Int: HeaderCache.Stamp]()
    private let lock = NSLock()

    func set(_ i: Int, _ stamp: HeaderCache.Stamp) {
      lock.lock()
      stamps[i] = stamp
      lock.unlock()
    }

    var all: [Int: HeaderCache.Stamp] {
      lock.lock()
      defer { lock.unlock() }
      return stamps
    }
  }

  /// Loads and validates a graph from version locations.
  public static func graph(locations: [String], recursive: Bool = false, cache: HeaderCache? = nil) throws
    -> RevisionGraph
  {
    try RevisionGraph(records: load(locations: locations, recursive: recursive, cache: cache))
  }

  /// Code point order; UTF-8 byte order is the same order, and cheaper to compare.
  static func codePointOrder(_ a: String, _ b: String) -> Bool {
    // Native strings lend their UTF-8 without a copy; others (bridged) compare byte by byte.
    let fast = a.utf8.withContiguousStorageIfAvailable { x in
      b.utf8.withContiguousStorageIfAvailable { y -> Bool in
        let common = min(x.count, y.count)
        let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
        return order != 0 ? order < 0 : x.count < y.count
      }
    }
    return (fast ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
  }

}
