import ArgumentParser
import Foundation
import Graph
import Project

/// The database state to mark in diagrams (`graph` and `history --graph`): the configured
/// database's rows, read without writing; nil when no database is configured or it cannot
/// be read (the diagram is still drawn, with a note on stderr).
func diagramState(for graph: RevisionGraph, source: SourceOptions, database: DatabaseOptions) -> DiagramState? {
  do {
    let project = try source.loadConfig()
    guard database.setting(project) != nil else { return nil }
    let runner = try database.runner(project, graph)
    let rows = try runner.knownRows(runner.readRows() ?? [])
    return DiagramState(versionTable: rows, in: graph)
  } catch {
    let (_, message) = Failure.describe(error)
    FileHandle.standardError.write(Data("revgraph: note: no applied marks (\(message))\n".utf8))
    return nil
  }
}

extension Revgraph {
  struct GraphDiagram: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "graph",
      abstract: "Draw the history as a diagram: DOT text, or SVG and PNG through graphviz.",
      discussion: """
        Writes a Graphviz digraph: one node per revision, edges from down_revision to \
        revision, depends_on dashed, heads, bases, merge and branch points styled, one colour \
        per branch label, and a legend. SVG and PNG run graphviz's 'dot' program. A \
        down_revision naming no file is drawn as a ghost node. See docs/diagrams.md.

        Examples:
          revgraph graph -o history.svg
          revgraph graph --branch audit --direction LR --collapse 5 > audit.dot
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case dot, svg, png
    }

    enum Direction: String, ExpressibleByArgument, CaseIterable {
      case tb = "TB"
      case lr = "LR"

      init?(argument: String) { self.init(rawValue: argument.uppercased()) }
    }

    @OptionGroup var source: SourceOptions
    @OptionGroup var database: DatabaseOptions
    @Option(
      name: [.short, .customLong("rev-range")], parsing: .unconditional,
      help: ArgumentHelp("Only a range start:end, start: or :end (e.g. base:head, ae10:, -3:).", valueName: "range"))
    var range: String?
    @Option(
      help: ArgumentHelp("Only a branch: the heads carrying this label and everything below them.", valueName: "label"))
    var branch: String?
    @Option(help: "dot, svg or png (default: from the -o file's extension, else dot).")
    var format: Format?
    @Option(
      name: [.short, .customLong("output")],
      help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?
    @Option(help: ArgumentHelp("Fold linear runs longer than n revisions into one node.", valueName: "n"))
    var collapse: Int?
    @Option(help: "TB (bases at the top) or LR (bases on the left).")
    var direction: Direction = .tb
    @Flag(inversion: .prefixedNo, help: "Draw a legend.")
    var legend = true

    func validate() throws {
      if let collapse, collapse < 1 {
        throw ValidationError("--collapse needs a number of revisions of at least 1 (got \(collapse))")
      }
    }

    /// The format asked for, else the one the output file's extension names, else DOT.
    var resolvedFormat: Format {
      if let format { return format }
      let ext = output.map { URL(fileURLWithPath: $0).pathExtension.lowercased() } ?? ""
      return Format(rawValue: ext) ?? .dot
    }

    func run() throws {
      do {
        try draw()
      } catch {
        FileHandle.standardError.write(Data("revgraph: error: \(Failure.describe(error).message)\n".utf8))
        throw ExitCode(Failure.exitCode(for: error))
      }
    }

    func draw() throws {
      let format = resolvedFormat
      if format == .png && output == nil && isatty(STDOUT_FILENO) != 0 {
        throw DiagramError.binaryToTerminal(format: "png")
      }
      let (graph, missing) = try source.loadDrawableGraph()
      ProcessLifetime.keep(graph)
      let state = diagramState(for: graph, source: source, database: database)
      if let range, state == nil, range.contains(":"), range.split(separator: ":").contains("current") {
        throw DiagramError.currentWithoutDatabase(range: range)
      }
      // The whole history needs no list: the writer draws every revision in history order.
      let revisions =
        range == nil && branch == nil
        ? nil : try graph.revisions(range: range, branch: branch, current: state?.current)
      let writer = DOTWriter(
        direction: direction == .lr ? .leftToRight : .topToBottom, collapse: collapse, includesLegend: legend)
      let dot = writer.renderUTF8(graph, revisions: revisions, missing: missing, state: state)
      if format == .dot && output == nil {
        try StandardOutput.write(dot)
        return
      }
      let data = format == .dot ? Data(dot) : try Graphviz.render(dot, format: format.rawValue)
      if let output {
        do {
          try data.write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
          throw DiagramError.cannotWrite(path: output, reason: (error as NSError).localizedDescription)
        }
      } else {
        FileHandle.standardOutput.write(data)
      }
    }
  }
}

extension SourceOptions {
  /// Loads the history for drawing: references to missing files become ghosts instead of
  /// errors (see ``RevisionGraph/drawable(records:)``).
  func loadDrawableGraph() throws -> (graph: RevisionGraph, missing: [MissingReference]) {
    let project = try loadConfig()
    let records = try RevisionLoader.load(
      locations: project.versionLocations, recursive: project.recursiveVersionLocations, cache: Self.headerCache,
      prefetch: Self.prefetch)
    return try RevisionGraph.drawable(records: records)
  }
}
