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
    guard !name.hasPrefix(".#"), !name.hasPrefix("__init__") else { return false }
    return name.hasSuffix(".sql") || (name.hasSuffix(".py") && name.count > 3)
  }

  /// Reads one revision file's header, choosing the parser by extension.
  public static func record(at path: String) throws -> RevisionRecord {
    try record(at: path, directory: -1)
  }

  /// Reads one revision file; `directory` is an open descriptor of its directory (or -1).
  static func record(at path: String, directory: Int32) throws -> RevisionRecord {
    let bytes = try readFile(path, directory: directory)
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
    var info = stat()
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
  public static func load(locations: [String], recursive: Bool = false) throws -> [RevisionRecord] {
    try records(at: revisionFiles(in: locations, recursive: recursive))
  }

  /// Reads revision files, in the given order (large histories on several threads; see
  /// ``Swift/Array/orderedConcurrentMap(minimumPerThread:_:)``).
  public static func records(at paths: [String]) throws -> [RevisionRecord] {
    // Each directory is opened once: `openat` with the file name alone spares the kernel
    // resolving the whole path again for every file.
    var directories = [Substring: Int32]()
    defer { for fd in directories.values where fd >= 0 { close(fd) } }
    var jobs = [(path: String, directory: Int32)]()
    jobs.reserveCapacity(paths.count)
    for path in paths {
      guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else {
        jobs.append((path, -1))
        continue
      }
      let directory = Substring(path.utf8[...slash])
      if directories[directory] == nil {
        directories[directory] = open(String(directory), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      }
      jobs.append((path, directories[directory] ?? -1))
    }
    return try jobs.orderedConcurrentMap { try record(at: $0.path, directory: $0.directory) }
  }

  /// Loads and validates a graph from version locations.
  public static func graph(locations: [String], recursive: Bool = false) throws -> RevisionGraph {
    try RevisionGraph(records: load(locations: locations, recursive: recursive))
  }

  /// Code point order; UTF-8 byte order is the same order, and cheaper to compare.
  static func codePointOrder(_ a: String, _ b: String) -> Bool {
    var a = a, b = b
    return a.withUTF8 { x in
      b.withUTF8 { y in
        let common = min(x.count, y.count)
        let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
        return order != 0 ? order < 0 : x.count < y.count
      }
    }
  }
}
