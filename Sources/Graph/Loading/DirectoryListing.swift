import Foundation

/// One directory's entries as UTF-8 bytes, sorted without building a string per name.
///
/// A version directory of 10,000 files is listed on every command; building each name as a
/// `String`, sorting the strings and joining each with the directory cost as much as the
/// rest of a cached load. Here the names are copied from `readdir` into one buffer, sorted by
/// an integer key (their first eight bytes), and only the paths the loader keeps become
/// strings.
struct DirectoryListing {
  /// One entry: where its name lies in `bytes`, and whether it is a directory.
  struct Entry {
    var start: Int
    var count: Int
    var isDirectory: Bool
    /// False when the name's bytes are not UTF-8 (`bytes` then holds it as `String` repairs
    /// it, with U+FFFD for the bad bytes; no such path exists).
    var isValidUTF8 = true
  }

  /// The names, one after another (UTF-8; a name that is not valid UTF-8 is kept as `String`
  /// repairs it, so that sorting and paths agree with strings built from it).
  private(set) var bytes: [UInt8] = []
  private(set) var entries: [Entry] = []
  /// True when no entry is a link or of a type the file system did not tell, and every name
  /// is UTF-8: then the names and the directory's own stamp say all there is to know, and the
  /// listing may be cached (``HeaderCache/Listing``).
  private(set) var isPlain = true

  /// Lists `directory` (without `.` and `..`), following links to tell directories apart.
  /// - Parameter descriptor: An open descriptor of `directory` to read it through (it stays
  ///   open), or -1 to open it by its path.
  init(_ directory: String, descriptor: Int32 = -1) throws {
    var handle = descriptor < 0 ? opendir(directory) : nil
    var failure = errno
    if descriptor >= 0 {
      // A copy, which `closedir` closes (close-on-exec, as every descriptor the loader opens).
      let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
      handle = copy >= 0 ? fdopendir(copy) : nil
      failure = errno
      if handle == nil && copy >= 0 { close(copy) }
    }
    guard let handle else {
      throw GraphError.invalidScript(
        location: directory, reason: "cannot list the version directory (\(String(cString: strerror(failure))))")
    }
    defer { closedir(handle) }
    while true {
      // readdir returns nil at the end and on failure; only errno tells them apart. A listing
      // cut short by an error would otherwise pass for the whole directory (and be cached).
      errno = 0
      guard let entry = readdir(handle) else {
        if errno != 0 {
          throw GraphError.invalidScript(
            location: directory, reason: "cannot list the version directory (\(String(cString: strerror(errno))))")
        }
        break
      }
      // Read the name where it lies: a dirent is only as long as its name, so copying the
      // whole 256-byte d_name field reads past the end of the last entry in readdir's buffer
      // (AddressSanitizer: heap-buffer-overflow).
      let added = withUnsafePointer(to: &entry.pointee.d_name) { field in
        field.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: field.pointee)) { name in
          append(name)
        }
      }
      guard let added else { continue }
      var isDirectory = Int32(entry.pointee.d_type) == Int32(DT_DIR)
      if !added.isValidUTF8 { isPlain = false }
      if Int32(entry.pointee.d_type) == Int32(DT_LNK) || Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) {
        isPlain = false
        var info = stat()
        let path = directory + "/" + String(decoding: bytes[added.start..<added.start + added.count], as: UTF8.self)
        if stat(path, &info) == 0 { isDirectory = (info.st_mode & S_IFMT) == S_IFDIR }
      }
      entries.append(
        Entry(start: added.start, count: added.count, isDirectory: isDirectory, isValidUTF8: added.isValidUTF8))
    }
  }

  /// A listing of the given names (files), in this order.
  init(names: [String]) {
    for name in names {
      let start = bytes.count
      bytes.append(contentsOf: name.utf8)
      entries.append(Entry(start: start, count: bytes.count - start, isDirectory: false))
    }
  }

  /// Appends a NUL-terminated name; nil for `.` and `..`.
  private mutating func append(_ name: UnsafePointer<CChar>) -> (start: Int, count: Int, isValidUTF8: Bool)? {
    let length = strlen(name)
    let start = bytes.count
    let raw = UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self)
    let utf8 = UnsafeBufferPointer(start: raw, count: length)
    if (length == 1 && utf8[0] == 0x2E) || (length == 2 && utf8[0] == 0x2E && utf8[1] == 0x2E) { return nil }
    var isValidUTF8 = true
    if utf8.allSatisfy({ $0 < 0x80 }) {
      bytes.append(contentsOf: utf8)
    } else {
      let repaired = String(cString: name)
      isValidUTF8 = repaired.utf8.elementsEqual(utf8)
      bytes.append(contentsOf: repaired.utf8)
    }
    return (start, bytes.count - start, isValidUTF8)
  }

  func withName<R>(_ entry: Entry, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    bytes.withUnsafeBufferPointer { all in
      body(UnsafeBufferPointer(rebasing: all[entry.start..<entry.start + entry.count]))
    }
  }

  func isCandidate(_ entry: Entry) -> Bool { withName(entry) { RevisionLoader.isCandidate($0) } }

  func name(_ entry: Entry, startsWith prefix: StaticString) -> Bool { withName(entry) { $0.starts(with: prefix) } }

  /// The entry's name.
  func name(_ entry: Entry) -> String { withName(entry) { String(decoding: $0, as: UTF8.self) } }

  /// `prefix` (a directory with its trailing `/`, as UTF-8) followed by the entry's name.
  func path(_ entry: Entry, prefix: [UInt8]) -> String {
    withName(entry) { name in
      prefix.withUnsafeBufferPointer { head in
        String(unsafeUninitializedCapacity: head.count + name.count) { buffer in
          _ = UnsafeMutableBufferPointer(rebasing: buffer[..<head.count]).initialize(from: head)
          _ = UnsafeMutableBufferPointer(rebasing: buffer[head.count...]).initialize(from: name)
          return head.count + name.count
        }
      }
    }
  }

  /// The positions of the entries in code point order (UTF-8 byte order; stable for equal
  /// names).
  ///
  /// Each name's first eight bytes, as one big-endian integer, decide nearly every comparison
  /// (revision file names start with their random ids); only names sharing those bytes are
  /// compared in full.
  func sorted() -> [Int] {
    bytes.withUnsafeBufferPointer { all -> [Int] in
      var keys = entries.indices.map { position -> (prefix: UInt64, position: Int) in
        let entry = entries[position]
        var prefix: UInt64 = 0
        for i in 0..<8 {
          // Shorter names pad with zero bytes; the full comparison orders "ab" before "ab\0".
          prefix = prefix << 8 | UInt64(i < entry.count ? all[entry.start + i] : 0)
        }
        return (prefix, position)
      }
      func name(_ entry: Entry) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: all[entry.start..<entry.start + entry.count])
      }
      keys.sort { a, b in
        if a.prefix != b.prefix { return a.prefix < b.prefix }
        let order = name(entries[a.position]).compareBytes(name(entries[b.position]))
        return order != 0 ? order < 0 : a.position < b.position
      }
      return keys.map(\.position)
    }
  }
}

extension UnsafeBufferPointer<UInt8> {
  /// Whether these bytes start with the UTF-8 of `prefix`.
  func starts(with prefix: StaticString) -> Bool {
    count >= prefix.utf8CodeUnitCount && memcmp(baseAddress!, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0
  }

  /// Whether these bytes end with the UTF-8 of `suffix`.
  func ends(with suffix: StaticString) -> Bool {
    count >= suffix.utf8CodeUnitCount
      && memcmp(baseAddress! + (count - suffix.utf8CodeUnitCount), suffix.utf8Start, suffix.utf8CodeUnitCount) == 0
  }

  /// Negative, zero or positive as these bytes sort before, with or after `other` (byte
  /// order, a prefix first).
  func compareBytes(_ other: UnsafeBufferPointer<UInt8>) -> Int {
    let common = Swift.min(count, other.count)
    let order = common == 0 ? 0 : memcmp(baseAddress!, other.baseAddress!, common)
    return order != 0 ? Int(order) : count - other.count
  }
}
