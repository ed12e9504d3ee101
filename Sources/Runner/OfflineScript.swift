import CSQLite
import Foundation
import Graph
import Project

/// Renders plans as SQL scripts to run later (`--sql`), without opening the database.
///
/// Each revision becomes one transaction holding its section, its version-table changes and
/// its log row, as the online runner would commit it; a revision with
/// `-- transactional: false` runs outside it. Fed to `sqlite3 app.db` (or, for PostgreSQL,
/// `psql -v ON_ERROR_STOP=1`), the script leaves the same schema, version table and log
/// table as the online run. A PostgreSQL script starts with a guard that stops it, changing
/// nothing, when the version table is not at the rows the script starts from.
public struct OfflineScript: Sendable {
  public var graph: RevisionGraph
  public var bookkeeping: Bookkeeping
  /// The revision files as the loader read them
  /// (``Graph/RevisionLoader/graphWithContents(locations:recursive:cache:)``), or nil to read each
  /// file when its step is rendered (as a file the contents do not hold is).
  public var contents: RevisionFileContents?
  /// The sections worked out ahead of rendering (see ``Preparation``), used when the plan
  /// goes in their direction.
  public var preparation: Preparation?

  public init(
    graph: RevisionGraph, versionTable: String, versionTableSchema: String? = nil, dialect: SQLDialect = .sqlite,
    contents: RevisionFileContents? = nil, preparation: Preparation? = nil
  ) {
    self.graph = graph
    bookkeeping = Bookkeeping(versionTable: versionTable, schema: versionTableSchema, dialect: dialect)
    self.contents = contents
    self.preparation = preparation
  }

  /// The script of an upgrade or downgrade plan.
  /// - Throws: ``RunnerError`` when a file cannot be read or lacks a downgrade section.
  public func render(_ plan: Plan) throws -> String {
    String(decoding: try renderUTF8(plan), as: UTF8.self)
  }

  /// The script of an upgrade or downgrade plan as UTF-8 bytes, the text of ``render(_:)-(Plan)``.
  ///
  /// - Throws: ``RunnerError`` when a file cannot be read or lacks a downgrade section: the
  ///   first unreadable file in plan order, else the first step without a downgrade section.
  /// - Complexity: O(total bytes of the files) plus O(steps × rows).
  public func renderUTF8(_ plan: Plan) throws -> [UInt8] {
    var parts = try renderParts(plan)
    guard parts.count > 1 else { return parts.first ?? [] }
    var out = [UInt8]()
    swap(&out, &parts[0])
    out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
    for part in parts.dropFirst() { out += part }
    return out
  }

  /// The script of an upgrade or downgrade plan as consecutive parts, whose concatenation is
  /// ``renderUTF8(_:)``: for writing out without copying the parts into one buffer.
  ///
  /// Each file is read (unless ``contents`` holds it) and each step rendered in plan order;
  /// a long plan is cut into runs of consecutive steps (a few per thread), each rendered
  /// into one buffer.
  /// - Throws: ``RunnerError``, as ``renderUTF8(_:)`` does.
  public func renderParts(_ plan: Plan) throws -> [[UInt8]] {
    let preamble = Array(
      preamble("\(plan.direction.rawValue) \(Self.rows(plan.from)) -> \(plan.target)", from: plan.from).utf8)
    let count = plan.steps.count
    // A few runs per thread, so that a thread the machine slows down leaves runs to the others.
    let runCount = max(1, min(8 * min(ProcessInfo.processInfo.activeProcessorCount, 4), count / 256))
    let contents = contents?.aligned(with: graph.records)
    let prepared = preparation.flatMap {
      $0.direction == plan.direction && $0.dialect == bookkeeping.dialect ? $0.sections(for: graph.records) : nil
    }
    let writer = StatementWriter(bookkeeping)
    let runs = try Array(0..<runCount).orderedConcurrentMap(minimumPerThread: 1) { run in
      try graph.records.withUnsafeBufferPointer { records in
        try render(
          plan, steps: (count * run / runCount)..<(count * (run + 1) / runCount), records, contents, prepared, writer)
      }
    }
    // A missing downgrade section is reported only when no file failed to load.
    if let error = runs.lazy.compactMap(\.missingDowngrade).first { throw error }
    return [preamble] + runs.map(\.bytes)
  }

  /// The text of a run of steps, and the first of them without the downgrade section it needs.
  private struct Run: Sendable {
    var bytes: [UInt8] = []
    var missingDowngrade: RunnerError?
  }

  /// Renders `steps` of `plan`; stops at the first file that cannot be read.
  ///
  /// Records are read in place (`records` is the graph's), without copying one per step;
  /// `records` holds every index of `plan`.
  private func render(
    _ plan: Plan, steps: Range<Int>, _ records: UnsafeBufferPointer<RevisionRecord>, _ contents: [[UInt8]?]?,
    _ prepared: [SectionText?]?, _ writer: StatementWriter
  ) throws -> Run {
    var run = Run()
    // Room for the usual step (the text around a section is a few hundred bytes); the
    // buffer's pages are touched only as it fills.
    var estimate = 0
    for i in steps {
      let index = Int(plan.steps[i].revision)
      estimate += 768 + 2 * records[index].path.utf8.count + records[index].message.utf8.count
      estimate += contents?[index]?.count ?? 1024
    }
    run.bytes.reserveCapacity(estimate)
    var scratch = [UInt8]()
    for i in steps {
      let step = plan.steps[i]
      let index = Int(step.revision)
      let record = records.baseAddress.unsafelyUnwrapped + index
      let text: SectionText
      if let ready = prepared?[index] {
        text = ready
      } else {
        let file = try RevisionScript.RawFile(record.pointee, bytes: contents?[index] ?? nil)
        guard let section = plan.direction == .upgrade ? file.upgrade : file.downgrade else {
          if run.missingDowngrade == nil {
            run.missingDowngrade = RunnerError.missingDowngrade(revision: step.id, path: record.pointee.path)
          }
          continue
        }
        text = SectionText(file, section, dialect: bookkeeping.dialect, scratch: &scratch)
      }
      append(plan, step: step, record: record, text, Self.tableChange(plan, at: i), writer, to: &run.bytes)
    }
    return run
  }

  /// How the version table changes at one step of a script.
  enum TableChange {
    /// As the plan logged it (the usual case: no table is built).
    case logged(Plan.RowChanges)
    /// From one whole table to another; `isFirst` for the script's first step.
    case tables(from: [String], to: [String], isFirst: Bool)
  }

  /// The change of step `i`: the plan's logged one, or else the previous table (the plan's
  /// starting one for the first step) against the step's.
  static func tableChange(_ plan: Plan, at i: Int) -> TableChange {
    if let logged = plan.rowChanges(at: i) { return .logged(logged) }
    let before = i == 0 ? plan.from : plan.steps[i - 1].versionTable
    return .tables(from: before, to: plan.steps[i].versionTable, isFirst: i == 0)
  }

  /// Appends one step's text.
  private func append(
    _ plan: Plan, step: Plan.Step, record: UnsafePointer<RevisionRecord>, _ text: SectionText, _ change: TableChange,
    _ writer: StatementWriter, to out: inout [UInt8]
  ) {
    let id = step.id
    out.append("-- Running ")
    out.append(utf8: plan.direction.rawValue)
    out.append(" ")
    if plan.direction == .downgrade {
      out.append(utf8: id)
      out.append(" -> ")
    }
    for (n, parent) in graph.parentIndices(step.revision).enumerated() {
      if n > 0 { out.append(", ") }
      out.append(utf8: graph.id(parent))
    }
    if plan.direction == .upgrade {
      out.append(" -> ")
      out.append(utf8: id)
    }
    if !record.pointee.message.isEmpty {
      out.append(", ")
      out.append(utf8: record.pointee.message)
    }
    out.append("\n-- ")
    out.append(utf8: record.pointee.path)
    out.append(":")
    out.append(utf8: String(text.firstLine))
    out.append("\n")
    if text.transactional {
      out.append("BEGIN;\n\n")
      text.appendStatement(to: &out)
    } else {
      out.append("-- transactional: false: the revision runs outside a transaction\n")
      text.appendStatement(to: &out)
      out.append("BEGIN;\n")
    }
    switch change {
    case .logged(let changes): Self.appendChanges(changes, writer, to: &out)
    case .tables(let old, let new, let isFirst):
      Self.appendChanges(from: old, to: new, isFirst: isFirst, writer, to: &out)
    }
    writer.appendLog(
      revision: id, direction: plan.direction.rawValue, checksumHex: text.checksum, transactional: text.transactional,
      to: &out)
    out.append(text.transactional ? ";\n\nCOMMIT;\n\n" : ";\nCOMMIT;\n\n")
  }

  /// Writes the statements of one logged step, as ``Bookkeeping/changes(from:to:)`` writes
  /// them for the tables before and after it: the rows that go are deleted, except the last,
  /// which is updated to the first new row; the other new rows are inserted.
  static func appendChanges(_ changes: Plan.RowChanges, _ writer: StatementWriter, to out: inout [UInt8]) {
    func write(_ change: Bookkeeping.RowChange) {
      writer.append(change, to: &out)
      out.append(";\n")
    }
    guard let last = changes.removed.last, let first = changes.added.first else {
      changes.removed.forEach { write(.delete($0)) }
      changes.added.forEach { write(.insert($0)) }
      return
    }
    changes.removed.dropLast().forEach { write(.delete($0)) }
    write(.update(from: last, to: first))
    changes.added.dropFirst().forEach { write(.insert($0)) }
  }

  /// Writes ``Bookkeeping/changes(from:to:)`` between two version tables of a plan, each
  /// statement followed by `;` and a line feed.
  ///
  /// After the first step both tables are rows of the plan's tracker, without repeats, so an
  /// id in the common prefix or suffix (same id, same place) is in both and neither removed
  /// nor added; only the middles are compared, and when they are a few ids, without building
  /// sets or lists. The first step's table may come from the user (`FROM:TO`) and is
  /// compared whole.
  static func appendChanges(
    from old: [String], to new: [String], isFirst: Bool, _ writer: StatementWriter, to out: inout [UInt8]
  ) {
    func write(_ change: Bookkeeping.RowChange) {
      writer.append(change, to: &out)
      out.append(";\n")
    }
    guard !isFirst else { return Bookkeeping.changes(from: old, to: new).forEach(write) }
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
      return Bookkeeping.changes(from: Array(oldMiddle), to: Array(newMiddle)).forEach(write)
    }
    // A few ids: what goes and what comes, without sets, written as a logged step is.
    appendChanges(
      Plan.RowChanges(
        removed: oldMiddle.filter { !newMiddle.contains($0) }, added: newMiddle.filter { !oldMiddle.contains($0) }),
      writer, to: &out)
  }

  /// The script of a stamp.
  public func render(_ plan: StampPlan) -> String {
    var out = preamble("stamp \(Self.rows(plan.from)) -> \(plan.targets.joined(separator: " "))", from: plan.from)
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
            startedAt: bookkeeping.dialect.nowExpression, durationMs: "0", transactional: true) + ";\n"
      }
      out += "\nCOMMIT;\n\n"
      rows = step.versionTable
    }
    return out
  }

  /// The script of `ensure_version --sql`: the bookkeeping tables, created when missing.
  public func renderTables() -> String {
    "-- revgraph offline SQL: ensure_version\n-- version table: \(bookkeeping.versionTableName.display)\n\n"
      + tablesIfMissing()
  }

  /// `CREATE TABLE IF NOT EXISTS` of both tables; on PostgreSQL with notices off, so a
  /// database that has them does not answer "already exists, skipping" twice (the
  /// revisions' own notices are shown as usual).
  private func tablesIfMissing() -> String {
    let tables = bookkeeping.createStatements.map { $0 + ";\n\n" }.joined()
    return bookkeeping.dialect == .postgresql
      ? "SET client_min_messages = warning;\n\n" + tables + "RESET client_min_messages;\n\n" : tables
  }

  /// The script's first lines: what it does, the guard (PostgreSQL), the tables.
  private func preamble(_ title: String, from rows: [String]) -> String {
    "-- revgraph offline SQL: \(title)\n-- version table: \(bookkeeping.versionTableName.display)\n\n"
      + guardBlock(from: rows) + tablesIfMissing()
  }

  /// For PostgreSQL, a `DO` block that raises an exception (which stops `psql -v
  /// ON_ERROR_STOP=1` before anything is changed) unless the version table holds exactly
  /// `rows` (a missing table holds none); empty for SQLite.
  func guardBlock(from rows: [String]) -> String {
    guard bookkeeping.dialect == .postgresql else { return "" }
    let table = bookkeeping.versionTableName
    let expected =
      rows.isEmpty ? "'{}'::text[]" : "ARRAY[" + rows.sorted().map(Bookkeeping.literal).joined(separator: ", ") + "]"
    let query = "SELECT coalesce(array_agg(version_num::text), '{}') FROM \(table.quoted)"
    return """
      -- The script starts from \(Self.rows(rows)): it stops here, changing nothing, on a database
      -- whose version table holds anything else.
      DO $revgraph_guard$
      DECLARE
        found text[] := '{}';
        expected text[] := \(expected);
      BEGIN
        IF to_regclass(\(Bookkeeping.literal(table.quoted))) IS NOT NULL THEN
          EXECUTE \(Bookkeeping.literal(query)) INTO found;
        END IF;
        IF NOT (found @> expected AND found <@ expected) THEN
          RAISE EXCEPTION 'revgraph: this script starts from %, but the version table % holds %',
            \(Bookkeeping.literal(Self.rows(rows))), \(Bookkeeping.literal(table.display)),
            CASE WHEN cardinality(found) = 0 THEN 'no row' ELSE array_to_string(found, ', ') END
            USING HINT = 'run it on the database it was written for, or write a new one for this database '
              || 'with revgraph upgrade --sql';
        END IF;
      END
      $revgraph_guard$;


      """
  }

  static func rows(_ rows: [String]) -> String { rows.isEmpty ? "base" : rows.joined(separator: ",") }
}
