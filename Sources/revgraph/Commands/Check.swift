import ArgumentParser
import Foundation
import Graph
import Merge
import Project
import Runner
import Schema

extension Revgraph {
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Check the history for everything a team's CI should catch, each with the command that fixes it.",
      discussion: """
        Reads every revision file tolerantly and reports all problems at once. With --base REF it also \
        reports revisions added since REF (a git ref such as origin/main) that do not build on REF's \
        heads: the branch is stale and would add a head when merged.

        Several heads are fine when the config says so: `allow_multiple_heads = true`, or \
        `branches = ["a", "b"]` for one head per named branch (branch label).

        Exit status (with several findings, the lowest code wins):
        \(exitCodeTable)
        See docs/team-workflow.md.

        Examples:
          revgraph check
          revgraph check --base origin/main --format json
        """)

    /// The exit-code lines of the help text and docs.
    static var exitCodeTable: String {
      var lines = [
        "  0   no problems", "  1   check could not run (e.g. unknown --base ref)",
        "  2   project config cannot be read",
      ]
      for kind in CheckFinding.Kind.allCases {
        let code = String(kind.exitCode)
        lines.append("  \(code)\(String(repeating: " ", count: 4 - code.count))\(kind.rawValue): \(kind.summary)")
      }
      return lines.joined(separator: "\n")
    }

    @OptionGroup var source: SourceOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "A git ref (e.g. origin/main): also report revisions added since it that do not build on its heads.")
    var base: String?

    func run() throws {
      var code: Int32 = 0
      try output.run {
        let project = try source.loadConfig()
        let history = try LoadedHistory.load(
          locations: project.versionLocations, recursive: project.recursiveVersionLocations)
        let baseHistory = try base.map { ref in
          let directory = URL(fileURLWithPath: project.configPath).deletingLastPathComponent().path
          return (
            ref: ref,
            history: try LoadedHistory.load(
              gitRef: ref, locations: project.versionLocations, recursive: project.recursiveVersionLocations,
              in: directory)
          )
        }
        let comparison = DatabaseState.changedAppliedRevisions(project: project, history: history, database: database)
        let checker = HistoryChecker(
          policy: HeadPolicy(config: project), commandSuffix: source.commandSuffix,
          displayRoot: FileManager.default.currentDirectoryPath)
        var report = checker.check(
          history, base: baseHistory, changedAppliedRevisions: comparison.changed, versionTable: comparison.rows)
        if case .notCompared(let reason?) = comparison {
          report.notes.append("applied revisions were not compared with their files: \(reason)")
        }
        let declared = schemaFindings(project)
        report.findings += declared.findings
        if !declared.compared && report.findings.isEmpty {
          let (findings, note) = replayFindings(project)
          report.findings += findings
          if let note { report.notes.append(note) }
        }
        code = report.exitCode
        return output.format == .json ? Self.json(report) : Self.text(report)
      }
      if code != 0 { throw ExitCode(code) }
    }

    /// Compares the declared schema with the schema the migrations produce at their heads,
    /// when the project has one (`schema.sql`, or the `schema` key); `compared` is false when
    /// it has none.
    func schemaFindings(_ project: ProjectConfig) -> (findings: [CheckFinding], compared: Bool) {
      let schema = project.declaredSchemaPath
      guard project.kind == .revgraph, schema.configured || FileManager.default.fileExists(atPath: schema.path) else {
        return ([], false)
      }
      return (compareSchema(project, schema: schema), true)
    }

    /// Without a declared schema: replays every revision on an empty in-memory SQLite
    /// database (up to the heads, down to base, up again), skipped when the same files passed
    /// before (a key in the cache directory) and for PostgreSQL projects, whose SQL need not
    /// run on SQLite. The findings, and a note when the replay was not done or stopped early.
    func replayFindings(_ project: ProjectConfig) -> (findings: [CheckFinding], note: String?) {
      guard project.kind == .revgraph else { return ([], nil) }
      if let (setting, _) = database.setting(project), PostgreSQLURL.isPostgreSQL(setting) {
        return ([], "revisions were not replayed (the database is PostgreSQL; the replay runs on SQLite)")
      }
      guard let graph = try? source.loadGraph(project: project) else { return ([], nil) }
      let key = ReplayCheck.key(graph)
      let stamp = key.flatMap { key in SourceOptions.headerCache.map { $0.directory + "/replay/" + key } }
      if let stamp, FileManager.default.fileExists(atPath: stamp) { return ([], nil) }
      let outcome: ReplayCheck.Outcome
      do {
        outcome = try ReplayCheck.run(graph)
      } catch {
        return ([], "revisions were not replayed: \(error)")
      }
      if let failure = outcome.failure {
        let revision: [String]
        let location: [String]
        if case .replayFailed(let id, let path, let line, _, _) = failure {
          revision = [id]
          location = ["\(path):\(line)"]
        } else {
          revision = []
          location = []
        }
        return (
          [
            CheckFinding(
              kind: .invalidSchema, message: failure.description,
              fix: "every revision must run on the ones before it: when two merged branches make the same change, "
                + "keep it in one of them (or move it into a new revision after the merge); when a downgrade does "
                + "not undo its upgrade, fix the downgrade", revisions: revision, locations: location)
          ], nil
        )
      }
      if let stamp {
        try? FileManager.default.createDirectory(
          atPath: (stamp as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: stamp, contents: Data())
      }
      let note = outcome.noDowngrade.map {
        "revisions were replayed up to the heads, not down again: \($0)'s '-- +downgrade' section is missing or empty"
      }
      return ([], note)
    }

    func compareSchema(_ project: ProjectConfig, schema: (path: String, configured: Bool)) -> [CheckFinding] {
      let display = DisplayPath.relative(schema.path)
      do {
        let graph = try source.loadGraph(project: project)
        let comparison = try SchemaComparison(
          graph: graph, targets: ["heads"], declaredPath: schema.path, displayPath: display,
          configured: schema.configured)
        guard !comparison.diff.isEmpty else { return [] }
        let heads = graph.heads.map { graph.record($0).id }
        let at = heads.isEmpty ? "an empty database" : heads.joined(separator: ", ")
        return [
          CheckFinding(
            kind: .schemaDrift,
            message: "\(display) differs from the schema the migrations produce at \(at):\n"
              + comparison.diff.lines.map { "    \($0)" }.joined(separator: "\n"),
            fix: "revgraph revision --autogenerate -m \"MESSAGE\"\(source.commandSuffix) writes the missing migration "
              + "(or change \(display) back)",
            revisions: heads, locations: [display])
        ]
      } catch let error as SchemaError {
        return [
          CheckFinding(
            kind: .invalidSchema, message: error.description,
            fix: "fix the statement named above: \(display) must load into an empty SQLite database, and every "
              + "revision's upgrade must run on the one before it", locations: [display])
        ]
      } catch {
        // The history itself does not load: its findings are already reported.
        return []
      }
    }

    static func text(_ report: CheckReport) -> String {
      let heads = "\(report.heads.count) head\(report.heads.count == 1 ? "" : "s")"
      var out = "revgraph check: \(report.revisionCount) revision files, \(heads)"
      if report.findings.isEmpty {
        out += report.heads.count == 1 ? " (\(report.heads[0])): ok\n" : ": ok\n"
      } else {
        let count = report.findings.count
        out += ": \(count) problem\(count == 1 ? "" : "s") (exit \(report.exitCode))\n"
      }
      for finding in report.findings {
        out += "\(finding.kind.rawValue) [\(finding.kind.exitCode)]: \(finding.message)\n  fix: \(finding.fix)\n"
      }
      for note in report.notes { out += "note: \(note)\n" }
      return out
    }

    static func json(_ report: CheckReport) -> String {
      JSON.object([
        ("ok", .bool(report.findings.isEmpty)), ("exit_code", .int(Int64(report.exitCode))),
        ("revisions", .int(Int64(report.revisionCount))), ("heads", JSON.strings(report.heads)),
        (
          "findings",
          .array(
            report.findings.map { finding in
              .object([
                ("kind", .string(finding.kind.rawValue)), ("exit_code", .int(Int64(finding.kind.exitCode))),
                ("message", .string(finding.message)), ("fix", .string(finding.fix)),
                ("revisions", JSON.strings(finding.revisions)), ("locations", JSON.strings(finding.locations)),
              ])
            })
        ),
        ("notes", JSON.strings(report.notes)),
      ]).rendered() + "\n"
    }
  }
}
