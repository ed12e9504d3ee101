import ArgumentParser
import Graph
import Merge
import Project

extension Revgraph {
  struct Rebase: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rebase",
      abstract: "Re-parent the branch starting at REV onto TARGET (a linear history without merge revisions).",
      discussion: """
        Rewrites only REV's down_revision (and, in an Alembic script, its docstring's Revises: line); \
        every other byte of every file stays. Refuses when the result would loop, when REV is a merge \
        revision, and when a moved revision is applied in the configured database.

        Examples:
          revgraph rebase c3d4 --onto main@head --dry-run
          revgraph rebase c3d4 --onto base
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Argument(
      help: ArgumentHelp("The first revision of the branch to move.", valueName: "rev"),
      completion: .custom(TargetCompletion.complete))
    var revision: String
    @Option(
      help: ArgumentHelp(
        "The new parent: a revision, head, label@head, … ('base' makes REV a root).", valueName: "target"),
      completion: .custom(TargetCompletion.complete))
    var onto: String
    @Flag(help: "Print the rewritten file instead of writing it.")
    var dryRun = false

    func run() throws {
      try output.run {
        let project = try source.loadConfig()
        let graph = try source.loadGraph(project: project)
        let state = try DatabaseState.appliedRevisions(project: project, graph: graph, database: database)
        let plan = try RebasePlanner(graph: graph).plan(
          revision: revision, onto: onto, appliedRevisions: state?.applied, versionTable: state?.rows)
        if !dryRun { try plan.file.write(replacing: true) }
        let path = DisplayPath.relative(plan.file.path)
        if output.format == .json {
          return JSON.object([
            ("revision", .string(plan.revision)), ("old_down_revisions", JSON.strings(plan.oldParents)),
            ("down_revisions", JSON.strings(plan.newParents)), ("path", .string(path)),
            ("moved", JSON.strings(plan.moved)), ("heads", JSON.strings(plan.headsAfter)), ("written", .bool(!dryRun)),
          ]).rendered() + "\n"
        }
        func list(_ ids: [String]) -> String { ids.isEmpty ? "(none)" : ids.joined(separator: ", ") }
        var out = dryRun ? "would rewrite \(path):\n" + plan.file.text : "Rewrote \(path)\n"
        out += "\(plan.revision): down_revision \(list(plan.oldParents)) -> \(list(plan.newParents))\n"
        out += "moved: \(list(plan.moved))\nheads now: \(list(plan.headsAfter))\n"
        return out
      }
    }
  }
}
