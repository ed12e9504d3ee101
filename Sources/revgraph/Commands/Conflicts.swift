import ArgumentParser
import Graph
import Merge

extension Revgraph {
  struct Conflicts: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "conflicts",
      abstract: "Show the database objects several unmerged branches touch.",
      discussion: """
        For the branches from the heads' common ancestor to each head (default: every head), lists the \
        tables, columns, indexes, views and triggers each branch's upgrades create, alter, rename, drop or \
        write rows of, and reports every object touched on more than one branch with each revision, \
        file and line: a conflict when one branch drops, renames or creates what another touches, an \
        overlap when both only alter it. Native revisions are read as SQL; Alembic scripts by their op.* \
        calls (and op.execute SQL).

        Exit status: 0 when nothing conflicts (overlaps alone are fine), 11 when there are conflicts.

        Examples:
          revgraph conflicts
          revgraph conflicts audit@head billing@head --format json
        """)
    static let conflictExitCode: Int32 = 11

    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @Argument(
      help: ArgumentHelp(
        "Two or more revisions to compare (targets such as ids or label@head); default: all heads.",
        valueName: "revisions"),
      completion: .custom(TargetCompletion.complete))
    var revisions: [String] = []

    func validate() throws {
      if revisions.count == 1 { throw ValidationError("give two or more revisions to compare, or none for all heads") }
    }

    func run() throws {
      var conflicts = 0
      try output.run {
        let graph = try source.loadGraph()
        var heads: [String] = []
        if revisions.isEmpty {
          heads = graph.ids(graph.heads)
        } else {
          for argument in revisions {
            for id in try graph.resolve(argument) where !heads.contains(id) { heads.append(id) }
          }
        }
        let report = try ConflictAnalyzer(graph: graph).analyze(heads: heads)
        conflicts = report.conflicts.count
        let renderer = ConflictRenderer(report: report)
        return output.format == .json ? renderer.json().rendered() + "\n" : renderer.text()
      }
      if conflicts > 0 { throw ExitCode(Self.conflictExitCode) }
    }
  }
}
