import CSQLite
import Foundation
import Graph
import Project

extension OfflineScript {
  /// What a step writes of its revision file: the section's SQL as a complete statement, the
  /// line it starts on, whether it runs in a transaction, and its checksum.
  struct SectionText: Sendable {
    /// A section's SQL as ``OfflineScript/statementText(_:)`` writes it.
    enum Statement: Sendable {
      /// Only comments and white space: nothing is written.
      case none
      /// ASCII text: `range` of the file's bytes (trailing white space trimmed), followed by
      /// `\n;` unless it is a complete statement, then a blank line.
      case range(Range<Int>, isComplete: Bool)
      /// Other text, written as it is (through a `String`, which repairs invalid UTF-8).
      case text([UInt8])
    }

    var bytes: [UInt8]
    var firstLine: Int
    var transactional: Bool
    var statement: Statement
    /// The section's SHA-256 in lower-case hex (64 bytes).
    var checksum: [UInt8]

    /// The text of `section` of `file`.
    /// - Parameter scratch: A buffer for ``OfflineScript/statement(_:_:dialect:scratch:)``.
    init(
      _ file: RevisionScript.RawFile, _ section: RevisionScript.RawFile.RawSection, dialect: SQLDialect,
      scratch: inout [UInt8]
    ) {
      bytes = file.bytes
      firstLine = section.firstLine
      transactional = file.transactional
      statement = OfflineScript.statement(file.bytes, section.bytes, dialect: dialect, scratch: &scratch)
      checksum = []
      checksum.reserveCapacity(64)
      Checksum.appendSHA256Hex(of: file.bytes[section.bytes], to: &checksum)
    }

    /// Appends the statement's text.
    func appendStatement(to out: inout [UInt8]) { OfflineScript.append(statement, of: bytes, to: &out) }
  }

  /// A section's SQL, ending with a complete statement and a newline (empty when it holds
  /// only comments and white space).
  static func statementText(_ sql: String, dialect: SQLDialect = .sqlite) -> String {
    let bytes = Array(sql.utf8)
    guard dialect.skipTrivia(bytes, from: 0, end: bytes.count) < bytes.count else { return "" }
    var text = sql
    while let last = text.last, last.isWhitespace { text.removeLast() }
    if !dialect.isComplete(Array(text.utf8)) { text += "\n;" }
    return text + "\n\n"
  }

  /// ``statementText(_:)`` of a section's bytes: worked out on the bytes when they are ASCII,
  /// else through the `String` (which also replaces invalid UTF-8, as the text shows it).
  /// - Parameter scratch: A buffer reused from call to call.
  static func statement(
    _ bytes: [UInt8], _ section: Range<Int>, dialect: SQLDialect = .sqlite, scratch: inout [UInt8]
  ) -> SectionText.Statement {
    guard bytes[section].allSatisfy({ $0 < 0x80 }) else {
      let text = statementText(String(decoding: bytes[section], as: UTF8.self), dialect: dialect)
      return text.isEmpty ? .none : .text(Array(text.utf8))
    }
    guard dialect.skipTrivia(bytes, from: section.lowerBound, end: section.upperBound) < section.upperBound else {
      return .none
    }
    // ASCII white space is `Character.isWhitespace` exactly: tab, line feed, vertical tab,
    // form feed, carriage return, space.
    var end = section.upperBound
    while end > section.lowerBound, bytes[end - 1] == 0x20 || (0x09...0x0D).contains(bytes[end - 1]) { end -= 1 }
    guard dialect == .sqlite else {
      return .range(section.lowerBound..<end, isComplete: dialect.isComplete(Array(bytes[section.lowerBound..<end])))
    }
    // sqlite3_complete reads a C string: up to the first NUL, as it does for a `String`.
    scratch.removeAll(keepingCapacity: true)
    scratch += bytes[section.lowerBound..<end]
    scratch.append(0)
    let isComplete = scratch.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.map { base in
        base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { sqlite3_complete($0) != 0 }
      } ?? false
    }
    return .range(section.lowerBound..<end, isComplete: isComplete)
  }

  /// Appends ``statementText(_:)`` of a section's bytes.
  static func appendStatementText(_ bytes: [UInt8], _ section: Range<Int>, to out: inout [UInt8]) {
    var scratch = [UInt8]()
    append(statement(bytes, section, scratch: &scratch), of: bytes, to: &out)
  }

  /// Appends `statement`, a statement of `bytes`.
  static func append(_ statement: SectionText.Statement, of bytes: [UInt8], to out: inout [UInt8]) {
    switch statement {
    case .none: break
    case .range(let range, let isComplete):
      out += bytes[range]
      if !isComplete { out.append("\n;") }
      out.append("\n\n")
    case .text(let text): out += text
    }
  }

  /// The section each native file runs in one direction, with its text and checksum, worked
  /// out on a background thread from the bytes the loader read, while the caller builds the
  /// graph and the plan; rendering then only puts the pieces together.
  ///
  /// A file whose section cannot be worked out here (an Alembic script, a file whose bytes
  /// do not match its record) is left to the rendering, which reports its error in plan order.
  public final class Preparation: @unchecked Sendable {
    let direction: Plan.Direction
    let dialect: SQLDialect
    let contents: RevisionFileContents
    private let group = DispatchGroup()
    // Written once on the background thread, read only after `group` is done.
    private var sections: [SectionText?] = []

    /// Starts working out the sections of `records`, the records read with `contents` in
    /// their load order (other records leave every section to the rendering).
    public init(
      records: [RevisionRecord], contents: RevisionFileContents, direction: Plan.Direction,
      dialect: SQLDialect = .sqlite
    ) {
      self.direction = direction
      self.dialect = dialect
      self.contents = contents
      DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in
        let paths = contents.paths
        guard records.count == paths.count, records.indices.allSatisfy({ records[$0].path == paths[$0] }) else {
          return
        }
        var scratch = [UInt8]()
        let bytes = contents.aligned(with: records)
        sections = records.indices.map { i in
          guard let bytes = bytes[i], let file = try? RevisionScript.RawFile(records[i], bytes: bytes) else {
            return nil
          }
          guard let section = direction == .upgrade ? file.upgrade : file.downgrade else { return nil }
          return SectionText(file, section, dialect: dialect, scratch: &scratch)
        }
      }
    }

    /// The sections by the index of `records` (nil where the rendering works it out itself),
    /// once they are ready.
    func sections(for records: [RevisionRecord]) -> [SectionText?] {
      group.wait()
      return contents.aligned(sections, with: records)
    }
  }
}
