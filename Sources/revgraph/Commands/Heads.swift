import ArgumentParser
import Graph

extension Revgraph {
  struct Heads: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "heads",
      abstract: "List the head revisions (effective heads included), in file order.",
      discussion: """
        Examples:
          revgraph heads
          revgraph heads --verbose --resolve-dependencies
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @Flag(name: .shortAndLong, help: "Show each head in full.") var verbose = false
    @Flag(help: "Only real heads: leave out revisions that others depend on.") var resolveDependencies = false

    func run() throws {
      try output.run {
        let graph = try source.loadGraph()
        let heads = resolveDependencies ? graph.realHeads : graph.heads
        let formatter = RevisionFormatter(graph: graph)
        if output.format == .json { return formatter.jsonList(heads) }
        return RevisionFormatter.lines(
          heads.map { verbose ? formatter.verbose($0) : formatter.short($0, .init(tree: false)) })
      }
    }
  }

  struct Branches: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "branches",
      abstract: "List the branch points, each with the revisions it branches into.",
      discussion: """
        Examples:
          revgraph branches
          revgraph branches --verbose
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @Flag(name: .shortAndLong, help: "Show branch points in full and children with messages.") var verbose = false

    func run() throws {
      try output.run {
        let graph = try source.loadGraph()
        let points = try graph.history().filter { graph.isBranchPoint($0) }
        let formatter = RevisionFormatter(graph: graph)
        if output.format == .json { return formatter.jsonList(points) }
        var out = ""
        for point in points {
          let header = verbose ? formatter.verbose(point) : formatter.short(point, .init())
          let indent = String(repeating: " ", count: graph.id(point).count)
          let children = graph.childIndices(point).map {
            "\(indent) -> \(formatter.short($0, .init(doc: verbose)))"
          }
          out += "\(header)\n\(children.joined(separator: "\n"))\n\n"
        }
        return out
      }
    }
  }
}
