import Foundation
import Graph

/// Applies upgrade, downgrade and stamp plans to one SQLite database.
///
/// Every revision runs under its own savepoint together with its version-table and log
/// rows, inside a transaction that is committed every ``commitInterval`` (and at the end):
/// after a failing revision the database is exactly at the revision before it, and after a
/// crash at the last commit, which is always a revision boundary. The runner takes SQLite's write lock (`BEGIN IMMEDIATE`) before it reads the
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
  /// How long the runner goes on applying revisions before it commits them (see
  /// ``CommitGroup``); `.zero` commits after every revision.
  public var commitInterval: Duration

  public init(
    graph: RevisionGraph, location: DatabaseLocation, versionTable: String, lockTimeout: Duration = .seconds(30),
    versionLocations: [String] = [], commitInterval: Duration = .milliseconds(200)
  ) {
    self.graph = graph
    self.location = location
    bookkeeping = Bookkeeping(versionTable: versionTable)
    self.lockTimeout = lockTimeout
    self.versionLocations = versionLocations
    self.commitInterval = commitInterval
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
    /// A step finished (it is committed at the latest when the run ends).
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
    var group = CommitGroup(rows: rows, interval: commitInterval)
    var results = [StepResult]()
    for (step, script) in zip(plan.steps, scripts) {
      if db.isAutocommit {
        try db.execute("BEGIN IMMEDIATE")
        try checkRows(group.expected, in: db)
        group.began()
      }
      progress(.willRun(direction: direction.rawValue, revision: step.id, transactional: script.transactional))
      let result = try run(step, script, direction, group: &group, in: db)
      results.append(result)
      if group.isDue, !db.isAutocommit { try group.commit(db) }
      progress(.didRun(result))
    }
    if !db.isAutocommit { try group.commit(db) }
    return Outcome(from: rows.sorted(), steps: results, versionTable: plan.finalVersionTable)
  }

  /// Revisions applied since the last commit. Committing after every revision would cost
  /// SQLite's journal round trip (four syncs) per revision; a group is committed once
  /// `interval` has passed since it began, before a revision that runs outside a
  /// transaction, after a failure (without the failing revision) and at the end.
  struct CommitGroup {
    /// The version table as of the last commit.
    private(set) var committed: [String]
    /// The version table as of the last completed revision.
    private(set) var expected: [String]
    /// The revisions completed since the last commit, in order.
    private(set) var pending: [String] = []
    let interval: Duration
    private let clock = ContinuousClock()
    private var start: ContinuousClock.Instant

    init(rows: [String], interval: Duration) {
      committed = rows
      expected = rows
      self.interval = interval
      start = clock.now
    }

    var isDue: Bool { clock.now - start >= interval }

    mutating func began() { start = clock.now }

    mutating func completed(_ revision: String, rows: [String]) {
      expected = rows
      pending.append(revision)
    }

    /// Commits the open transaction.
    /// - Throws: The commit's failure, saying which revisions it undid.
    mutating func commit(_ db: SQLiteConnection) throws {
      do {
        try db.execute("COMMIT")
      } catch let error as RunnerError {
        if !db.isAutocommit { try? db.execute("ROLLBACK") }
        throw lost(error)
      }
      committed = expected
      pending = []
    }

    /// `error` with what a rollback of the whole open transaction undid.
    func lost(_ error: RunnerError) -> RunnerError {
      guard !pending.isEmpty else { return error }
      let undone =
        "; the revisions applied since the last commit (\(pending.joined(separator: ", "))) were rolled back "
        + "with it: the database is at \(MigrationRunner.list(committed))"
      switch error {
      case .sqlite(let path, let code, let message, let sql):
        return .sqlite(path: path, code: code, message: message + undone, sql: sql)
      case .locked(let path, let reason):
        return .locked(path: path, reason: reason + undone)
      case .readOnly(let path, let reason):
        return .readOnly(path: path, reason: reason + undone)
      default:
        return error
      }
    }
  }

  /// Runs one revision inside the open transaction (under a savepoint, so that a failure
  /// undoes this revision alone), or outside any transaction when its header says so.
  private func run(
    _ step: Plan.Step, _ script: RevisionScript, _ direction: Plan.Direction, group: inout CommitGroup,
    in db: SQLiteConnection
  ) throws -> StepResult {
    let section = direction == .upgrade ? script.upgrade : script.downgrade ?? script.upgrade
    let rows = group.expected
    let startedAt = Date()
    let clock = ContinuousClock()
    let start = clock.now
    var statements = 0
    if !script.transactional {
      // Outside a transaction: commit what is pending, run, then record in a new one.
      try group.commit(db)
      do {
        statements = try db.executeScript(section.sql)
      } catch let failure {
        throw failed(step, script, section, direction, failure, group: group)
      }
      try db.execute("BEGIN IMMEDIATE")
      try checkRows(rows, in: db)
      group.began()
    } else {
      try db.execute("SAVEPOINT revgraph_step")
      do {
        statements = try db.executeScript(section.sql, refuse: SQLText.transactionControl)
      } catch let failure {
        // Keep the revisions before this one: undo this one alone and commit the rest.
        if !db.isAutocommit {
          try db.execute("ROLLBACK TO revgraph_step")
          try db.execute("RELEASE revgraph_step")
          try group.commit(db)
        }
        throw failed(step, script, section, direction, failure, group: group)
      }
    }
    let duration = clock.now - start
    do {
      try bookkeeping.apply(Bookkeeping.changes(from: rows, to: step.versionTable), in: db)
      try db.execute(
        bookkeeping.logStatement(
          revision: step.id, direction: direction.rawValue, checksum: section.checksum,
          startedAt: Bookkeeping.literal(Self.timestamp(startedAt)), durationMs: String(duration.milliseconds),
          transactional: script.transactional))
      if script.transactional { try db.execute("RELEASE revgraph_step") }
    } catch let error as RunnerError where script.transactional && !db.isAutocommit {
      try db.execute("ROLLBACK TO revgraph_step")
      try db.execute("RELEASE revgraph_step")
      try group.commit(db)
      throw error
    }
    group.completed(step.id, rows: step.versionTable)
    // A revision run outside a transaction is recorded at once.
    if !script.transactional { try group.commit(db) }
    return StepResult(
      direction: direction.rawValue, revision: step.id, replaced: [], versionTable: step.versionTable,
      duration: duration, transactional: script.transactional, statements: statements)
  }

  private func failed(
    _ step: Plan.Step, _ script: RevisionScript, _ section: RevisionScript.Section, _ direction: Plan.Direction,
    _ failure: SQLiteConnection.ScriptFailure, group: CommitGroup
  ) -> RunnerError {
    var message = failure.message
    if message.contains("within a transaction") {
      message += " (SQLite refuses this statement inside a transaction; set '-- transactional: false' in the header)"
    }
    let note: String?
    if !script.transactional {
      note =
        "  \(step.id) runs outside a transaction (transactional: false): the statements before this one were kept, "
        + "and the version table still shows the revisions before \(step.id). Repair by hand, then rerun."
    } else if !group.pending.isEmpty {
      // SQLite ended the whole transaction on this error (it does for some, such as a full disk).
      note =
        "  SQLite rolled back the whole transaction: nothing of \(step.id) was kept, and the revisions applied "
        + "since the last commit (\(group.pending.joined(separator: ", "))) were undone too; the database is at "
        + Self.list(group.committed)
    } else {
      note = nil
    }
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

  /// `date` in UTC as ISO 8601 with milliseconds (`2026-11-25T09:30:00.125Z`).
  ///
  /// Written by hand: an `ISO8601DateFormatter` per step was half the cost of applying a
  /// revision (it builds an ICU formatter each time).
  static func timestamp(_ date: Date) -> String {
    let seconds = date.timeIntervalSince1970.rounded(.down)
    var whole = time_t(seconds)
    let millis = min(999, max(0, Int(((date.timeIntervalSince1970 - seconds) * 1000).rounded(.down))))
    var parts = tm()
    guard gmtime_r(&whole, &parts) != nil else { return ISO8601DateFormatter().string(from: date) }
    func digits(_ value: Int32, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return digits(parts.tm_year + 1900, 4) + "-" + digits(parts.tm_mon + 1, 2) + "-" + digits(parts.tm_mday, 2) + "T"
      + digits(parts.tm_hour, 2) + ":" + digits(parts.tm_min, 2) + ":" + digits(parts.tm_sec, 2) + "."
      + digits(Int32(millis), 3) + "Z"
  }

  static func list(_ rows: [String]) -> String { rows.isEmpty ? "(empty)" : rows.sorted().joined(separator: ", ") }
}
