import CStatFS
import Foundation

/// Parsed revision headers kept between runs, so that an unchanged revision file costs one
/// `stat` instead of an open, a read and a parse.
///
/// There is one cache file per version directory (named after a hash of the directory's real
/// path and of the build, both of which the file repeats). An entry is used only when the
/// file's device, inode, size, modification time and status-change time (`ctime`, which
/// every write and rename sets and ordinary programs cannot set back) are exactly those
/// recorded, and when the cache was written by this very build of the loader (the executable's size and modification time are part of the
/// cache's identity, so a new revgraph never trusts an older one's parse). A file whose
/// `ctime` is younger than ``settleTime`` when it is read is not recorded: timestamps have a
/// coarse granularity, and a file written again within the same tick would otherwise look
/// unchanged. The cache also keeps the directory's listing with the directory's own stamp
/// (``Listing``), so that an unchanged directory is not read again either. A damaged, foreign
/// or unwritable cache is ignored; the cache is an accelerator and never changes what is
/// loaded.
public struct HeaderCache: Sendable, Equatable {
  /// The folder holding the cache files (created when missing).
  public var directory: String
  /// How old a file must be (since its last change) before its header is recorded.
  public var settleTime: Duration

  public init(directory: String, settleTime: Duration = .seconds(3)) {
    self.directory = directory
    self.settleTime = settleTime
  }

  /// The cache the command line uses: `REVGRAPH_CACHE_DIR`, else `$XDG_CACHE_HOME/revgraph`,
  /// else `$HOME/.cache/revgraph`; nil (no cache) when `REVGRAPH_CACHE_DIR` is `off` or empty,
  /// or there is no home directory.
  public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> HeaderCache? {
    if let explicit = environment["REVGRAPH_CACHE_DIR"] {
      guard !explicit.isEmpty, explicit != "off" else { return nil }
      // A relative folder is taken from the current directory once, here.
      return HeaderCache(
        directory: explicit.hasPrefix("/") ? explicit : FileManager.default.currentDirectoryPath + "/" + explicit)
    }
    if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
      return HeaderCache(directory: xdg + "/revgraph")
    }
    guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
    return HeaderCache(directory: home + "/.cache/revgraph")
  }

  // MARK: - Entries

  /// What identifies one version of a file.
  struct Stamp: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: timespec
    var changed: timespec

    init(_ info: stat) {
      device = UInt64(info.st_dev)
      inode = UInt64(info.st_ino)
      size = Int64(info.st_size)
      modified = info.st_mtim
      changed = info.st_ctim
    }

    init(device: UInt64, inode: UInt64, size: Int64, modified: timespec, changed: timespec) {
      self.device = device
      self.inode = inode
      self.size = size
      self.modified = modified
      self.changed = changed
    }

    static func == (a: Stamp, b: Stamp) -> Bool {
      a.device == b.device && a.inode == b.inode && a.size == b.size && a.modified.tv_sec == b.modified.tv_sec
        && a.modified.tv_nsec == b.modified.tv_nsec && a.changed.tv_sec == b.changed.tv_sec
        && a.changed.tv_nsec == b.changed.tv_nsec
    }
  }

  /// What to write for one file: a header read now, an entry kept from the cache as is, or
  /// the name alone (a file read now but too young to record, kept so that the entries still
  /// list every file of the directory).
  enum Stored {
    case record(Stamp, RevisionRecord)
    case cached(Index, Int)
    case unrecorded
  }

  /// A version directory's listing as the loader saw it: which revision files and
  /// subdirectories it holds. It stands for the directory as long as the directory's own stamp
  /// is unchanged, since creating, removing or renaming an entry sets the directory's
  /// modification and status-change times; the loader then takes the names from the cache
  /// instead of reading the directory. Recorded only for a settled directory (see
  /// ``isSettled(_:readStart:)``) on a file system whose directory times can be trusted
  /// (``isTrusted(directory:)``), with no link or entry of unknown type and only UTF-8 names
  /// (``DirectoryListing/isPlain``), and only when the entries beside it are the directory's
  /// revision files, every one, in load order.
  struct Listing: Equatable, Sendable {
    /// The directory's stamp, taken before it was read.
    var stamp: Stamp
    /// The names of its subdirectories, in code point order.
    var subdirectories: [String]

    /// Whether a directory's times can stand for its entries: true on the common local file
    /// systems, which set them on every change of an entry; false elsewhere (network and FUSE
    /// file systems, whose clients may answer `fstat` from a cache of attributes).
    static func isTrusted(directory fd: Int32) -> Bool {
      var info = statfs()
      guard fstatfs(fd, &info) == 0 else { return false }
      switch UInt32(truncatingIfNeeded: info.f_type) {
      case 0xEF53,  // ext2, ext3, ext4
        0x5846_5342,  // xfs
        0x9123_683E,  // btrfs
        0x0102_1994,  // tmpfs
        0x8584_58F6,  // ramfs
        0x2FC1_2FC1,  // zfs
        0xF2F5_2010,  // f2fs
        0xCA45_1A4E,  // bcachefs
        0x794C_7630:  // overlayfs
        return true
      default:
        return false
      }
    }
  }

  /// Whether a file with this stamp, read after `readStart`, may be recorded.
  func isSettled(_ stamp: Stamp, readStart: timespec) -> Bool {
    let settle = settleTime.components
    var limit = readStart
    limit.tv_sec -= Int(settle.seconds)
    limit.tv_nsec -= Int(settle.attoseconds / 1_000_000_000)
    if limit.tv_nsec < 0 {
      limit.tv_nsec += 1_000_000_000
      limit.tv_sec -= 1
    }
    let changed = stamp.changed
    return changed.tv_sec < limit.tv_sec || (changed.tv_sec == limit.tv_sec && changed.tv_nsec < limit.tv_nsec)
  }

  // MARK: - Files

  /// The cache file of a version directory (given by its real path) for this build: two
  /// builds used on one project (an installed one and a development one) keep a file each
  /// instead of replacing each other's.
  func file(for realDirectory: String) -> String {
    let hex = String(Self.checksum(ArraySlice(Array(realDirectory.utf8) + [0] + Array(Self.identity.utf8))), radix: 16)
    return directory + "/headers-" + String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// The cache of a version directory; empty when there is no usable cache file.
  func index(for realDirectory: String) -> Index {
    guard let bytes = try? RevisionLoader.readFile(file(for: realDirectory)) else { return .empty }
    return (try? Index(bytes: bytes, directory: realDirectory, identity: Self.identity)) ?? .empty
  }

  /// Replaces the cache file of a version directory (atomically; failures are ignored).
  /// `listing`, when given, must describe the directory whose files `entries` are, all of
  /// them, in load order.
  func store(_ entries: [(name: String, entry: Stored)], listing: Listing? = nil, for realDirectory: String) {
    guard mkdirs(directory) else { return }
    let bytes = CacheEncoder.encode(entries, listing: listing, directory: realDirectory, identity: Self.identity)
    let target = file(for: realDirectory)
    let temporary = target + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return }
    let written = bytes.withUnsafeBytes { buffer -> Bool in
      var offset = 0
      while offset < buffer.count {
        let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { return false }
        offset += n
      }
      return true
    }
    close(fd)
    if !written || rename(temporary, target) != 0 { unlink(temporary) }
  }

  /// Removes cache files nobody rewrote for 30 days once there are more than 64 of them
  /// (directories that no longer exist, such as test projects, leave theirs behind). A load
  /// that wrote cache files calls this once.
  func pruneStaleFiles() {
    guard let listing = try? DirectoryListing(directory), listing.entries.count > 64 else { return }
    let limit = time(nil) - 30 * 24 * 3600
    let prefix = Array((directory + "/").utf8)
    for entry in listing.entries where !entry.isDirectory && listing.name(entry, startsWith: "headers-") {
      var info = stat()
      let path = listing.path(entry, prefix: prefix)
      if stat(path, &info) == 0 && info.st_mtim.tv_sec < limit { unlink(path) }
    }
  }

  /// Creates `path` and its missing parents (mode 0700); true when it exists as a directory.
  private func mkdirs(_ path: String) -> Bool {
    var info = stat()
    if stat(path, &info) == 0 { return (info.st_mode & S_IFMT) == S_IFDIR }
    if let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")), slash != path.utf8.startIndex {
      guard mkdirs(String(Substring(path.utf8[..<slash]))) else { return false }
    }
    return mkdir(path, 0o700) == 0 || errno == EEXIST
  }

  /// The build of the loader that writes and reads the cache: the format's version and the
  /// running executable's size and modification time.
  ///
  /// The version also changes when the parsers accept fewer files (4: a native header line
  /// that reads as a key without being `-- key: value` is an error), so that even without an
  /// executable to stat no build trusts headers an older, laxer parse recorded.
  static let identity: String = {
    var info = stat()
    for executable in ["/proc/self/exe", CommandLine.arguments.first ?? ""] where stat(executable, &info) == 0 {
      return "revgraph-header-cache 4 \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
    }
    return "revgraph-header-cache 4"
  }()
}

// MARK: - Encoding

/// The cache file: `RGHC`, the identity, the directory, the listing (0, or 1 then the
/// directory's stamp and its subdirectories), the entries (each: name, stamp, the length of its
/// record, the record; an entry without a record has length 0), and a checksum of all that.
private enum CacheEncoder {
  static func encode(
    _ entries: [(name: String, entry: HeaderCache.Stored)], listing: HeaderCache.Listing?, directory: String,
    identity: String
  ) -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(64 + entries.count * 200)
    out.append(contentsOf: Array("RGHC".utf8))
    string(identity, &out)
    string(directory, &out)
    if let listing {
      out.append(1)
      stamp(listing.stamp, &out)
      strings(listing.subdirectories, &out)
    } else {
      out.append(0)
    }
    integer(UInt64(entries.count), &out)
    var payload = [UInt8]()
    for (name, entry) in entries {
      string(name, &out)
      let stamp: HeaderCache.Stamp
      switch entry {
      case .record(let fresh, let record):
        stamp = fresh
        payload.removeAll(keepingCapacity: true)
        Self.record(record, &payload)
      case .cached(let index, let slot):
        stamp = index.slots[slot].stamp
        payload.removeAll(keepingCapacity: true)
        payload.append(contentsOf: index.bytes[index.slots[slot].record])
      case .unrecorded:
        stamp = HeaderCache.Stamp(device: 0, inode: 0, size: 0, modified: timespec(), changed: timespec())
        payload.removeAll(keepingCapacity: true)
      }
      Self.stamp(stamp, &out)
      integer(UInt64(payload.count), &out)
      out.append(contentsOf: payload)
    }
    integer(HeaderCache.checksum(out[...]), &out)
    return out
  }

  static func stamp(_ stamp: HeaderCache.Stamp, _ out: inout [UInt8]) {
    integer(stamp.device, &out)
    integer(stamp.inode, &out)
    integer(UInt64(bitPattern: stamp.size), &out)
    integer(UInt64(bitPattern: Int64(stamp.modified.tv_sec)), &out)
    integer(UInt64(bitPattern: Int64(stamp.modified.tv_nsec)), &out)
    integer(UInt64(bitPattern: Int64(stamp.changed.tv_sec)), &out)
    integer(UInt64(bitPattern: Int64(stamp.changed.tv_nsec)), &out)
  }

  static func record(_ record: RevisionRecord, _ out: inout [UInt8]) {
    string(record.id, &out)
    strings(record.downRevisions, &out)
    strings(record.branchLabels, &out)
    strings(record.dependsOn, &out)
    string(record.message, &out)
    // Usually the same as the message: one byte then.
    if record.longMessage == record.message {
      out.append(0)
    } else {
      out.append(1)
      string(record.longMessage, &out)
    }
    out.append(record.format == .sql ? 0 : 1)
    // Sorted by key, as the record keeps them.
    integer(UInt64(record.lineFields.count), &out)
    for entry in record.lineFields.entries {
      string(entry.key, &out)
      integer(UInt64(bitPattern: Int64(entry.value)), &out)
    }
    integer(UInt64(record.attributeFields.count), &out)
    for entry in record.attributeFields.entries {
      string(entry.key, &out)
      string(entry.value, &out)
    }
  }

  static func integer(_ value: UInt64, _ out: inout [UInt8]) {
    var value = value
    // Little-endian base-128: small numbers (lengths, counts) take one byte.
    while value >= 0x80 {
      out.append(UInt8(value & 0x7F) | 0x80)
      value >>= 7
    }
    out.append(UInt8(value))
  }

  static func string(_ text: String, _ out: inout [UInt8]) {
    let utf8 = text.utf8
    integer(UInt64(utf8.count), &out)
    out.append(contentsOf: utf8)
  }

  static func strings(_ list: [String], _ out: inout [UInt8]) {
    integer(UInt64(list.count), &out)
    for text in list { string(text, &out) }
  }
}

extension HeaderCache {
  /// FNV-1a over 8-byte words (then the remaining bytes): cheap enough for a few megabytes.
  static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    let prime: UInt64 = 0x0100_0000_01b3
    bytes.withUnsafeBytes { raw in
      let words = raw.count / 8
      for i in 0..<words {
        hash = (hash ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* prime
      }
      for i in (words * 8)..<raw.count { hash = (hash ^ UInt64(raw[i])) &* prime }
    }
    return hash
  }

  /// One directory's cache file, checked and indexed; records are decoded on demand (on the
  /// loader's threads).
  struct Index: Sendable {
    struct Slot: Sendable {
      var name: Range<Int>
      var stamp: Stamp
      var record: Range<Int>
    }
    let bytes: [UInt8]
    /// One per file, in the order they were loaded; a slot without a record (an empty
    /// `record` range) only names a file.
    let slots: [Slot]
    /// The directory's listing, when the slots name all of its files.
    let listing: Listing?

    static let empty = Index(bytes: [], slots: [], listing: nil)

    /// Reads `bytes`; throws when they are not a complete cache file of `directory` written
    /// by this build.
    init(bytes: [UInt8], directory: String, identity: String) throws {
      var reader = CacheReader(bytes: bytes)
      guard bytes.count > 4, Array(bytes[0..<4]) == Array("RGHC".utf8) else { throw CacheReader.Damaged() }
      reader.offset = 4
      guard try reader.string() == identity, try reader.string() == directory else { throw CacheReader.Damaged() }
      var listing: Listing?
      switch try reader.byte() {
      case 0: break
      case 1: listing = Listing(stamp: try reader.stamp(), subdirectories: try reader.strings())
      default: throw CacheReader.Damaged()
      }
      let count = try reader.count()
      var slots = [Slot]()
      slots.reserveCapacity(count)
      for _ in 0..<count {
        let name = try reader.range()
        slots.append(Slot(name: name, stamp: try reader.stamp(), record: try reader.range()))
      }
      let end = reader.offset
      guard try reader.integer() == HeaderCache.checksum(bytes[..<end]), reader.offset == bytes.count else {
        throw CacheReader.Damaged()
      }
      self.bytes = bytes
      self.slots = slots
      self.listing = listing
    }

    private init(bytes: [UInt8], slots: [Slot], listing: Listing?) {
      self.bytes = bytes
      self.slots = slots
      self.listing = listing
    }

    /// Whether slot `i` is the file whose name is the end of `path`, from UTF-8 offset `start`.
    func slot(_ i: Int, isNamedBy path: String, from start: Int) -> Bool {
      guard i < slots.count else { return false }
      let range = slots[i].name
      var path = path
      return path.withUTF8 { utf8 in
        utf8.count - start == range.count
          && bytes.withUnsafeBufferPointer { all in
            range.isEmpty || memcmp(all.baseAddress! + range.lowerBound, utf8.baseAddress! + start, range.count) == 0
          }
      }
    }

    func name(_ i: Int) -> String { String(decoding: bytes[slots[i].name], as: UTF8.self) }

    /// `prefix` (a directory with its trailing `/`, as UTF-8) followed by slot `i`'s name.
    func path(_ i: Int, prefix: [UInt8]) -> String {
      let name = slots[i].name
      return bytes.withUnsafeBufferPointer { all in
        prefix.withUnsafeBufferPointer { head in
          String(unsafeUninitializedCapacity: head.count + name.count) { buffer in
            _ = UnsafeMutableBufferPointer(rebasing: buffer[..<head.count]).initialize(from: head)
            _ = UnsafeMutableBufferPointer(rebasing: buffer[head.count...]).initialize(
              from: UnsafeBufferPointer(rebasing: all[name]))
            return head.count + name.count
          }
        }
      }
    }

    /// Whether slot `i` holds a record (and not only a name).
    func hasRecord(_ i: Int) -> Bool { !slots[i].record.isEmpty }

    /// The record of slot `i`, read from `path` (nil when the slot has none or its bytes do not
    /// decode), reusing what `memo` holds from the record decoded before.
    func record(_ i: Int, path: String, memo: inout DecodeMemo) -> RevisionRecord? {
      guard hasRecord(i) else { return nil }
      var reader = CacheReader(bytes: bytes, offset: slots[i].record.lowerBound, end: slots[i].record.upperBound)
      return try? reader.record(path: path, memo: &memo)
    }
  }

  /// What one loader thread decoded last. Records read one after another usually have the
  /// same header layout (the same keys on the same lines) and several equal attributes
  /// (`upgrade_line`, `transactional`); when their bytes are those of the record before, the
  /// decoded values are shared instead of built again.
  struct DecodeMemo {
    /// The cache bytes the ranges below are in.
    fileprivate var source: [UInt8] = []
    fileprivate var lines: (range: Range<Int>, fields: HeaderFields<Int>)?
    fileprivate var attributes: [(range: Range<Int>, entry: HeaderFields<String>.Entry)] = []

    init() {}
  }
}

/// Reads cache bytes; any inconsistency throws, and the caller ignores the cache.
private struct CacheReader {
  struct Damaged: Error {}

  let bytes: [UInt8]
  var offset = 0
  var end: Int

  init(bytes: [UInt8], offset: Int = 0, end: Int? = nil) {
    self.bytes = bytes
    self.offset = offset
    self.end = end ?? bytes.count
  }

  mutating func byte() throws -> UInt8 {
    guard offset < end else { throw Damaged() }
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func integer() throws -> UInt64 {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let next = try byte()
      guard shift < 64 else { throw Damaged() }
      value |= UInt64(next & 0x7F) << shift
      if next & 0x80 == 0 { return value }
      shift += 7
    }
  }

  mutating func signed() throws -> Int { Int(truncatingIfNeeded: Int64(bitPattern: try integer())) }

  mutating func stamp() throws -> HeaderCache.Stamp {
    HeaderCache.Stamp(
      device: try integer(), inode: try integer(), size: Int64(bitPattern: try integer()),
      modified: timespec(tv_sec: try signed(), tv_nsec: try signed()),
      changed: timespec(tv_sec: try signed(), tv_nsec: try signed()))
  }

  /// A count or length, bounded by the bytes left (each element takes at least one byte).
  mutating func count() throws -> Int {
    let value = try integer()
    guard value <= UInt64(end - offset) else { throw Damaged() }
    return Int(value)
  }

  /// A length-prefixed run of bytes.
  mutating func range() throws -> Range<Int> {
    let length = try count()
    defer { offset += length }
    return offset..<offset + length
  }

  mutating func string() throws -> String { String(decoding: bytes[try range()], as: UTF8.self) }

  /// A header key. The keys records use are recognised by length and first byte and
  /// returned as literals, so the usual key costs no string building.
  mutating func key() throws -> String { key(at: try range()) }

  func key(at range: Range<Int>) -> String {
    let known: (bytes: StaticString, string: String)
    switch (range.count, range.isEmpty ? 0 : bytes[range.lowerBound]) {
    case (7, UInt8(ascii: "m")): known = ("message", "message")
    case (8, UInt8(ascii: "r")): known = ("revision", "revision")
    case (10, UInt8(ascii: "d")): known = ("depends_on", "depends_on")
    case (11, UInt8(ascii: "c")): known = ("create_date", "create_date")
    case (12, UInt8(ascii: "u")): known = ("upgrade_line", "upgrade_line")
    case (13, UInt8(ascii: "b")): known = ("branch_labels", "branch_labels")
    case (13, UInt8(ascii: "d")): known = ("down_revision", "down_revision")
    case (13, UInt8(ascii: "t")): known = ("transactional", "transactional")
    case (14, UInt8(ascii: "d")): known = ("downgrade_line", "downgrade_line")
    default: return String(decoding: bytes[range], as: UTF8.self)
    }
    let same = bytes.withUnsafeBufferPointer {
      memcmp($0.baseAddress! + range.lowerBound, known.bytes.utf8Start, range.count) == 0
    }
    return same ? known.string : String(decoding: bytes[range], as: UTF8.self)
  }

  mutating func strings() throws -> [String] {
    let n = try count()
    // Most lists (labels, dependencies) are empty: no buffer then.
    if n == 0 { return [] }
    var list = [String]()
    list.reserveCapacity(n)
    for _ in 0..<n { list.append(try string()) }
    return list
  }

  mutating func record(path: String, memo: inout HeaderCache.DecodeMemo) throws -> RevisionRecord {
    let id = try string()
    let downRevisions = try strings()
    let branchLabels = try strings()
    let dependsOn = try strings()
    let message = try string()
    let longMessage = try byte() == 0 ? message : try string()
    let format: RevisionRecord.Format = try byte() == 0 ? .sql : .alembic
    let sameSource = bytes.withUnsafeBufferPointer { mine in
      memo.source.withUnsafeBufferPointer { $0.baseAddress == mine.baseAddress }
    }
    if !sameSource {
      memo = HeaderCache.DecodeMemo()
      memo.source = bytes
    }
    // Lines: skipped over first, and decoded only when they differ from the memo's.
    let linesStart = offset
    let lineCount = try count()
    for _ in 0..<lineCount {
      _ = try range()
      _ = try integer()
    }
    let lineFields: HeaderFields<Int>
    if let known = memo.lines, equal(known.range, linesStart..<offset) {
      lineFields = known.fields
    } else {
      let linesEnd = offset
      offset = linesStart
      _ = try count()
      var lines = [HeaderFields<Int>.Entry]()
      lines.reserveCapacity(lineCount)
      for _ in 0..<lineCount { lines.append(.init(key: try key(), value: try signed())) }
      lineFields = HeaderFields(encoderOrder: lines)
      memo.lines = (linesStart..<linesEnd, lineFields)
    }
    let attributeCount = try count()
    var attributes = [HeaderFields<String>.Entry]()
    attributes.reserveCapacity(attributeCount)
    for position in 0..<attributeCount {
      let start = offset
      let keyRange = try range()
      let valueRange = try range()
      let block = start..<offset
      if position < memo.attributes.count, equal(memo.attributes[position].range, block) {
        attributes.append(memo.attributes[position].entry)
        continue
      }
      let entry = HeaderFields<String>.Entry(
        key: key(at: keyRange), value: String(decoding: bytes[valueRange], as: UTF8.self))
      attributes.append(entry)
      if position < memo.attributes.count {
        memo.attributes[position] = (block, entry)
      } else {
        memo.attributes.append((block, entry))
      }
    }
    guard offset == end else { throw Damaged() }
    return RevisionRecord(
      id: id, downRevisions: downRevisions, branchLabels: branchLabels, dependsOn: dependsOn, message: message,
      longMessage: longMessage, path: path, format: format, lineFields: lineFields,
      attributeFields: HeaderFields(encoderOrder: attributes))
  }

  /// Whether two ranges of the cache bytes hold the same bytes.
  func equal(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
    a.count == b.count
      && (a.isEmpty
        || bytes.withUnsafeBufferPointer {
          memcmp($0.baseAddress! + a.lowerBound, $0.baseAddress! + b.lowerBound, a.count) == 0
        })
  }
}
