import CSQLite
import Graph
import Project

/// Renders plans as SQL scripts to run later (`--sql`), without opening the database.
///
/// Each revision becomes one transaction holding its section, its version-table changes and
/// its log row, as the online runner would commit it; a revision with
/// `-- transactional: false` runs outside it. Fed to `sqlite3 app.db`, the script leaves the
/// same schema, version table and log table as the online run.
public struct OfflineScript: Sendable {
  public var graph: RevisionGraph
  public var bookkeeping: Bookkeeping

  public init(graph: RevisionGraph, versionTable: String) {
    self.graph = graph
    bookkeeping = Bookkeeping(versionTable: versionTable)
  }

  /// The script of an upgrade or downgrade plan.
  /// - Throws: ``RunnerError`` when a file cannot be read or lacks a downgrade section.
  public func render(_ plan: Plan) throws -> String {
    String(decoding: try renderUTF8(plan), as: UTF8.self)
  }

  /// The script of an upgrade or downgrade plan as UTF-8 bytes, the text of ``render(_:)-(Plan)``.
  ///
  /// Each step is read and rendered on its own (on several threads for long plans), and the
  /// pieces are joined in plan order.
  /// - Throws: ``RunnerError`` when a file cannot be read or lacks a downgrade section: the
  ///   first unreadable file in plan order, else the first step without a downgrade section.
  /// - Complexity: O(total bytes of the files) plus O(steps × rows).
  public func renderUTF8(_ plan: Plan) throws -> [UInt8] {
    var out = Array(preamble("\(plan.direction.rawValue) \(Self.rows(plan.from)) -> \(plan.target)").utf8)
    let writer = StatementWriter(bookkeeping)
    let pieces = try Array(plan.steps.indices).orderedConcurrentMap(minimumPerThread: 256) { i in
      try piece(plan, step: i, writer: writer)
    }
    out.reserveCapacity(out.count + pieces.reduce(0) { $0 + $1.bytes.count })
    for piece in pieces {
      if let error = piece.error { throw error }
      out += piece.bytes
    }
    return out
  }

  /// One step's text, or the error that stops the script there (a missing downgrade
  /// section is reported only when no file before or after it failed to load).
  private struct Piece: Sendable {
    var bytes: [UInt8] = []
    var error: RunnerError?
  }

  private func piece(_ plan: Plan, step i: Int, writer: StatementWriter) throws -> Piece {
    let step = plan.steps[i]
    let record = graph.record(step.revision)
    let file = try RevisionScript.RawFile(record)
    let section: RevisionScript.RawFile.RawSection
    if plan.direction == .upgrade {
      section = file.upgrade
    } else {
      guard let downgrade = file.downgrade else {
        return Piece(error: RunnerError.missingDowngrade(revision: step.id, path: record.path))
      }
      section = downgrade
    }
    var out = [UInt8]()
    out.reserveCapacity(section.bytes.count + 1024)
    out.append("-- Running ")
    out.append(utf8: plan.direction.rawValue)
    out.append(" ")
    if plan.direction == .downgrade {
      out.append(utf8: step.id)
      out.append(" -> ")
    }
    for (n, parent) in graph.parentIndices(step.revision).enumerated() {
      if n > 0 { out.append(", ") }
      out.append(utf8: graph.id(parent))
    }
    if plan.direction == .upgrade {
      out.append(" -> ")
      out.append(utf8: step.id)
    }
    if !record.message.isEmpty {
      out.append(", ")
      out.append(utf8: record.message)
    }
    out.append("\n-- ")
    out.append(utf8: record.path)
    out.append(":")
    out.append(utf8: String(section.firstLine))
    out.append("\n")
    if file.transactional {
      out.append("BEGIN;\n\n")
      Self.appendStatementText(file.bytes, section.bytes, to: &out)
    } else {
      out.append("-- transactional: false: the revision runs outside a transaction\n")
      Self.appendStatementText(file.bytes, section.bytes, to: &out)
      out.append("BEGIN;\n")
    }
    let rows = i == 0 ? plan.from : plan.steps[i - 1].versionTable
    for change in Self.changes(from: rows, to: step.versionTable, isFirst: i == 0) {
      writer.append(change, to: &out)
      out.append(";\n")
    }
    writer.appendLog(
      revision: step.id, direction: plan.direction.rawValue, checksum: Checksum.sha256Hex(file.bytes[section.bytes]),
      transactional: file.transactional, to: &out)
    out.append(file.transactional ? ";\n\nCOMMIT;\n\n" : ";\nCOMMIT;\n\n")
    return Piece(bytes: out)
  }

  /// ``Bookkeeping/changes(from:to:)`` between two version tables of a plan.
  ///
  /// After the first step both tables are rows of the plan's tracker, without repeats, so an
  /// id in the common prefix or suffix (same id, same place) is in both and neither removed
  /// nor added; only the middles are compared. The first step's table may come from the
  /// user (`FROM:TO`) and is compared whole.
  static func changes(from old: [String], to new: [String], isFirst: Bool) -> [Bookkeeping.RowChange] {
    guard !isFirst else { return Bookkeeping.changes(from: old, to: new) }
    var prefix = 0
    while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < old.count - prefix && suffix < new.count - prefix
      && old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
    {
      suffix += 1
    }
    let oldMiddle = old[prefix..<(old.count - suffix)], newMiddle = new[prefix..<(new.count - suffix)]
    guard oldMiddle.count <= 8 && newMiddle.count <= 8 else {
      return Bookkeeping.changes(from: Array(oldMiddle), to: Array(newMiddle))
    }
    // Bookkeeping.changes without its sets: the middles are a few ids at most.
    var removed = oldMiddle.filter { !newMiddle.contains($0) }
    var added = newMiddle.filter { !oldMiddle.contains($0) }
    var result = [Bookkeeping.RowChange]()
    if let last = removed.last, let first = added.first {
      removed.removeLast()
      added.removeFirst()
      result += removed.map(Bookkeeping.RowChange.delete)
      result.append(.update(from: last, to: first))
    } else {
      result += removed.map(Bookkeeping.RowChange.delete)
    }
    result += added.map(Bookkeeping.RowChange.insert)
    return result
  }

  /// The script of a stamp.
  public func render(_ plan: StampPlan) -> String {
    var out = preamble("stamp \(Self.rows(plan.from)) -> \(plan.targets.joined(separator: " "))")
    var rows = plan.from
    for step in plan.steps {
      out += "-- Running stamp_revision \(step.from.joined(separator: ", ")) -> \(step.to ?? "")\n"
      out += "BEGIN;\n\n"
      for change in Bookkeeping.changes(from: rows, to: step.versionTable) {
        out += bookkeeping.statement(change) + ";\n"
      }
      for revision in step.to.map({ [$0] }) ?? step.from {
        out +=
          bookkeeping.logStatement(
            revision: revision, direction: "stamp", checksum: nil,
            startedAt: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", durationMs: "0", transactional: true) + ";\n"
      }
      out += "\nCOMMIT;\n\n"
      rows = step.versionTable
    }
    return out
  }

  private func preamble(_ title: String) -> String {
    "-- revgraph offline SQL: \(title)\n-- version table: \(bookkeeping.versionTable)\n\n"
      + bookkeeping.createStatements.map { $0 + ";\n\n" }.joined()
  }

  /// A section's SQL, ending with a complete statement and a newline (empty when it holds
  /// only comments and white space).
  static func statementText(_ sql: String) -> String {
    let bytes = Array(sql.utf8)
    guard SQLText.skipTrivia(bytes, from: 0, end: bytes.count) < bytes.count else { return "" }
    var text = sql
    while let last = text.last, last.isWhitespace { text.removeLast() }
    if !SQLiteConnection.isComplete(text) { text += "\n;" }
    return text + "\n\n"
  }

  /// Appends ``statementText(_:)`` of a section's bytes: on the bytes when they are ASCII,
  /// else through the `String` (which also replaces invalid UTF-8, as the text shows it).
  static func appendStatementText(_ bytes: [UInt8], _ section: Range<Int>, to out: inout [UInt8]) {
    guard bytes[section].allSatisfy({ $0 < 0x80 }) else {
      out += statementText(String(decoding: bytes[section], as: UTF8.self)).utf8
      return
    }
    guard SQLText.skipTrivia(bytes, from: section.lowerBound, end: section.upperBound) < section.upperBound else {
      return
    }
    // ASCII white space is `Character.isWhitespace` exactly: tab, line feed, vertical tab,
    // form feed, carriage return, space.
    var end = section.upperBound
    while end > section.lowerBound, bytes[end - 1] == 0x20 || (0x09...0x0D).contains(bytes[end - 1]) { end -= 1 }
    let start = out.count
    out += bytes[section.lowerBound..<end]
    // sqlite3_complete reads a C string: up to the first NUL, as it does for a `String`.
    out.append(0)
    let isComplete = out.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.map { base in
        (base + start).withMemoryRebound(to: CChar.self, capacity: buffer.count - start) { sqlite3_complete($0) != 0 }
      } ?? false
    }
    out.removeLast()
    if !isComplete { out += "\n;".utf8 }
    out += "\n\n".utf8
  }

  static func rows(_ rows: [String]) -> String { rows.isEmpty ? "base" : rows.joined(separator: ",") }
}
