/// The version-table and log statements of an offline script written as bytes: the text of
/// ``Bookkeeping/statement(_:)`` and ``Bookkeeping/logStatement(revision:direction:checksum:startedAt:durationMs:transactional:)``
/// with the start time the dialect's ``SQLDialect/nowExpression`` and no duration.
struct StatementWriter: Sendable {
  private let table: [UInt8]
  private let logInsert: [UInt8]
  private let logTail: [UInt8]

  init(_ bookkeeping: Bookkeeping) {
    table = Array(bookkeeping.versionTableName.quoted.utf8)
    logInsert = Array(
      ("INSERT INTO \(bookkeeping.logTableName.quoted) "
        + "(revision, direction, checksum, started_at, duration_ms, transactional) VALUES (").utf8)
    logTail = Array(", \(bookkeeping.dialect.nowExpression), NULL, ".utf8)
  }

  func append(_ change: Bookkeeping.RowChange, to out: inout [UInt8]) {
    switch change {
    case .insert(let id):
      out.append("INSERT INTO ")
      out += table
      out.append(" (version_num) VALUES (")
      Self.appendLiteral(id, to: &out)
      out.append(")")
    case .update(let from, let to):
      out.append("UPDATE ")
      out += table
      out.append(" SET version_num = ")
      Self.appendLiteral(to, to: &out)
      out.append(" WHERE version_num = ")
      Self.appendLiteral(from, to: &out)
    case .delete(let id):
      out.append("DELETE FROM ")
      out += table
      out.append(" WHERE version_num = ")
      Self.appendLiteral(id, to: &out)
    }
  }

  func appendLog(revision: String, direction: String, checksum: String, transactional: Bool, to out: inout [UInt8]) {
    out += logInsert
    Self.appendLiteral(revision, to: &out)
    out.append(", ")
    Self.appendLiteral(direction, to: &out)
    out.append(", ")
    Self.appendLiteral(checksum, to: &out)
    out += logTail
    out.append(transactional ? "1)" : "0)")
  }

  /// ``appendLog(revision:direction:checksum:transactional:to:)`` with a checksum in hex,
  /// as UTF-8.
  func appendLog(
    revision: String, direction: String, checksumHex: [UInt8], transactional: Bool, to out: inout [UInt8]
  ) {
    out += logInsert
    Self.appendLiteral(revision, to: &out)
    out.append(", ")
    Self.appendLiteral(direction, to: &out)
    // Hex digits need no quoting.
    out.append(", '")
    out += checksumHex
    out.append("'")
    out += logTail
    out.append(transactional ? "1)" : "0)")
  }

  /// ``Bookkeeping/literal(_:)``: single quotes around, each one inside doubled.
  static func appendLiteral(_ text: String, to out: inout [UInt8]) {
    var text = text
    text.withUTF8 { bytes in
      out.append(UInt8(ascii: "'"))
      if bytes.contains(UInt8(ascii: "'")) {
        for byte in bytes {
          out.append(byte)
          if byte == UInt8(ascii: "'") { out.append(byte) }
        }
      } else {
        out.append(contentsOf: bytes)
      }
      out.append(UInt8(ascii: "'"))
    }
  }
}

extension [UInt8] {
  /// Appends the UTF-8 bytes of `text`.
  mutating func append(_ text: StaticString) {
    text.withUTF8Buffer { append(contentsOf: $0) }
  }

  /// Appends the UTF-8 bytes of `text`.
  mutating func append(utf8 text: String) {
    var text = text
    text.withUTF8 { append(contentsOf: $0) }
  }
}
