import Foundation
import Graph

/// Applies upgrade, downgrade and stamp plans to one database, through its driver
/// (``DatabaseConnection``: SQLite or PostgreSQL).
///
/// Every revision runs under its own savepoint together with its version-table and log
/// rows, inside a transaction that is committed every ``commitInterval`` (and at the end):
/// after a failing revision the database is exactly at the revision before it, and after a
/// crash or a lost connection at the last commit, which is always a revision boundary. The
/// runner takes the run lock (SQLite: a `flock` on the file plus `BEGIN IMMEDIATE`;
/// PostgreSQL: a session advisory lock) before it reads the version table and plans, and
/// holds it for the whole run, so concurrent runners never apply a revision twice.
///
/// ## Topics
/// - Reading: ``readRows()``, ``plan(_:target:)``
/// - Migrating: ``upgrade(to:progress:)``, ``downgrade(to:progress:)``, ``stamp(_:purge:progress:)``
public struct MigrationRunner: Sendable {
  /// The history.
  public var graph: RevisionGraph
  /// The database.
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
    graph: RevisionGraph, location: DatabaseLocation, versionTable: String, versionTableSchema: String? = nil,
    lockTimeout: Duration = .seconds(30), versionLocations: [String] = [],
    commitInterval: Duration = .milliseconds(200)
  ) {
    self.graph = graph
    self.location = location
    bookkeeping = Bookkeeping(versionTable: versionTable, schema: versionTableSchema, dialect: location.dialect)
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
    /// Another runner holds the run lock; this one waits (said once, before it waits).
    case waiting(holder: String)
  }

  // MARK: - Reading

  /// The version table's rows, opening the database read-only; nil when the file does not
  /// exist (it is never created here), empty when it has no version table.
  public func readRows() throws -> [String]? {
    try location.readRows(of: bookkeeping, timeout: lockTimeout)
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
    try migrate(.upgrade, target: target, progress: progress) { try graph.upgradePlan(to: target, from: $0) }
  }

  /// Downgrades the database to `target`. A missing database file is left missing.
  public func downgrade(to target: String, progress: (Event) -> Void = { _ in }) throws -> Outcome {
    guard location.exists else {
      let plan = try graph.downgradePlan(to: target, from: [])
      return Outcome(from: [], steps: [], versionTable: plan.finalVersionTable)
    }
    return try migrate(.downgrade, target: target, progress: progress) {
      try graph.downgradePlan(to: target, from: $0)
    }
  }

  private func migrate(
    _ direction: Plan.Direction, target: String, progress: (Event) -> Void, planner: ([String]) throws -> Plan
  ) throws -> Outcome {
    do {
      return try migrateInSession(direction, target: target, progress: progress, planner: planner)
    } catch let error as RunnerError {
      // Lost before the first revision (taking the lock, reading the version table): this run
      // changed nothing, and the database is where a new connection finds it.
      guard case .connectionLost(_, let reason) = error, !reason.contains("the database is at") else { throw error }
      guard case .success(let rows) = Result(catching: { try readRows() }) else {
        throw error.adding("run `revgraph current` to see where the database is, then run the command again")
      }
      throw error.adding(
        "this run changed nothing; the database is at \(Self.position(rows ?? [])); run the command again to go on")
    }
  }

  private func migrateInSession(
    _ direction: Plan.Direction, target: String, progress: (Event) -> Void, planner: ([String]) throws -> Plan
  ) throws -> Outcome {
    let db = try location.openSession(lockingFor: bookkeeping.versionTableName, timeout: lockTimeout) {
      progress(.waiting(holder: $0))
    }
    defer { db.close() }
    try db.beginWrite()
    defer { if db.inTransaction { _ = try? db.execute("ROLLBACK") } }
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
    group.goOn = Self.goOn(direction, target: target, from: rows, to: plan.finalVersionTable)
    var results = [StepResult]()
    RunInterrupt.requested = 0
    db.registerForInterrupt()
    defer { RunInterrupt.unregister() }
    // A connection lost between revisions (taking a savepoint, beginning a group) still says
    // where the database is: at the last commit. (Lost before this loop: see `migrate`.)
    do {
      for (step, script) in zip(plan.steps, scripts) {
        if RunInterrupt.isRequested {
          if db.inTransaction { try group.commit(db) }
          throw RunnerError.interrupted(
            completed: results.compactMap(\.revision), rolledBack: nil, at: group.committed, goOn: group.goOn)
        }
        if !db.inTransaction {
          try db.beginWrite()
          try checkRows(group.expected, in: db)
          group.began()
        }
        progress(.willRun(direction: direction.rawValue, revision: step.id, transactional: script.transactional))
        let result: StepResult
        do {
          result = try run(step, script, direction, group: &group, in: db)
        } catch  where RunInterrupt.isRequested && script.transactional {
          // The cancelled revision was undone and the ones before it committed (`run` did that).
          throw RunnerError.interrupted(
            completed: results.compactMap(\.revision), rolledBack: step.id, at: group.committed, goOn: group.goOn)
        }
        results.append(result)
        if group.isDue, db.inTransaction { try group.commit(db) }
        progress(.didRun(result))
      }
      if db.inTransaction { try group.commit(db) }
    } catch let error as RunnerError {
      if case .connectionLost(_, let reason) = error, !reason.contains("the database is at") {
        throw error.adding("the database is at \(Self.position(group.committed)); \(group.goOn)")
      }
      throw error
    }
    return Outcome(from: rows.sorted(), steps: results, versionTable: plan.finalVersionTable)
  }

  /// Revisions applied since the last commit. Committing after every revision would cost
  /// SQLite's journal round trip (four syncs) per revision; a group is committed after the
  /// first revision that ends `interval` or more after the group began, before a revision
  /// that runs outside a transaction, after a failure (without the failing revision) and at
  /// the end.
  struct CommitGroup {
    /// The version table as of the last commit.
    private(set) var committed: [String]
    /// The version table as of the last completed revision.
    private(set) var expected: [String]
    /// The revisions completed since the last commit, in order, with their scripts (to
    /// apply them again should SQLite roll the whole transaction back).
    private(set) var pending: [(step: Plan.Step, script: RevisionScript)] = []
    let interval: Duration
    /// What to run to go on from where a failed run stopped (for its message).
    var goOn = "run the command again to go on"
    /// True when the last completed revision took the next one's savepoint (a fresh one,
    /// open in the transaction; a commit ends it).
    var savepointReady = false
    /// Log timestamps (one formatter for the run: building one costs far more than using it).
    let formatter: ISO8601DateFormatter
    private let clock = ContinuousClock()
    private var start: ContinuousClock.Instant

    init(rows: [String], interval: Duration) {
      committed = rows
      expected = rows
      self.interval = interval
      formatter = MigrationRunner.timestampFormatter()
      start = clock.now
    }

    var isDue: Bool { clock.now - start >= interval }

    mutating func began() {
      start = clock.now
      savepointReady = false
    }

    mutating func completed(_ step: Plan.Step, _ script: RevisionScript) {
      expected = step.versionTable
      pending.append((step, script))
    }

    /// Commits the open transaction.
    /// - Throws: The commit's failure, saying which revisions it undid.
    mutating func commit(_ db: any DatabaseConnection) throws {
      do {
        try db.execute("COMMIT")
      } catch let error as RunnerError {
        if db.inTransaction { _ = try? db.execute("ROLLBACK") }
        throw error.adding(lostNote)
      }
      markCommitted()
    }

    /// The pending revisions are in the database now.
    mutating func markCommitted() {
      committed = expected
      pending = []
      savepointReady = false
    }

    /// What a rollback of the open transaction undoes.
    var lostNote: String? {
      guard !pending.isEmpty else { return nil }
      return "the revisions applied since the last commit (\(pending.map(\.step.id).joined(separator: ", "))) were "
        + "rolled back with it: the database is at \(MigrationRunner.list(committed))"
    }
  }

  /// Runs one revision inside the open transaction (under a savepoint, so that a failure
  /// undoes this revision alone), or outside any transaction when its header says so.
  private func run(
    _ step: Plan.Step, _ script: RevisionScript, _ direction: Plan.Direction, group: inout CommitGroup,
    in db: any DatabaseConnection
  ) throws -> StepResult {
    let section = script.section(direction)
    guard script.transactional else {
      // Outside a transaction: commit what is pending, run, then record in a new transaction.
      try group.commit(db)
      let applied: (statements: Int, duration: Duration)
      do {
        applied = try apply(
          step, script, direction, from: group.expected, outside: true, formatter: group.formatter, in: db)
      } catch let failure as ScriptFailure {
        throw failed(step, script, section, direction, failure, note: nil, group: group, in: db)
      }
      group.completed(step, script)
      try group.commit(db)
      return StepResult(
        direction: direction.rawValue, revision: step.id, replaced: [], versionTable: step.versionTable,
        duration: applied.duration, transactional: false, statements: applied.statements)
    }
    // The revision before took this one's savepoint with its own bookkeeping (one round trip
    // fewer); otherwise it is taken now.
    if !group.savepointReady { try db.execute("SAVEPOINT \(Self.savepoint)") }
    group.savepointReady = false
    do {
      let applied = try apply(
        step, script, direction, from: group.expected, outside: false, formatter: group.formatter,
        then: ["RELEASE \(Self.savepoint)", "SAVEPOINT \(Self.savepoint)"], in: db)
      group.savepointReady = true
      group.completed(step, script)
      return StepResult(
        direction: direction.rawValue, revision: step.id, replaced: [], versionTable: step.versionTable,
        duration: applied.duration, transactional: true, statements: applied.statements)
    } catch {
      // Keep the revisions before this one: undo this one alone and commit the rest.
      let note = keepCompleted(&group, direction, after: error, in: db)
      if let failure = error as? ScriptFailure {
        throw failed(step, script, section, direction, failure, note: note, group: group, in: db)
      }
      if let error = error as? RunnerError { throw error.adding(note) }
      throw error
    }
  }

  /// The runner's savepoint; revisions may not release it or roll back to it.
  static let savepoint = "revgraph_step"

  /// Runs a revision's section and records it (version table and log row) in the open
  /// transaction; `outside`: the section runs before that transaction begins.
  ///
  /// The version-table changes, the log row and `then` (the release of this revision's
  /// savepoint and the next one's) go in one round trip after the section on PostgreSQL, so a
  /// revision costs one round trip besides its own statements. The changes come after the
  /// section, so a revision that writes the version table itself is noticed (a change
  /// touching no row stops the batch before the savepoint is released).
  private func apply(
    _ step: Plan.Step, _ script: RevisionScript, _ direction: Plan.Direction, from rows: [String], outside: Bool,
    formatter: ISO8601DateFormatter, then trailing: [String] = [], in db: any DatabaseConnection
  ) throws -> (statements: Int, duration: Duration) {
    let section = script.section(direction)
    let startedAt = Date()
    let clock = ContinuousClock()
    let start = clock.now
    let statements: Int
    if outside {
      statements = try db.executeScript(section.sql, refuse: nil)
    } else {
      statements = try db.executeScript(section.sql, refuse: SQLText.refusedInsideRevision)
    }
    let duration = clock.now - start
    if outside {
      try db.beginWrite()
      try checkRows(rows, in: db)
    }
    let log = bookkeeping.logStatement(
      revision: step.id, direction: direction.rawValue, checksum: section.checksum,
      startedAt: Bookkeeping.literal(formatter.string(from: startedAt)),
      durationMs: String(duration.milliseconds), transactional: script.transactional)
    try bookkeeping.apply(Bookkeeping.changes(from: rows, to: step.versionTable), then: [log] + trailing, in: db)
    return (statements, duration)
  }

  /// After a revision failed inside the group's transaction: undoes that revision and commits
  /// the ones completed before it. Should the database have rolled the whole transaction back
  /// (SQLite: a conflict clause `OR ROLLBACK`, a trigger's `RAISE(ROLLBACK, …)`, some I/O
  /// errors), those are applied again in a new transaction. When the connection itself is
  /// gone, the server has rolled back the open transaction and nothing more can be done.
  /// Returns a note when the database could not be left at the revision before the failing
  /// one.
  private func keepCompleted(
    _ group: inout CommitGroup, _ direction: Plan.Direction, after error: any Error, in db: any DatabaseConnection
  ) -> String? {
    if Self.isConnectionLoss(error) {
      guard let lost = group.lostNote else {
        return "the database is at \(Self.position(group.committed)); \(group.goOn)"
      }
      return "the connection ended, so the server rolled back the open transaction: " + lost
        + "; \(group.goOn)"
    }
    if db.inTransaction {
      if (try? db.execute("ROLLBACK TO \(Self.savepoint)")) != nil,
        (try? db.execute("RELEASE \(Self.savepoint)")) != nil
      {
        do {
          try group.commit(db)
          return nil
        } catch {
          return "committing the revisions before it failed (\(error)); the database is at "
            + Self.list(group.committed)
        }
      }
      _ = try? db.execute("ROLLBACK")
    }
    guard !group.pending.isEmpty else { return nil }
    do {
      try db.beginWrite()
      try checkRows(group.committed, in: db)
      var rows = group.committed
      for (step, script) in group.pending {
        _ = try apply(step, script, direction, from: rows, outside: false, formatter: group.formatter, in: db)
        rows = step.versionTable
      }
      try db.execute("COMMIT")
      group.markCommitted()
      return nil
    } catch {
      if db.inTransaction { _ = try? db.execute("ROLLBACK") }
      return "the database rolled back the whole transaction, and applying the revisions before it again failed "
        + "(\(error)): " + (group.lostNote ?? "") + "; rerun the upgrade"
    }
  }

  /// True when `error` says the connection to the database ended.
  static func isConnectionLoss(_ error: any Error) -> Bool {
    if let failure = error as? ScriptFailure { return failure.connectionLost }
    if case .connectionLost = error as? RunnerError { return true }
    return false
  }

  private func failed(
    _ step: Plan.Step, _ script: RevisionScript, _ section: RevisionScript.Section, _ direction: Plan.Direction,
    _ failure: ScriptFailure, note extra: String?, group: CommitGroup, in db: any DatabaseConnection
  ) -> RunnerError {
    let at = Self.position(group.committed)
    let location = "\(script.path):\(section.firstLine + failure.line - 1)"
    if failure.connectionLost {
      let state =
        extra.map { "; nothing of \(step.id) was kept; " + $0 }
        ?? (script.transactional
          ? "; nothing of \(step.id) was kept, and the revisions before it are committed: \(group.goOn)"
          : "; \(step.id) runs outside a transaction: the statements before this one were kept. Repair by hand, "
            + "then rerun")
      return .connectionLost(
        database: db.displayName,
        reason: "during the \(direction.rawValue) of \(step.id) at \(location) (\(failure.message))" + state)
    }
    var message = failure.message
    if let sqlstate = failure.sqlstate { message += " (SQLSTATE \(sqlstate))" }
    if let detail = failure.detail { message += "\n  detail: " + detail }
    if let hint = failure.hint { message += "\n  hint: " + hint }
    if failure.message.contains("within a transaction") || failure.message.contains("inside a transaction block")
      || failure.sqlstate == "25001"
    {
      message +=
        "\n  (the database refuses this statement inside a transaction; set '-- transactional: false' in the header)"
    }
    var note: String
    if !script.transactional {
      note =
        "  \(step.id) runs outside a transaction (transactional: false): the statements before this one were kept, "
        + "and the version table still shows the revisions before \(step.id) (the database is at \(at)). Repair by "
        + "hand, then \(group.goOn)."
    } else if let extra {
      note = "  nothing of \(step.id) was kept, but " + extra
    } else {
      note =
        "  nothing of \(step.id) was kept; the database is at \(at). Fix the statement, then \(group.goOn)."
    }
    return .statementFailed(
      revision: step.id, direction: direction.rawValue, location: location, statement: failure.statement,
      message: message, note: note)
  }

  /// Throws when the version table is not at `expected` (another writer changed it).
  private func checkRows(_ expected: [String], in db: any DatabaseConnection) throws {
    let found = try bookkeeping.rows(in: db)
    guard Set(found) == Set(expected) else {
      throw RunnerError.versionTableChanged(
        database: db.displayName,
        message: "the version table changed while revgraph was migrating (expected \(Self.list(expected)), "
          + "found \(Self.list(found))); another program wrote to it. Check 'revgraph current' and rerun")
    }
  }

  // MARK: - Ensuring the tables

  /// Creates the version table and the log table when missing (Alembic's `ensure_version`),
  /// changing nothing else. Returns whether they were missing.
  public func ensureVersionTable(progress: (Event) -> Void = { _ in }) throws -> Bool {
    let db = try location.openSession(lockingFor: bookkeeping.versionTableName, timeout: lockTimeout) {
      progress(.waiting(holder: $0))
    }
    defer { db.close() }
    try db.beginWrite()
    defer { if db.inTransaction { _ = try? db.execute("ROLLBACK") } }
    let existed = try db.tableExists(bookkeeping.versionTableName)
    try bookkeeping.create(in: db)
    try db.execute("COMMIT")
    return !existed
  }

  // MARK: - Stamping

  /// Rewrites the version table to `targets` without running any revision.
  /// - Parameter purge: Empty the version table first (the way out of rows naming
  ///   revisions that no longer exist).
  public func stamp(_ targets: [String], purge: Bool, progress: (Event) -> Void = { _ in }) throws -> Outcome {
    let db = try location.openSession(lockingFor: bookkeeping.versionTableName, timeout: lockTimeout) {
      progress(.waiting(holder: $0))
    }
    defer { db.close() }
    try db.beginWrite()
    defer { if db.inTransaction { _ = try? db.execute("ROLLBACK") } }
    try bookkeeping.create(in: db)
    var rows = try bookkeeping.rows(in: db)
    let before = rows.sorted()
    if purge {
      try db.execute("DELETE FROM \(bookkeeping.versionTableName.quoted)")
      rows = []
    }
    let plan = try graph.stampPlan(to: targets, from: try knownRows(rows))
    let now = Bookkeeping.literal(Self.timestampFormatter().string(from: Date()))
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

  /// The log's timestamp format: UTC, ISO 8601 with milliseconds (`2026-11-25T09:30:00.125Z`).
  static func timestampFormatter() -> ISO8601DateFormatter {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter
  }

  static func list(_ rows: [String]) -> String { rows.isEmpty ? "(empty)" : rows.sorted().joined(separator: ", ") }

  /// Where a database at `rows` is, for messages: `base (no revision applied)` or its rows.
  static func position(_ rows: [String]) -> String {
    rows.isEmpty ? "base (no revision applied)" : list(rows)
  }

  /// What to run to go on towards where a run was going, after it stopped part-way. An
  /// absolute target is given again. A relative one (`-2`, `+1`, `branch@-1`) would count from
  /// where the run stopped, so the revision it was going to stands in for it (`base` when that
  /// is empty; for an upgrade, the one row it was adding). Otherwise `revgraph current` and
  /// the rows the run was going to.
  static func goOn(_ direction: Plan.Direction, target: String, from start: [String], to final: [String]) -> String {
    let relative = (try? Target(parsing: target))?.relative != nil
    var command: String?
    if !relative {
      command = "revgraph \(direction.rawValue) \(target)"
    } else if final.count <= 1 {
      command = "revgraph \(direction.rawValue) \(final.first ?? "base")"
    } else if direction == .upgrade, case let added = final.filter({ !start.contains($0) }), added.count == 1 {
      command = "revgraph upgrade \(added[0])"
    }
    return command.map { "run `\($0)` to go on" }
      ?? "run `revgraph current` to see where it is, and go on towards \(list(final))"
  }
}

extension RunnerError {
  /// The error with `note` (what happened to the database meanwhile) added to its message.
  func adding(_ note: String?) -> RunnerError {
    guard let note else { return self }
    switch self {
    case .sqlite(let path, let code, let message, let sql):
      return .sqlite(path: path, code: code, message: message + "; " + note, sql: sql)
    case .locked(let path, let reason):
      return .locked(path: path, reason: reason + "; " + note)
    case .readOnly(let path, let reason):
      return .readOnly(path: path, reason: reason + "; " + note)
    case .readOnlySession(let database, let name, let reason):
      return .readOnlySession(database: database, name: name, reason: reason + "; " + note)
    case .connectionLost(let database, let reason):
      return .connectionLost(database: database, reason: reason + "; " + note)
    case .postgresql(let database, let sqlstate, let message, let sql):
      return .postgresql(database: database, sqlstate: sqlstate, message: message + "; " + note, sql: sql)
    case .versionTableChanged(let database, let message):
      return .versionTableChanged(database: database, message: message + "; " + note)
    case .statementFailed(let revision, let direction, let location, let statement, let message, let old):
      return .statementFailed(
        revision: revision, direction: direction, location: location, statement: statement, message: message,
        note: (old.map { $0 + "\n" } ?? "") + "  " + note)
    default:
      return self
    }
  }
}
