import Foundation
import Graph
import Project

/// The runnable sections of a native revision file.
public struct RevisionScript: Sendable, Equatable {
  /// One section (`-- +upgrade` or `-- +downgrade`): its SQL and where it starts in the file.
  public struct Section: Sendable, Equatable {
    /// The text between the marker line and the next marker (or the end of the file).
    public var sql: String
    /// The 1-based file line of the section's first line (the line after the marker).
    public var firstLine: Int
    /// SHA-256 of the section's bytes, in lower-case hex.
    public var checksum: String

    init(bytes: ArraySlice<UInt8>, firstLine: Int) {
      sql = String(decoding: bytes, as: UTF8.self)
      self.firstLine = firstLine
      checksum = Checksum.sha256Hex(bytes)
    }
  }

  /// The revision id.
  public var revision: String
  /// The file.
  public var path: String
  /// The upgrade section.
  public var upgrade: Section
  /// The downgrade section, when the file has one.
  public var downgrade: Section?
  /// False when the header says `-- transactional: false`.
  public var transactional: Bool

  /// The section a step in `direction` runs. A downgrade needs a downgrade section, which the
  /// runner checks before it starts; without one this answers the upgrade section.
  func section(_ direction: Plan.Direction) -> Section {
    direction == .upgrade ? upgrade : downgrade ?? upgrade
  }

  /// Reads and splits `path`.
  /// - Throws: ``RunnerError/unreadableScript(path:reason:)`` when the file is gone or no
  ///   longer parses, ``RunnerError/notRunnable(revision:path:)`` for Alembic scripts.
  public static func load(_ record: RevisionRecord) throws -> RevisionScript {
    guard record.format == .sql else { throw RunnerError.notRunnable(revision: record.id, path: record.path) }
    guard let data = FileManager.default.contents(atPath: record.path) else {
      throw RunnerError.unreadableScript(path: record.path, reason: "the file is missing or unreadable")
    }
    return try parse(bytes: Array(data), path: record.path)
  }

  /// Splits the bytes of a native revision file.
  public static func parse(bytes: [UInt8], path: String) throws -> RevisionScript {
    let file = try RawFile(bytes: bytes, path: path)
    return RevisionScript(
      revision: file.revision, path: path,
      upgrade: Section(bytes: bytes[file.upgrade.bytes], firstLine: file.upgrade.firstLine),
      downgrade: file.downgrade.map { Section(bytes: bytes[$0.bytes], firstLine: $0.firstLine) },
      transactional: file.transactional)
  }
}

extension RevisionScript {
  /// A native revision file split into sections by byte range, without a `String` or a
  /// checksum per section until someone asks (offline scripts of 100,000 revisions).
  struct RawFile: Sendable {
    /// One section: its byte range in ``bytes`` and its 1-based first line.
    struct RawSection: Sendable {
      var bytes: Range<Int>
      var firstLine: Int
    }

    var bytes: [UInt8]
    var revision: String
    var upgrade: RawSection
    var downgrade: RawSection?
    var transactional: Bool

    /// Reads and splits the file of `record`, with the errors of ``RevisionScript/load(_:)``.
    ///
    /// When the record comes from this file (its `upgrade_line` and `downgrade_line` name
    /// the marker lines the file has now), its header is used as it is; otherwise the file
    /// is parsed again, as ``RevisionScript/load(_:)`` does.
    /// - Parameter bytes: The file's bytes when they are at hand (read by the loader along
    ///   with the record); nil reads the file now.
    init(_ record: borrowing RevisionRecord, bytes: [UInt8]? = nil) throws {
      guard record.format == .sql else { throw RunnerError.notRunnable(revision: record.id, path: record.path) }
      guard let bytes = bytes ?? Self.contents(atPath: record.path) else {
        throw RunnerError.unreadableScript(path: record.path, reason: "the file is missing or unreadable")
      }
      if let file = Self(bytes: bytes, checkedAgainst: record) {
        self = file
      } else {
        try self.init(bytes: bytes, path: record.path)
      }
    }

    /// Splits `bytes` at the marker lines `record` names, or nil when the record has no
    /// marker lines or the file has other lines there.
    private init?(bytes: [UInt8], checkedAgainst record: borrowing RevisionRecord) {
      guard let upgradeLine = record.attribute("upgrade_line").flatMap({ Int($0) }), upgradeLine >= 1 else {
        return nil
      }
      let downgradeLine = record.attribute("downgrade_line").flatMap { Int($0) }
      if let downgradeLine, downgradeLine <= upgradeLine { return nil }
      var lines = LineStarts(bytes)
      guard lines.isMarker(line: upgradeLine, Self.upgradeMarker) else { return nil }
      if let downgradeLine, !lines.isMarker(line: downgradeLine, Self.downgradeMarker) { return nil }
      self.init(
        bytes: bytes, lines: &lines, revision: record.id, upgradeLine: upgradeLine,
        downgradeLine: downgradeLine, transactional: record.attribute("transactional") != "false")
    }

    static let upgradeMarker = Array("-- +upgrade".utf8)
    static let downgradeMarker = Array("-- +downgrade".utf8)

    /// Splits the bytes of a native revision file.
    init(bytes: [UInt8], path: String) throws {
      let header: RevisionRecord
      do {
        header = try SQLRevisionParser.parse(bytes: bytes, path: path)
      } catch let error as GraphError {
        throw RunnerError.unreadableScript(path: path, reason: error.description)
      }
      var lines = LineStarts(bytes)
      self.init(
        bytes: bytes, lines: &lines, revision: header.id,
        upgradeLine: Int(header.attribute("upgrade_line") ?? "") ?? 1,
        downgradeLine: header.attribute("downgrade_line").flatMap { Int($0) },
        transactional: header.attribute("transactional") != "false")
    }

    /// The sections after the marker lines: the upgrade up to the downgrade marker (or the
    /// end), the downgrade to the end.
    private init(
      bytes: [UInt8], lines: inout LineStarts, revision: String, upgradeLine: Int, downgradeLine: Int?,
      transactional: Bool
    ) {
      let upgradeStart = lines.start(ofLine: upgradeLine + 1)
      var upgradeEnd = bytes.count
      downgrade = nil
      if let downgradeLine {
        upgradeEnd = lines.start(ofLine: downgradeLine)
        downgrade = RawSection(
          bytes: lines.start(ofLine: downgradeLine + 1)..<bytes.count, firstLine: downgradeLine + 1)
      }
      self.bytes = bytes
      self.revision = revision
      // A marker out of order gives an empty upgrade section instead of an invalid range.
      upgrade = RawSection(bytes: upgradeStart..<max(upgradeStart, upgradeEnd), firstLine: upgradeLine + 1)
      self.transactional = transactional
    }

    /// The whole file, read with one `open` and `read`s into a buffer of its size; nil when
    /// it cannot be opened or read.
    static func contents(atPath path: String) -> [UInt8]? {
      let descriptor = open(path, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else { return nil }
      defer { close(descriptor) }
      var status = stat()
      guard fstat(descriptor, &status) == 0 else { return nil }
      var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size), 0) + 1)
      var count = 0
      while true {
        if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 4096))) }
        let read = bytes.withUnsafeMutableBytes { buffer in
          Foundation.read(descriptor, buffer.baseAddress.map { $0 + count }, buffer.count - count)
        }
        if read < 0 {
          if errno == EINTR { continue }
          return nil
        }
        if read == 0 { break }
        count += read
      }
      bytes.removeLast(bytes.count - count)
      return bytes
    }
  }

  /// Finds where lines start, scanning forward once for lines asked in increasing order.
  struct LineStarts {
    let bytes: [UInt8]
    /// The line whose start is `offset`.
    private var line = 1
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The byte offset where 1-based `target` starts, or the end of the file when it has
    /// fewer lines; a line before the last one asked is searched from the beginning.
    mutating func start(ofLine target: Int) -> Int {
      if target < line {
        line = 1
        offset = 0
      }
      while line < target {
        guard let newline = newline(from: offset) else { return bytes.count }
        offset = newline + 1
        line += 1
      }
      return offset
    }

    /// The offset of the first line feed at or after `offset`.
    private func newline(from offset: Int) -> Int? {
      bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress, offset < buffer.count,
          let found = memchr(base + offset, 0x0A, buffer.count - offset)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
      }
    }

    /// Whether line `target` is `marker` alone, give or take the spaces, tabs and carriage
    /// return the header parser trims.
    mutating func isMarker(line target: Int, _ marker: [UInt8]) -> Bool {
      var low = start(ofLine: target)
      guard line == target else { return false }
      var high = newline(from: low) ?? bytes.count
      while low < high && (bytes[low] == 0x20 || bytes[low] == 0x09) { low += 1 }
      while high > low && (bytes[high - 1] == 0x20 || bytes[high - 1] == 0x09 || bytes[high - 1] == 0x0D) { high -= 1 }
      guard high - low == marker.count else { return false }
      return bytes.withUnsafeBufferPointer { all in
        marker.withUnsafeBufferPointer { marker in
          guard let line = all.baseAddress, let marker = marker.baseAddress else { return false }
          return memcmp(line + low, marker, high - low) == 0
        }
      }
    }
  }
}

extension RevisionScript.Section {
  /// True when the section holds no statement: only white space and comments.
  public var isEmpty: Bool {
    let bytes = Array(sql.utf8)
    return SQLDialect.sqlite.skipTrivia(bytes, from: 0, end: bytes.count) >= bytes.count
  }
}
