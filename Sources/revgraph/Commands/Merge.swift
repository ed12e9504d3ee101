import ArgumentParser
import Foundation
import Graph
import Merge
import Project

extension Revgraph {
  struct MergeRevisions: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "merge",
      abstract: "Write a merge revision whose down_revision is the given heads.",
      discussion: """
        Prints which database objects the merged branches both touch (see `revgraph conflicts`), then \
        writes the merge in the project's format: a native .sql file with empty sections, or an Alembic \
        script like `alembic merge` writes.

        Without --rev-id the merge is deterministic: its parents are sorted, its id is the first 12 hex \
        digits of the SHA-256 of the sorted parent ids (each followed by a newline), and its create date \
        is the latest create date of its parents. Two people merging the same heads write the same \
        file under the same name, so git shows one file instead of two merges. See docs/team-workflow.md.

        Examples:
          revgraph merge heads
          revgraph merge audit@head billing@head -m "merge billing" --dry-run
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @Argument(
      help: ArgumentHelp(
        "The revisions to merge: heads, ids, prefixes, label@head, … (two or more heads in all).",
        valueName: "revisions"),
      completion: .custom(TargetCompletion.complete))
    var revisions: [String]
    @Option(name: [.short, .long], help: "The message (default: 'merge <a> and <b>', the same on every clone).")
    var message: String?
    @Option(name: .customLong("branch-label"), help: "A branch label for the merge revision (repeatable).")
    var branchLabels: [String] = []
    @Option(name: .customLong("rev-id"), help: "An explicit revision id (the merge is then dated now, not derived).")
    var revID: String?
    @Flag(help: "Allow revisions that are not heads (starts a new branch from them).")
    var splice = false
    @Flag(help: "Print the file that would be written instead of writing it.")
    var dryRun = false

    func run() throws {
      try output.run {
        let project = try source.loadConfig()
        let graph = try source.loadGraph(project: project)
        let request = MergeRequest(
          revisions: revisions, message: message, branchLabels: branchLabels, revisionID: revID, splice: splice)
        let plan = try MergePlanner(graph: graph, project: project).plan(request)
        let report = try ConflictAnalyzer(graph: graph).analyze(heads: plan.revision.parents)
        if !dryRun { try plan.file.write(replacing: false) }
        let path = DisplayPath.relative(plan.file.path)
        if output.format == .json {
          return JSON.object(
            [
              ("revision", .string(plan.revision.id)), ("down_revisions", JSON.strings(plan.revision.parents)),
              ("path", .string(path)), ("deterministic", .bool(plan.isDeterministic)), ("written", .bool(!dryRun)),
              ("conflicts", ConflictRenderer(report: report).json()),
            ] + (dryRun ? [("contents", .string(plan.file.text))] : [])
          ).rendered() + "\n"
        }
        var out = ConflictRenderer(report: report).text()
        if dryRun {
          out += "would write \(path):\n" + plan.file.text
        } else {
          out += "Generating \(plan.file.path) ...  done\n"
        }
        return out
      }
    }
  }
}
