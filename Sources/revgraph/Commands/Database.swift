import ArgumentParser
import Foundation
import Graph
import Project
import Runner

extension Revgraph {
  struct Stamp: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stamp",
      abstract: "Set the version table to targets without running any revision.",
      discussion: """
        Rows on a target's lineage are replaced by it; a target on no row's lineage adds a row; \
        'base' removes rows. --purge empties the table first (the way out of rows naming \
        revisions that no longer exist).

        Examples:
          revgraph stamp heads
          revgraph stamp --purge ae10
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var database: DatabaseOptions
    @Argument(
      parsing: .allUnrecognized,
      help: ArgumentHelp("Targets (ids, labels, heads, base, …); with --sql also FROM:TO.", valueName: "targets"),
      completion: .custom(TargetCompletion.complete))
    var words: [String] = []
    @Flag(help: "Empty the version table first.") var purge = false
    @Flag(help: "Print the SQL instead of running it.") var sql = false
    @Option(help: "Accepted for Alembic's command line; it has no effect (Alembic hands it to env.py).")
    var tag: String?

    func validate() throws {
      if let option = words.first(where: { $0.hasPrefix("--") }) {
        throw ValidationError("unknown option '\(option)'")
      }
      guard !words.isEmpty else { throw ValidationError("missing target (e.g. heads, base, or a revision id)") }
      if sql && purge { throw ValidationError("--purge empties a real table; it cannot be used with --sql") }
      if !sql, let range = words.first(where: { $0.contains(":") }) {
        throw ValidationError("ranges (FROM:TO) are only for --sql, not '\(range)'")
      }
    }

    func run() throws {
      if let tag { TagNote.say(tag) }
      try output.run {
        let (project, graph) = try source.loadProject()
        if sql {
          let ranges = words.map(OfflineRange.init)
          let starts = Set(ranges.map(\.start))
          guard starts.count == 1, let start = starts.first else {
            throw RunnerError.invalidRequest(
              "stamp --sql takes one starting revision for all targets (FROM:TO with the same FROM)")
          }
          let targets = ranges.map(\.end)
          let rows =
            try start.map { try graph.offlineStart($0) } ?? database.currentRows(project, graph, from: nil) ?? []
          let plan = try graph.stampPlan(to: targets, from: rows)
          return try database.offlineScript(project, graph).render(plan)
        }
        let runner = try database.runner(project, graph)
        let progress = ProgressPrinter(graph: graph, format: output.format)
        let outcome = try runner.stamp(words, purge: purge, progress: progress.report)
        return progress.summary(outcome, runner: runner, target: words.joined(separator: " "), direction: "stamp")
      }
    }
  }

  struct Current: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "current",
      abstract: "Show the revisions the database is at.",
      discussion: """
        Reads the database without writing to it (and never creates it).

        Examples:
          revgraph current --verbose
          revgraph current --check-heads
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var database: DatabaseOptions
    @Flag(name: .shortAndLong, help: "Show each revision in full.") var verbose = false
    @Flag(help: "Fail unless the database is at every head.") var checkHeads = false

    func run() throws {
      try output.run {
        let (project, graph) = try source.loadProject()
        let runner = try database.runner(project, graph)
        let stored = try runner.readRows()
        let rows = try runner.knownRows(stored ?? [])
        let tips = try graph.currentTips(rows)
        if checkHeads {
          let heads = graph.heads.map(graph.id)
          guard Set(rows) == Set(heads) else { throw RunnerError.notAtHeads(rows: rows.sorted(), heads: heads) }
        }
        let formatter = RevisionFormatter(graph: graph)
        if output.format == .json {
          return JSON.object([
            ("database", .string(runner.location.displayName)), ("exists", .bool(stored != nil)),
            ("version_table", JSON.strings(rows.sorted())),
            ("current", .array(tips.map(formatter.json))),
          ]).rendered() + "\n"
        }
        if tips.isEmpty {
          let why = stored == nil ? "does not exist yet" : "has no revision applied"
          FileHandle.standardError.write(Data("revgraph: \(runner.location.displayName) \(why) (at base)\n".utf8))
        }
        var lines = tips.map { verbose ? formatter.verbose($0) : formatter.short($0, .init(labels: false)) }
        if verbose { lines.insert("Current revision(s) for \(runner.location.displayName):", at: 0) }
        return RevisionFormatter.lines(lines)
      }
    }
  }

  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify",
      abstract: "Check applied revisions against their files.",
      discussion: """
        Reports applied revisions whose upgrade section changed since it ran (by SHA-256, from \
        the log table) and version-table rows naming revisions that no longer exist. Exits 1 \
        when it finds either. Never writes to the database.

        Examples:
          revgraph verify
          revgraph verify --url sqlite:///prod-copy.db --format json
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
      var clean = true
      try output.run {
        let (project, graph) = try source.loadProject()
        let runner = try database.runner(project, graph)
        let report = try runner.verify()
        clean = report.isClean
        return output.format == .json ? Self.json(report, runner) : Self.text(report, runner)
      }
      if !clean { throw ExitCode(1) }
    }

    static func json(_ report: Verification, _ runner: MigrationRunner) -> String {
      let changed = report.changed.map { item in
        JSON.object([
          ("revision", .string(item.revision)), ("path", .string(item.path)),
          ("applied_checksum", .string(item.appliedChecksum)), ("current_checksum", .string(item.currentChecksum)),
          ("applied_at", .string(item.appliedAt)),
        ])
      }
      return JSON.object([
        ("database", .string(runner.location.displayName)), ("ok", .bool(report.isClean)),
        ("version_table", JSON.strings(report.rows)), ("verified", .int(Int64(report.verified))),
        ("changed", .array(changed)), ("missing", JSON.strings(report.missing)),
        ("unverified", JSON.strings(report.unverified)),
      ]).rendered() + "\n"
    }

    static func text(_ report: Verification, _ runner: MigrationRunner) -> String {
      var lines = [String]()
      for item in report.changed {
        lines.append(
          "changed: \(item.revision) (\(item.path)): its upgrade section was edited after it was applied "
            + "(\(item.appliedAt)); sha256 was \(item.appliedChecksum.prefix(12))…, is now "
            + "\(item.currentChecksum.prefix(12))…. Put the change in a new revision instead "
            + "(git diff shows the edit)")
      }
      for id in report.missing {
        lines.append(
          "missing: \(id) is in the version table \(runner.bookkeeping.versionTable) but no revision file declares "
            + "it (restore the file, or 'revgraph stamp --purge REV')")
      }
      if !report.unverified.isEmpty {
        lines.append(
          "note: \(report.unverified.count) applied revision(s) have no log entry to compare with (stamped, or "
            + "applied by another tool): \(report.unverified.prefix(10).joined(separator: ", "))"
            + (report.unverified.count > 10 ? ", …" : ""))
      }
      let verdict = report.isClean ? "ok" : "FAILED"
      lines.append(
        "verify \(verdict): \(report.verified) verified, \(report.changed.count) changed, "
          + "\(report.missing.count) missing (\(runner.location.displayName))")
      return RevisionFormatter.lines(lines)
    }
  }
}
