import ArgumentParser
import Graph

/// A comma-separated list of revision ids, or `base` for an empty version table.
struct RevisionList: ExpressibleByArgument {
  var ids: [String]
  init?(argument: String) {
    ids =
      argument == "base" || argument.isEmpty
      ? [] : argument.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }
  }
}

extension Revgraph {
  struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "history",
      abstract: "List revisions newest first, optionally within a range start:end.",
      discussion: """
        Examples:
          revgraph history --graph
          revgraph history -r base:current --indicate-current
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var database: DatabaseOptions
    @Option(
      name: [.short, .customLong("rev-range")], parsing: .unconditional,
      help: "A range start:end, start: or :end (e.g. base:head, ae10:, -3:current).")
    var range: String?
    @Option(
      name: .customLong("from"),
      help: "The version table to assume for 'current' and --indicate-current (default: the database's).")
    var from: RevisionList?
    @Flag(name: .shortAndLong, help: "Show each revision in full.") var verbose = false
    @Flag(name: .shortAndLong, help: "Mark the database's revisions (or --from) as (current).")
    var indicateCurrent = false
    @Flag(name: .customLong("graph"), help: "Draw lanes for branches and merges, like git log --graph.")
    var drawsLanes = false
    @Flag(help: "With --graph: plain ASCII instead of box-drawing characters.") var ascii = false

    func validate() throws {
      if ascii && !drawsLanes { throw ValidationError("--ascii changes how --graph draws; add --graph") }
      if drawsLanes && output.format == .json {
        throw ValidationError("--graph draws text; drop --format json (its objects list each revision's parents)")
      }
      if drawsLanes && verbose { throw ValidationError("--graph shows one line per revision; drop --verbose") }
    }

    func run() throws {
      try output.run {
        let (project, graph) = try source.loadProject()
        ProcessLifetime.keep(graph)
        let needsCurrent = indicateCurrent || range?.contains("current") == true
        let current = needsCurrent ? try database.currentRows(project, graph, from: from) : from?.ids
        let list = try graph.history(range: range, current: current)
        var formatter = RevisionFormatter(graph: graph)
        if indicateCurrent, let ids = current {
          formatter.current = Set(try graph.currentRevisions(ids, allowingOverlap: true))
        }
        if drawsLanes {
          let state = diagramState(for: graph, source: source, database: database)
          let layout = LaneLayout(graph, revisions: list)
          try StandardOutput.write(
            layout.renderUTF8(graph, charset: ascii ? .ascii : .unicode, state: state) {
              formatter.appendLaneText($0, to: &$1)
            })
          return ""
        }
        try StandardOutput.write(output.format == .json ? formatter.jsonListUTF8(list) : lines(list, formatter))
        return ""
      }
    }

    /// One line (or, with `--verbose`, one entry) per revision, each ending in a newline.
    func lines(_ list: [RevisionGraph.Index], _ formatter: RevisionFormatter) -> [UInt8] {
      var out = [UInt8]()
      let verbose = verbose
      out.reserveCapacity(list.count * (verbose ? 200 : 64))
      for node in list {
        if verbose {
          out.append(utf8: formatter.verbose(node))
        } else {
          formatter.appendShort(node, .init(parents: true, doc: true), to: &out)
        }
        out.append(UInt8(ascii: "\n"))
      }
      return out
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Show the revisions a target names, in full.",
      discussion: """
        Examples:
          revgraph show head
          revgraph show current --format json
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var query: TargetQuery

    func run() throws {
      try output.run {
        let (project, graph) = try source.loadProject()
        let ids = try database.resolve(query.target, project, graph, from: query.from)
        let nodes = ids.compactMap { graph.index(of: $0) }
        let formatter = RevisionFormatter(graph: graph)
        if output.format == .json { return formatter.jsonList(nodes) }
        return RevisionFormatter.lines(nodes.map(formatter.verbose))
      }
    }
  }

  struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "resolve", abstract: "Print the revision ids a target resolves to.",
      discussion: """
        Examples:
          revgraph resolve heads
          revgraph resolve +1 --from ae10
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var query: TargetQuery

    func run() throws {
      try output.run {
        let (project, graph) = try source.loadProject()
        let ids = try database.resolve(query.target, project, graph, from: query.from)
        if output.format == .json {
          return JSON.object([("target", .string(query.target)), ("revisions", JSON.strings(ids))]).rendered() + "\n"
        }
        return RevisionFormatter.lines(ids)
      }
    }
  }
}

/// One target to resolve (`show`, `resolve`), with `--from` for `current` and `+N`.
struct TargetQuery: ParsableArguments {
  @Argument(
    parsing: .allUnrecognized,
    help: ArgumentHelp("A target: id, prefix, label, head, heads, label@head, rev+2, +1, -1, …", valueName: "target"),
    completion: .custom(TargetCompletion.complete))
  var words: [String] = []
  var target: String { words.first ?? "" }
  @Option(name: .customLong("from"), help: "The version table for 'current' and +N (default: the database's).")
  var from: RevisionList?

  func validate() throws { try TargetArgument.check(words) }
}
