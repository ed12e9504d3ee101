import Graph

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
    var out = preamble("\(plan.direction.rawValue) \(Self.rows(plan.from)) -> \(plan.target)")
    var rows = plan.from
    let scripts = try plan.steps.map { graph.record($0.revision) }.orderedConcurrentMap { try RevisionScript.load($0) }
    for (step, script) in zip(plan.steps, scripts) {
      let record = graph.record(step.revision)
      let section: RevisionScript.Section
      if plan.direction == .upgrade {
        section = script.upgrade
      } else {
        guard let downgrade = script.downgrade else {
          throw RunnerError.missingDowngrade(revision: step.id, path: script.path)
        }
        section = downgrade
      }
      let parents = graph.parentIndices(step.revision).map(graph.id).joined(separator: ", ")
      let arrow = plan.direction == .upgrade ? "\(parents) -> \(step.id)" : "\(step.id) -> \(parents)"
      out += "-- Running \(plan.direction.rawValue) \(arrow)\(record.message.isEmpty ? "" : ", \(record.message)")\n"
      out += "-- \(script.path):\(section.firstLine)\n"
      let body = Self.statementText(section.sql)
      let log = bookkeeping.logStatement(
        revision: step.id, direction: plan.direction.rawValue, checksum: section.checksum,
        startedAt: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", durationMs: "NULL", transactional: script.transactional)
      let bookkeepingSQL =
        Bookkeeping.changes(from: rows, to: step.versionTable).map { bookkeeping.statement($0) + ";\n" }.joined()
        + log + ";\n"
      if script.transactional {
        out += "BEGIN;\n\n" + body + bookkeepingSQL + "\nCOMMIT;\n\n"
      } else {
        out += "-- transactional: false: the revision runs outside a transaction\n"
        out += body + "BEGIN;\n" + bookkeepingSQL + "COMMIT;\n\n"
      }
      rows = step.versionTable
    }
    return out
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

  static func rows(_ rows: [String]) -> String { rows.isEmpty ? "base" : rows.joined(separator: ",") }
}
