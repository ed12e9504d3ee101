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
    let listed = try listed(locations: locations, recursive: recursive, cache: nil, readStart: now())
    for directory in listed.directories where directory.fd >= 0 { close(directory.fd) }
    return listed.jobs.map(\.path)
  }

  /// Where the last `/` of a path is (searched over its contiguous UTF-8 when it has some; the
  /// generic backward search costs over a thousand instructions per path).
  static func lastSlash(in path: String) -> String.Index? {
    let offset: Int?? = path.utf8.withContiguousStorageIfAvailable { utf8 in
      var i = utf8.count
      while i > 0 {
        i -= 1
        if utf8[i] == UInt8(ascii: "/") { return i }
      }
      return nil
    }
    switch offset {
    case .some(let offset?): return path.utf8.index(path.utf8.startIndex, offsetBy: offset)
    case .some(nil): return nil
    case nil: return path.utf8.lastIndex(of: UInt8(ascii: "/"))
    }
  }

  /// Whether the UTF-8 of `path` starts with `prefix` (byte for byte).
  static func hasPrefix(_ path: String, _ prefix: [UInt8]) -> Bool {
    let fast = path.utf8.withContiguousStorageIfAvailable { utf8 in
      utf8.count >= prefix.count
        && prefix.withUnsafeBufferPointer { head in
          head.isEmpty || memcmp(utf8.baseAddress!, head.baseAddress!, head.count) == 0
        }
    }
    return fast ?? path.utf8.starts(with: prefix)
  }

  static func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Whether a file name is a revision file.
  public static func isCandidate(_ name: String) -> Bool {
    var name = name
    return name.withUTF8 { isCandidate($0) }
  }

  /// Whether a file name, as UTF-8, is a revision file. On bytes: the markers are ASCII, and
  /// String's own prefix tests compare grapheme by grapheme (this runs once per directory
  /// entry).
  static func isCandidate(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !utf8.starts(with: ".#"), !utf8.starts(with: "__init__") else { return false }
    return utf8.ends(with: ".sql") || (utf8.ends(with: ".py") && utf8.count > 3)
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
    if directory >= 0, let slash = lastSlash(in: path) {
      let nameOffset = path.utf8.distance(from: path.utf8.startIndex, to: slash) + 1
      fd = path.withCString { openat(directory, $0 + nameOffset, O_RDONLY | O_CLOEXEC) }
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
  /// - Parameter prefetch: The cache files of the locations, read ahead (used when it read
  ///   them from `cache`).
  public static func load(
    locations: [String], recursive: Bool = false, cache: HeaderCache? = nil, prefetch: HeaderCache.Prefetch? = nil
  ) throws -> [RevisionRecord] {
    try cachedLoad(locations: locations, recursive: recursive, cache: cache, prefetch: prefetch).records
  }

  /// ``load(locations:recursive:cache:)``, and how the cache was used.
  /// - Parameter readStart: When the load began (files and directories changed less than the
  ///   cache's settle time before it are not recorded); tests set it.
  static func cachedLoad(
    locations: [String], recursive: Bool, cache: HeaderCache?, prefetch: HeaderCache.Prefetch? = nil,
    readStart: timespec = now()
  ) throws -> (records: [RevisionRecord], use: CacheUse) {
    let listed = try listed(
      locations: locations, recursive: recursive, cache: cache, prefetch: prefetch, readStart: readStart)
    var result = try cachedRecords(
      jobs: listed.jobs, directories: listed.directories, cache: cache, readStart: readStart)
    result.use.listed = listed.read
    return result
  }

  /// The wall clock now.
  static func now() -> timespec {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return time
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
    /// Directories read (the others' listings came from the cache; a load of given paths
    /// lists nothing).
    var listed = 0
  }

  /// One file to read: its path, where its name starts, its directory (a position in the
  /// load's directories, or -1) and its slot in that directory's cache. Kept small: the
  /// loader makes and passes one per file.
  struct Job: Sendable {
    var path: String
    /// Where the file name starts in `path` (an offset in its UTF-8).
    var nameOffset: Int
    /// The directory's position among those of this load (-1: none, the path has no `/`).
    var directory: Int32
    /// The file's slot in its directory's cache (-1: none).
    var slot: Int32 = -1

    /// The file name (built on demand: most loads need only its bytes).
    var name: String { String(Substring(path.utf8.dropFirst(nameOffset))) }
  }

  /// A directory being read: its descriptor, real path and cache, and where the walk along its
  /// cache stands.
  struct Directory: Sendable {
    var fd: Int32
    /// The real path, when the cache is in use.
    var real: String?
    var index: HeaderCache.Index?
    /// The slot the next file is expected in.
    var cursor = 0
    /// Slots by name, built after the first file out of the cache's order.
    var lookup: [String: Int]?
    /// The listing to record with the directory's cache (nil: none), when the jobs in it are
    /// all of its revision files, in load order.
    var listing: HeaderCache.Listing?

    /// The slot in the cache of the file whose name is `path` from UTF-8 offset `nameOffset`
    /// (-1: none). A cache lists a directory's files in the order they were loaded last time,
    /// which is nearly always this time's: it is walked alongside, and names are looked up
    /// only after a mismatch.
    mutating func slot(for path: String, nameOffset: Int) -> Int32 {
      guard let index, !index.slots.isEmpty else { return -1 }
      var slot: Int?
      if index.slot(cursor, isNamedBy: path, from: nameOffset) {
        slot = cursor
      } else {
        if lookup == nil {
          lookup = Dictionary(index.slots.indices.map { (index.name($0), $0) }, uniquingKeysWith: { first, _ in first })
        }
        slot = lookup?[String(Substring(path.utf8.dropFirst(nameOffset)))]
      }
      cursor = (slot ?? cursor - 1) + 1
      return Int32(slot ?? -1)
    }
  }

  /// The files of version locations, in the order and with the errors of
  /// ``revisionFiles(in:recursive:)``, each with its directory (opened once) and its slot in
  /// that directory's header cache; `read` counts the directories listed.
  ///
  /// A directory whose stamp is the one its cache recorded with its listing is not read: its
  /// files are the cache's entries (see ``HeaderCache/Listing``). Otherwise it is read, and
  /// its listing is kept for the cache when the directory is settled and plain. The caller
  /// closes the directories' descriptors.
  static func listed(
    locations: [String], recursive: Bool, cache: HeaderCache?, prefetch: HeaderCache.Prefetch? = nil,
    readStart: timespec
  ) throws -> (jobs: [Job], directories: [Directory], read: Int) {
    let early = prefetch.flatMap { $0.cache == cache ? $0.indexes() : nil } ?? [:]
    var jobs = [Job]()
    var directories = [Directory]()
    var read = 0
    // Real paths as bytes: two spellings that `String` holds equal (`é` composed and
    // decomposed) are two directories to the file system.
    var seen = Set<[UInt8]>()
    func visit(_ directory: String) throws {
      let real = realPath(directory)
      // Overlapping locations reach the same directory twice: read it once.
      guard seen.insert(Array(real.utf8)).inserted else { return }
      let spelled = directory.hasSuffix("/") ? directory : directory + "/"
      let prefix = Array(spelled.utf8)
      let fd = open(directory, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
      var info = stat()
      // Taken before the directory is read: an entry added meanwhile changes it again.
      let stamp = fd >= 0 && fstat(fd, &info) == 0 ? HeaderCache.Stamp(info) : nil
      let cached = fd >= 0 ? cache : nil
      let number = directories.count
      // Appended at once, so that the descriptor is closed whatever happens next.
      directories.append(
        Directory(fd: fd, real: cached.map { _ in real }, index: cached.map { early[real] ?? $0.index(for: real) }))
      var subdirectories = [String]()
      let firstJob = jobs.count
      if let stamp, let index = directories[number].index, let listing = index.listing, listing.stamp == stamp {
        for slot in index.slots.indices {
          jobs.append(
            Job(
              path: index.path(slot, prefix: prefix), nameOffset: prefix.count, directory: Int32(number),
              slot: Int32(slot)))
        }
        subdirectories = listing.subdirectories
        directories[number].listing = listing
      } else {
        if fd >= 0 { read += 1 }
        let listing = try DirectoryListing(directory, descriptor: fd)
        for position in listing.sorted() {
          let entry = listing.entries[position]
          if entry.isDirectory {
            subdirectories.append(listing.name(entry))
          } else if listing.isCandidate(entry) {
            let path = listing.path(entry, prefix: prefix)
            guard entry.isValidUTF8 else {
              throw GraphError.invalidScript(
                location: path,
                reason: "the file name is not valid UTF-8 (shown with U+FFFD for the bad bytes); rename the file")
            }
            jobs.append(
              Job(
                path: path, nameOffset: prefix.count, directory: Int32(number),
                slot: directories[number].slot(for: path, nameOffset: prefix.count)))
          }
        }
        if let stamp, let cache = cached, listing.isPlain, cache.isSettled(stamp, readStart: readStart),
          HeaderCache.Listing.isTrusted(directory: fd)
        {
          directories[number].listing = HeaderCache.Listing(stamp: stamp, subdirectories: subdirectories)
        }
      }
      // Only files are opened through the descriptor: a directory without any (a tree's
      // root, say) gives its descriptor back at once.
      if jobs.count == firstJob && fd >= 0 {
        close(fd)
        directories[number].fd = -1
      }
      guard recursive else { return }
      for name in subdirectories where !isPycache(name) { try visit(spelled + name) }
    }
    for location in locations {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory), isDirectory.boolValue else {
        for directory in directories where directory.fd >= 0 { close(directory.fd) }
        throw GraphError.invalidScript(
          location: location,
          reason: "version directory does not exist; create it or fix script_location/version_locations in the config")
      }
      do {
        try visit(location)
      } catch {
        for directory in directories where directory.fd >= 0 { close(directory.fd) }
        throw error
      }
    }
    return (jobs, directories, read)
  }

  /// Whether a subdirectory is Python's byte-code folder, which recursive loads skip.
  static func isPycache(_ name: String) -> Bool {
    var name = name
    return name.withUTF8 { $0.ends(with: "__pycache__") }
  }

  /// The files of a load, each with its directory (opened once, so that `openat` and
  /// `fstatat` resolve the name alone) and its slot in that directory's header cache.
  /// The caller closes the directories' descriptors.
  static func plan(_ paths: [String], cache: HeaderCache?) -> (jobs: [Job], directories: [Directory]) {
    var directories = [Directory]()
    // Keyed and compared by bytes: `String` equality would take `é` composed and decomposed
    // for one directory.
    var directoryNumbers = [[UInt8]: Int]()
    var jobs = [Job]()
    jobs.reserveCapacity(paths.count)
    // Files of one directory come one after another: look the directory up once per run.
    var current: (directory: [UInt8], number: Int)?
    for path in paths {
      guard let slash = lastSlash(in: path) else {
        jobs.append(Job(path: path, nameOffset: 0, directory: -1))
        continue
      }
      let nameOffset = path.utf8.distance(from: path.utf8.startIndex, to: slash) + 1
      if current.map({ $0.directory.count != nameOffset || !hasPrefix(path, $0.directory) }) ?? true {
        let directory = Array(path.utf8.prefix(nameOffset))
        if let known = directoryNumbers[directory] {
          current = (directory, known)
        } else {
          let spelled = String(decoding: directory, as: UTF8.self)
          let fd = open(spelled, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
          let real = cache != nil && fd >= 0 ? realPath(spelled) : nil
          let index = real.flatMap { cache?.index(for: $0) }
          directories.append(Directory(fd: fd, real: real, index: index))
          directoryNumbers[directory] = directories.count - 1
          current = (directory, directories.count - 1)
        }
      }
      guard let number = current?.number else { continue }
      jobs.append(
        Job(
          path: path, nameOffset: nameOffset, directory: Int32(number),
          slot: directories[number].slot(for: path, nameOffset: nameOffset)))
    }
    return (jobs, directories)
  }

  /// ``records(at:cache:)``, and how the cache was used.
  static func cachedRecords(at paths: [String], cache: HeaderCache?) throws -> (
    records: [RevisionRecord], use: CacheUse
  ) {
    let readStart = now()
    let (jobs, directories) = plan(paths, cache: cache)
    return try cachedRecords(jobs: jobs, directories: directories, cache: cache, readStart: readStart)
  }

  /// Reads the files of `jobs` through the cache, rewrites the cache files that changed, and
  /// closes the directories' descriptors.
  static func cachedRecords(jobs: [Job], directories: [Directory], cache: HeaderCache?, readStart: timespec)
    throws -> (records: [RevisionRecord], use: CacheUse)
  {
    defer { for directory in directories where directory.fd >= 0 { close(directory.fd) } }
    let folders = directories, allJobs = jobs
    @Sendable func fd(_ job: Job) -> Int32 { job.directory >= 0 ? folders[Int(job.directory)].fd : -1 }
    guard let cache else {
      return (try jobs.orderedConcurrentMap { try record(at: $0.path, directory: fd($0)) }, CacheUse())
    }
    // Files read now (cache misses) are few: their stamps go aside, so the records are
    // returned as they are, without a copy into another array.
    let fresh = FreshStamps()
    let records = try Array(jobs.indices).orderedConcurrentMap(state: { HeaderCache.DecodeMemo() }) {
      (memo: inout HeaderCache.DecodeMemo, i: Int) -> RevisionRecord in
      let job = allJobs[i]
      if job.slot >= 0, let index = folders[Int(job.directory)].index, index.hasRecord(Int(job.slot)) {
        let slot = Int(job.slot)
        var info = stat()
        let found = job.path.withCString { fstatat(fd(job), $0 + job.nameOffset, &info, 0) == 0 }
        if found, HeaderCache.Stamp(info) == index.slots[slot].stamp,
          let record = index.record(slot, path: job.path, memo: &memo)
        {
          return record
        }
      }
      var info = stat()
      let bytes = try readFile(job.path, directory: fd(job), info: &info)
      let record = try record(at: job.path, bytes: bytes)
      fresh.set(i, HeaderCache.Stamp(info))
      return record
    }
    let stamps = fresh.all
    var use = CacheUse()
    use.hits = jobs.count - stamps.count
    // Rewrite the cache of each directory where a file was read now, or a cached one is gone.
    // Counted per directory first; two spellings of one directory share its cache file.
    var matchedIn = [Int](repeating: 0, count: directories.count)
    var changedIn = [Bool](repeating: false, count: directories.count)
    for (i, job) in jobs.enumerated() where job.directory >= 0 && directories[Int(job.directory)].real != nil {
      if job.slot >= 0 { matchedIn[Int(job.directory)] += 1 }
      // A file read now changes the cache when its entry held a record (now out of date) or
      // it may be recorded now.
      if !stamps.isEmpty, let stamp = stamps[i],
        (job.slot >= 0 && directories[Int(job.directory)].index?.hasRecord(Int(job.slot)) == true)
          || cache.isSettled(stamp, readStart: readStart)
      {
        changedIn[Int(job.directory)] = true
      }
    }
    // Real paths by bytes, as the file system tells them apart.
    var changed = Set<[UInt8]>()
    var matched = [[UInt8]: Int]()
    // Listings are recorded only where a directory listed whole is its cache's one spelling in
    // this load (a load of given paths records none).
    var spellings = [[UInt8]: Int]()
    var listings = [[UInt8]: HeaderCache.Listing]()
    for (number, directory) in directories.enumerated() {
      guard let real = directory.real.map({ Array($0.utf8) }) else { continue }
      matched[real, default: 0] += matchedIn[number]
      if changedIn[number] { changed.insert(real) }
      spellings[real, default: 0] += 1
      if let listing = directory.listing {
        listings[real] = listing
        if listing != directory.index?.listing { changed.insert(real) }
      }
    }
    for directory in directories {
      guard let real = directory.real.map({ Array($0.utf8) }), let index = directory.index else { continue }
      if matched[real, default: 0] != index.slots.count { changed.insert(real) }
    }
    for realBytes in changed.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
      let inDirectory = directories.map { $0.real.map { Array($0.utf8) } == realBytes }
      let real = String(decoding: realBytes, as: UTF8.self)
      var entries = [(name: String, entry: HeaderCache.Stored)]()
      for (i, job) in jobs.enumerated() where job.directory >= 0 && inDirectory[Int(job.directory)] {
        if let stamp = stamps[i] {
          if cache.isSettled(stamp, readStart: readStart) {
            entries.append((job.name, .record(stamp, records[i])))
            use.stored += 1
          } else {
            // Named without a record, so that the entries still list every file.
            entries.append((job.name, .unrecorded))
          }
        } else if job.slot >= 0, let index = directories[Int(job.directory)].index {
          entries.append((job.name, .cached(index, Int(job.slot))))
        }
      }
      cache.store(entries, listing: spellings[realBytes] == 1 ? listings[realBytes] : nil, for: real)
      use.writes += 1
    }
    if use.writes > 0 { cache.pruneStaleFiles() }
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
  public static func graph(
    locations: [String], recursive: Bool = false, cache: HeaderCache? = nil, prefetch: HeaderCache.Prefetch? = nil
  ) throws -> RevisionGraph {
    try RevisionGraph(records: load(locations: locations, recursive: recursive, cache: cache, prefetch: prefetch))
  }

  /// Code point order (as `LC_ALL=C sort` orders UTF-8, and Alembic sorts file names); UTF-8
  /// byte order is the same order, and cheaper to compare.
  public static func codePointOrder(_ a: String, _ b: String) -> Bool {
    // Native strings lend their UTF-8 without a copy; others (bridged) compare byte by byte.
    let fast = a.utf8.withContiguousStorageIfAvailable { x in
      b.utf8.withContiguousStorageIfAvailable { y in x.compareBytes(y) < 0 }
    }
    return (fast ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
  }

}
