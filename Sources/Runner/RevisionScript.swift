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
    let header: RevisionRecord
    do {
      header = try SQLRevisionParser.parse(bytes: bytes, path: path)
    } catch let error as GraphError {
      throw RunnerError.unreadableScript(path: path, reason: error.description)
    }
    // Byte offsets where each line starts (line n starts at lineStarts[n - 1]).
    var lineStarts = [0]
    for (offset, byte) in bytes.enumerated() where byte == 0x0A { lineStarts.append(offset + 1) }
    func start(ofLine line: Int) -> Int { line - 1 < lineStarts.count ? lineStarts[line - 1] : bytes.count }
    let upgradeLine = Int(header.attributes["upgrade_line"] ?? "") ?? 1
    let downgradeLine = header.attributes["downgrade_line"].flatMap { Int($0) }
    let upgradeEnd = downgradeLine.map { start(ofLine: $0) } ?? bytes.count
    let upgrade = Section(bytes: bytes[start(ofLine: upgradeLine + 1)..<upgradeEnd], firstLine: upgradeLine + 1)
    let downgrade = downgradeLine.map { line in
      Section(bytes: bytes[start(ofLine: line + 1)..<bytes.count], firstLine: line + 1)
    }
    return RevisionScript(
      revision: header.id, path: path, upgrade: upgrade, downgrade: downgrade,
      transactional: header.attributes["transactional"] != "false")
  }
}
