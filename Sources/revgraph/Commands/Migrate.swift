import ArgumentParser
import Foundation
import Graph
import Project
import Runner

/// Options shared by upgrade and downgrade.
struct MigrateOptions: ParsableArguments {
  @Argument(
    parsing: .allUnrecognized,
    help: ArgumentHelp(
      "The target (e.g. heads, ae10, branch@head, +1 for upgrade; -1, base, branch@-1 for downgrade); with --sql also FROM:TO.",
      valueName: "target"),
    completion: .custom(TargetCompletion.complete))
  var words: [String] = []
  var target: String { words.first ?? "" }
  @Flag(help: "Print the plan (each step and the version table after it) instead of running it.")
  var plan = false
  @Flag(help: "Print the SQL that would run instead of running it (FROM:TO gives the start).")
  var sql = false
  @Option(
    name: .customLong("from"),
    help: "With --plan: the version table to plan from (ids, comma-separated; 'base' for an empty database).")
  var from: RevisionList?
  @Option(help: "Accepted for Alembic's command line; it has no effect (Alembic hands it to env.py).")
  var tag: String?

  func validate() throws {
    try TargetArgument.check(words)
    if plan && sql { throw ValidationError("--plan and --sql show different things; give one") }
    if from != nil && !plan { throw ValidationError("--from only goes with --plan (with --sql, write FROM:TO)") }
    if target.contains(":") && !sql {
      throw ValidationError("ranges (FROM:TO) are only for --sql and history; give a single target")
    }
    if target.split(separator: ":", omittingEmptySubsequences: false).count > 2 {
      throw ValidationError("a range has one ':' (FROM:TO), not '\(target)'")
    }
  }
}

/// Ctrl-C during a run: the first asks the runner to stop (the revision under way is rolled
/// back, the ones before it stay, and the run ends with what it did, exit 130); a second one
/// ends the process at once.
enum Interrupts {
  static func catchCtrlC() {
    signal(SIGINT) { _ in
      if RunInterrupt.isRequested { _exit(130) }
      RunInterrupt.request()
    }
    // A parent may have started this process with SIGINT blocked (the mask is inherited).
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }
}

/// `--tag` (Alembic's, for env.py): accepted, and said to do nothing.
enum TagNote {
  static func say(_ tag: String) {
    FileHandle.standardError.write(
      Data(
        "note: --tag \(tag) has no effect in revgraph (Alembic hands it to env.py, which revgraph does not run)\n".utf8)
    )
  }
}

/// Runs upgrade and downgrade in their three modes: online, `--plan` and `--sql`.
struct MigrateCommand {
  let direction: Plan.Direction
  let source: SourceOptions
  let output: OutputOptions
  let database: DatabaseOptions
  let options: MigrateOptions

  func run() throws {
    if let tag = options.tag { TagNote.say(tag) }
    if !options.sql && !options.plan { Interrupts.catchCtrlC() }
    try output.run {
      if options.sql {
        try runOffline()
        return ""
      }
      let (project, graph) = try source.loadProject()
      if options.plan {
        let rows = try database.currentRows(project, graph, from: options.from) ?? []
        return PlanRenderer(graph: graph, format: output.format).render(try plan(graph, to: options.target, from: rows))
      }
      let runner = try database.runner(project, graph)
      let progress = ProgressPrinter(graph: graph, format: output.format)
      let outcome: MigrationRunner.Outcome
      do {
        outcome =
          direction == .upgrade
          ? try runner.upgrade(to: options.target, progress: progress.report)
          : try runner.downgrade(to: options.target, progress: progress.report)
      } catch {
        progress.interrupted()
        throw error
      }
      return progress.summary(outcome, runner: runner, target: options.target, direction: direction.rawValue)
    }
  }

  /// The plan of this command's direction.
  func plan(_ graph: RevisionGraph, to target: String, from rows: [String]) throws -> Plan {
    direction == .upgrade
      ? try graph.upgradePlan(to: target, from: rows) : try graph.downgradePlan(to: target, from: rows)
  }

  /// Writes the offline script (`--sql`).
  func runOffline() throws {
    let project = try source.loadConfig()
    let dialect = try database.offlineDialect(project)
    var contents: RevisionFileContents?
    var preparation: OfflineScript.Preparation?
    let graph: RevisionGraph
    if spansBase(project) {
      let files = try source.loadFilesWithContents(project: project)
      contents = files.contents
      // The sections are worked out on another thread while this one builds and plans.
      preparation = OfflineScript.Preparation(
        records: files.records, contents: files.contents, direction: direction, dialect: dialect)
      graph = try source.graph(of: files.records)
    } else {
      graph = try source.loadGraph(project: project)
    }
    let (rows, target) = try offlineStart(project, graph)
    let plan = try plan(graph, to: target, from: rows)
    ProcessLifetime.keep((plan, contents, preparation))
    let script = try database.offlineScript(project, graph, contents: contents, preparation: preparation)
    if output.format == .json {
      try StandardOutput.write(PlanRenderer.jsonUTF8(plan, sql: try script.renderUTF8(plan)))
    } else {
      try StandardOutput.write(parts: try script.renderParts(plan))
    }
  }

  /// Whether the offline script is known, before the history is loaded, to run between base
  /// and its other end: an upgrade from `base` (FROM is `base` or empty, or there is no FROM
  /// and the database is missing or holds no revision), or a downgrade to `base`
  /// (`FROM:base`).
  ///
  /// Such a script usually covers most of the history, so each file is read once, for its
  /// header (taken from the header cache when the file is unchanged) and its sections,
  /// instead of being checked against the cache for the plan and read again for its
  /// sections; other scripts (from a database's rows, to a revision) are usually short, and
  /// read only their own files a second time.
  func spansBase(_ project: ProjectConfig) -> Bool {
    let range = OfflineRange(options.target)
    if direction == .downgrade { return range.start != nil && range.end == "base" }
    if let start = range.start { return start.isEmpty || start == "base" }
    return database.setting(project) == nil || database.isKnownEmpty(project)
  }

  /// The rows an offline script starts from: FROM of FROM:TO, else the database's rows
  /// (read only), else an empty table.
  func offlineStart(_ project: ProjectConfig, _ graph: RevisionGraph) throws -> ([String], String) {
    let range = OfflineRange(options.target)
    if let start = range.start { return (try graph.offlineStart(start), range.end.isEmpty ? "heads" : range.end) }
    if let rows = try database.currentRows(project, graph, from: nil) { return (rows, options.target) }
    if direction == .downgrade {
      throw RunnerError.invalidRequest(
        "downgrade --sql needs a start: give FROM:TO (e.g. heads:base) or configure a database to start from")
    }
    return ([], options.target)
  }
}

extension Revgraph {
  struct Upgrade: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "upgrade",
      abstract: "Apply revisions up to a target.",
      discussion: """
        Each revision runs under its own savepoint with its version-table and log rows; \
        revisions are committed in groups (about every 200 ms) and at the end; a failing \
        revision leaves the database at the revision before it. \
        --plan shows the steps, --sql the SQL, without writing to the database.

        Examples:
          revgraph upgrade heads
          revgraph upgrade +1 --plan
          revgraph upgrade base:heads --sql > upgrade.sql
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: MigrateOptions

    func run() throws {
      try MigrateCommand(direction: .upgrade, source: source, output: output, database: database, options: options)
        .run()
    }
  }

  struct Downgrade: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "downgrade",
      abstract: "Revert revisions down to a target.",
      discussion: """
        Runs each revision's '-- +downgrade' section under its own savepoint, newest first. \
        --plan shows the steps, --sql the SQL (give FROM:TO when no database is configured), \
        without writing to the database.

        Examples:
          revgraph downgrade -1
          revgraph downgrade base --plan
          revgraph downgrade heads:base --sql > downgrade.sql
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: MigrateOptions

    func run() throws {
      try MigrateCommand(direction: .downgrade, source: source, output: output, database: database, options: options)
        .run()
    }
  }
}

/// Prints each step as it starts (`Running upgrade a -> b, message`) and its time when it is
/// done (text), and the summary at the end; `-q/--quiet` keeps the steps quiet. On a terminal
/// the line is printed when the step starts; into a file or a pipe, whole when it is done
/// (one write per step).
struct ProgressPrinter {
  let graph: RevisionGraph
  let format: OutputOptions.Format
  var quiet = GlobalOptions.current.quiet
  /// The step under way (shared by the copies the runner calls).
  private let running = Running()
  private let live = isatty(STDOUT_FILENO) == 1

  init(graph: RevisionGraph, format: OutputOptions.Format) {
    self.graph = graph
    self.format = format
  }

  private final class Running: @unchecked Sendable {
    var step: (direction: String, revision: String)?
  }

  func report(_ event: MigrationRunner.Event) {
    guard format == .text, !quiet else { return }
    switch event {
    case .willRun(let direction, let revision, let transactional):
      if !transactional {
        FileHandle.standardError.write(
          Data("note: \(revision) runs outside a transaction (transactional: false)\n".utf8))
      }
      running.step = (direction, revision)
      if live { FileHandle.standardOutput.write(Data(start(direction, revision).utf8)) }
    case .didRun(let step):
      let text = running.step != nil && live ? " (\(step.duration.milliseconds) ms)\n" : line(step) + "\n"
      FileHandle.standardOutput.write(Data(text.utf8))
      running.step = nil
    case .waiting(let holder):
      FileHandle.standardError.write(Data("waiting for the database's run lock: \(holder)\n".utf8))
    }
  }

  /// Ends the line of a step that will not get its time: the run failed (the error follows).
  func interrupted() {
    guard let (direction, revision) = running.step else { return }
    FileHandle.standardOutput.write(Data(((live ? "" : start(direction, revision)) + " failed\n").utf8))
    running.step = nil
  }

  /// `Running upgrade a -> b, message`.
  func start(_ direction: String, _ id: String) -> String {
    guard let node = graph.index(of: id) else { return "Running \(direction) \(id)" }
    let parents = graph.parentIndices(node).map(graph.id).joined(separator: ", ")
    let arrow = direction == "upgrade" ? "\(parents) -> \(id)" : "\(id) -> \(parents)"
    let message = graph.record(node).message
    return "Running \(direction) \(arrow)\(message.isEmpty ? "" : ", \(message)")"
  }

  func line(_ step: MigrationRunner.StepResult) -> String {
    guard step.direction != "stamp" else {
      let from = step.replaced.isEmpty ? "base" : step.replaced.joined(separator: ", ")
      return "Stamped \(from) -> \(step.revision ?? "base")"
    }
    guard let id = step.revision else { return "" }
    return start(step.direction, id) + " (\(step.duration.milliseconds) ms)"
  }

  func summary(_ outcome: MigrationRunner.Outcome, runner: MigrationRunner, target: String, direction: String)
    -> String
  {
    if quiet && format == .text { return "" }
    if format == .json {
      let steps = outcome.steps.map { step in
        JSON.object([
          ("direction", .string(step.direction)), ("revision", step.revision.map(JSON.string) ?? .null),
          ("replaced", JSON.strings(step.replaced)), ("version_table", JSON.strings(step.versionTable)),
          ("duration_ms", .int(step.duration.milliseconds)),
          ("transactional", .bool(step.transactional)), ("statements", .int(Int64(step.statements))),
        ])
      }
      return JSON.object([
        ("database", .string(runner.location.path ?? runner.location.displayName)), ("direction", .string(direction)),
        ("target", .string(target)),
        ("from", JSON.strings(outcome.from)), ("steps", .array(steps)),
        ("version_table", JSON.strings(outcome.versionTable)),
      ]).rendered() + "\n"
    }
    let name = runner.location.displayName
    let rows =
      outcome.versionTable.isEmpty ? "base (no revision applied)" : outcome.versionTable.joined(separator: ", ")
    if outcome.steps.isEmpty { return "Nothing to do: \(name) is at \(rows).\n" }
    let count = outcome.steps.count
    return "\(name) is now at \(rows) (\(count) \(count == 1 ? "step" : "steps")).\n"
  }
}

/// `FROM:TO` of an offline (`--sql`) command: `start` is nil when the text has no colon.
struct OfflineRange {
  var start: String?
  var end: String

  init(_ text: String) {
    guard let colon = text.firstIndex(of: ":") else {
      start = nil
      end = text
      return
    }
    start = String(text[..<colon])
    end = String(text[text.index(after: colon)...])
  }
}

/// A single target that may start with '-' (`-1`), collected from otherwise unparsed words.
enum TargetArgument {

  static func check(_ words: [String]) throws {
    if let option = words.first(where: { $0.hasPrefix("--") }) {
      throw ValidationError("unknown option '\(option)'")
    }
    guard words.count == 1 else {
      throw ValidationError(
        words.isEmpty ? "missing target" : "give one target, not \(words.count): \(words.joined(separator: " "))")
    }
  }
}
