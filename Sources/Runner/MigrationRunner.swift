import Foundation
import Graph

/// Applies upgrade, downgrade and stamp plans to one SQLite database.
///
/// Every revision runs in its own transaction together with its version-table and log
/// rows, so after a failure (or a crash) the database is exactly at the last completed
/// revision. The runner takes SQLite's write lock (`BEGIN IMMEDIATE`) before it reads the
/// version table and plans, and holds a process lock for the whole run, so concurrent
/// runners never apply a revision twice.
///
/// ## Topics
/// - Reading: ``readRows()``, ``plan(_:target:)``
/// - Migrating: ``upgrade(to:progress:)``, ``downgrade(to:progress:)``, ``stamp(_:purge:progress:)``
public struct MigrationRunner: Sendable {
  /// The history.
  public var graph: RevisionGraph
  /// The database file.
  public var location: DatabaseLocation
  /// The version and log tables.
  public var bookkeeping: Bookkeeping
  /// How long to wait for another process's lock.
  public var lockTimeout: Duration
  /// The version directories (for messages about missing files).
  public var versionLocations: [String]

  public init(
    graph: RevisionGraph, location: DatabaseLocation, versionTable: String, lockTimeout: Duration = .seconds(30),
    versionLocations: [String] = []
  ) {
    self.graph = graph
    self.location = location
    bookkeeping = Bookkeeping(versionTable: versionTable)
    self.lockTimeout = lockTimeout
    self.versionLocations = versionLocations
  }

  /// One completed step.
  public struct StepResult: Sendable, Equatable {
    /// `upgrade`, `downgrade` or `stamp`.
    public var direction: String
    /// The revision applied or reverted, or the stamped revision (nil: rows deleted).
    public var revision: String?
    /// For stamps: the rows replaced.
    public var replaced: [String]
    /// The version table after the step, sorted.
    public var versionTable: [String]
    /// Time spent in the revision's SQL.
    public var duration: Duration
    /// False when the revision ran outside a transaction.
    public var transactional: Bool
    /// Statements run.
    public var statements: Int
  }

  /// What a run did.
  public struct Outcome: Sendable, Equatable {
    /// The version table before the run, sorted.
    public var from: [String]
    /// The steps completed, in order.
    public var steps: [StepResult]
    /// The version table at the end, sorted.
    public var versionTable: [String]
  }

  /// Reported while a run goes on.
  public enum Event: Sendable {
    /// A revision is about to run (`transactional` false: outside a transaction).
    case willRun(direction: String, revision: String, transactional: Bool)
    /// A step finished and was committed.
    case didRun(StepResult)
  }

  // MARK: - Reading

  /// The version table's rows, opening the database read-only; nil when the file does not
  /// exist (it is never created here), empty when it has no version table.
  public func readRows() throws -> [String]? {
    guard location.exists || location.path == ":memory:" else { return nil }
    let connection = try SQLiteConnection(path: location.path, mode: .readOnly, busyTimeout: lockTimeout)
    return try bookkeeping.rows(in: connection)
  }

  /// The rows, checked against the history.
  /// - Throws: ``RunnerError/unknownRows(table:rows:versionLocations:)``.
  public func knownRows(_ rows: [String]) throws -> [String] {
    let unknown = rows.filter { graph.index(of: $0) == nil }
    guard unknown.isEmpty else {
      throw RunnerError.unknownRows(table: bookkeeping.versionTable, rows: unknown, versionLocations: versionLocations)
    }
    return rows
  }

  /// The plan a migration would follow now, without writing anything.
  public func plan(_ direction: Plan.Direction, target: String) throws -> Plan {
    let rows = try knownRows(readRows() ?? [])
    switch direction {
    case .upgrade: return try graph.upgradePlan(to: target, from: rows)
    case .downgrade: return try graph.downgradePlan(to: target, from: rows)
    }
  }

  // MARK: - Migrating

  /// Upgrades the database to `target` (any upgrade target, relative ones counted from the
  /// database's rows), creating the database and its tables when missing.
  public func upgrade(to target: String, progress: (Event) -> Void = { _ in }) throws -> Outcome {
    try migrate(.upgrade, progress: progress) { try graph.upgradePlan(to: target, from: $0) }
  }

  /// Downgrades the database to `target`. A missing database file is left missing.
  public func downgrade(to target: String, progress: (Event) -> Void = { _ in }) throws -> Outcome {
    guard location.exists || location.path == ":memory:" else {
      let plan = try graph.downgradePlan(to: target, from: [])
      return Outcome(from: [], steps: [], versionTable: plan.finalVersionTable)
    }
    return try migrate(.downgrade, progress: progress) { try graph.downgradePlan(to: target, from: $0) }
  }

  private func migrate(
    _ direction: Plan.Direction, progress: (Event) -> Void, planner: ([String]) throws -> Plan
  ) throws -> Outcome {
    let session = try DatabaseSession(location: location, timeout: lockTimeout)
    let db = session.connection
    try db.execute("BEGIN IMMEDIATE")
    defer { if !db.isAutocommit { try? db.execute("ROLLBACK") } }
    try bookkeeping.create(in: db)
    let rows = try knownRows(bookkeeping.rows(in: db))
    let plan = try planner(rows)
    // Read every file first: a missing downgrade section stops the run before it starts.
    let scripts = try plan.steps.map { graph.record($0.revision) }.orderedConcurrentMap { record in
      let script = try RevisionScript.load(record)
      if direction == .downgrade && script.downgrade == nil {
        throw RunnerError.missingDowngrade(revision: record.id, path: script.path)
      }
      return script
    }
    var expected = rows
    var results = [StepResult]()
    for (step, script) in zip(plan.steps, scripts) {
      if db.isAutocommit {
        try db.execute("BEGIN IMMEDIATE")
        try checkRows(expected, in: db)
      }
      progress(.willRun(direction: direction.rawValue, revision: step.id, transactional: script.transactional))
      let result = try run(step, script, direction, from: expected, in: db)
      expected = step.versionTable
      results.append(result)
      progress(.didRun(result))
    }
    if !db.isAutocommit { try db.execute("COMMIT") }
    return Outcome(from: rows.sorted(), steps: results, versionTable: plan.finalVersionTable)
  }

  /// Runs one revision inside the open transaction and commits it.
  private func run(
    _ step: Plan.Step, _ script: RevisionScript, _ direction: Plan.Direction, from rows: [String],
    in db: SQLiteConnection
  ) throws -> StepResult {
    let section = direction == .upgrade ? script.upgrade : script.downgrade ?? script.upgrade
    let startedAt = Date()
    let clock = ContinuousClock()
    let start = clock.now
    var statements = 0
    do {
      if !script.transactional {
        // Outside a transaction: commit what is pending, run, then record in a new one.
        try db.execute("COMMIT")
        statements = try db.executeScript(section.sql)
        try db.execute("BEGIN IMMEDIATE")
        try checkRows(rows, in: db)
      } else {
        statements = try db.executeScript(section.sql, refuse: SQLText.transactionControl)
      }
    } catch let failure as SQLiteConnection.ScriptFailure {
      if !db.isAutocommit { try? db.execute("ROLLBACK") }
      throw failed(step, script, section, direction, failure)
    }
    let duration = clock.now - start
    try bookkeeping.apply(Bookkeeping.changes(from: rows, to: step.versionTable), in: db)
    try db.execute(
      bookkeeping.logStatement(
        revision: step.id, direction: direction.rawValue, checksum: section.checksum,
        startedAt: Bookkeeping.literal(Self.timestamp(startedAt)), durationMs: String(duration.milliseconds),
        transactional: script.transactional))
    try db.execute("COMMIT")
    return StepResult(
      direction: direction.rawValue, revision: step.id, replaced: [], versionTable: step.versionTable,
      duration: duration, transactional: script.transactional, statements: statements)
  }

  private func failed(
    _ step: Plan.Step, _ script: RevisionScript, _ section: RevisionScript.Section, _ direction: Plan.Direction,
    _ failure: SQLiteConnection.ScriptFailure
  ) -> RunnerError {
    var message = failure.message
    if message.contains("within a transaction") {
      message += " (SQLite refuses this statement inside a transaction; set '-- transactional: false' in the header)"
    }
    let note =
      script.transactional
      ? nil
      : "  \(step.id) runs outside a transaction (transactional: false): the statements before this one were kept, "
        + "and the version table still shows the revisions before \(step.id). Repair by hand, then rerun."
    return .statementFailed(
      revision: step.id, direction: direction.rawValue,
      location: "\(script.path):\(section.firstLine + failure.line - 1)", statement: failure.statement,
      message: message, note: note)
  }

  /// Throws when the version table is not at `expected` (another writer changed it).
  private func checkRows(_ expected: [String], in db: SQLiteConnection) throws {
    let found = try bookkeeping.rows(in: db)
    guard Set(found) == Set(expected) else {
      throw RunnerError.sqlite(
        path: db.path, code: 0,
        message: "the version table changed while revgraph was migrating (expected \(Self.list(expected)), "
          + "found \(Self.list(found))); another program wrote to it. Check 'revgraph current' and rerun",
        sql: nil)
    }
  }

  // MARK: - Stamping

  /// Rewrites the version table to `targets` without running any revision.
  /// - Parameter purge: Empty the version table first (the way out of rows naming
  ///   revisions that no longer exist).
  public func stamp(_ targets: [String], purge: Bool, progress: (Event) -> Void = { _ in }) throws -> Outcome {
    let session = try DatabaseSession(location: location, timeout: lockTimeout)
    let db = session.connection
    try db.execute("BEGIN IMMEDIATE")
    defer { if !db.isAutocommit { try? db.execute("ROLLBACK") } }
    try bookkeeping.create(in: db)
    var rows = try bookkeeping.rows(in: db)
    let before = rows.sorted()
    if purge {
      try db.execute("DELETE FROM \(Bookkeeping.quote(bookkeeping.versionTable))")
      rows = []
    }
    let plan = try graph.stampPlan(to: targets, from: try knownRows(rows))
    let now = Bookkeeping.literal(Self.timestamp(Date()))
    var table = rows
    var results = [StepResult]()
    for step in plan.steps {
      try bookkeeping.apply(Bookkeeping.changes(from: table, to: step.versionTable), in: db)
      table = step.versionTable
      for revision in step.to.map({ [$0] }) ?? step.from {
        try db.execute(
          bookkeeping.logStatement(
            revision: revision, direction: "stamp", checksum: nil, startedAt: now, durationMs: "0",
            transactional: true))
      }
      results.append(
        StepResult(
          direction: "stamp", revision: step.to, replaced: step.from, versionTable: step.versionTable,
          duration: .zero, transactional: true, statements: 0))
    }
    try db.execute("COMMIT")
    results.forEach { progress(.didRun($0)) }
    return Outcome(from: before, steps: results, versionTable: plan.finalVersionTable)
  }

  // MARK: - Formatting

  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }

  static func list(_ rows: [String]) -> String { rows.isEmpty ? "(empty)" : rows.sorted().joined(separator: ", ") }
}
