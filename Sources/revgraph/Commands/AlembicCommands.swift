import ArgumentParser
import Foundation
import Graph
import Project
import Runner

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Alembic's remaining commands, as Alembic users type them: `list_templates`,
/// `ensure_version` and `edit`.
extension Revgraph {
  struct ListTemplates: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list_templates", abstract: "List the project templates 'revgraph init' can write.",
      discussion: """
        revgraph has one: a native project (revgraph.toml, DIR/versions/ and \
        DIR/script.sql.template for SQL revisions). An Alembic project needs no init: \
        revgraph reads its alembic.ini as it is.

        Examples:
          revgraph list_templates
          revgraph list_templates | grep native
          revgraph init migrations
        """)

    func run() throws {
      print(
        """
        Available templates:

        native - A revgraph project: revgraph.toml, DIR/versions/ and DIR/script.sql.template (SQL revisions).

        Templates are used via the 'init' command, e.g.:

          revgraph init migrations
        """)
    }
  }

  struct EnsureVersion: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ensure_version",
      abstract: "Create the version table (and revgraph's log table) if they are missing.",
      discussion: """
        Changes nothing else: no revision runs and no row is written.

        Examples:
          revgraph ensure_version
          revgraph ensure_version --sql > tables.sql
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print the SQL instead of running it.") var sql = false

    func run() throws {
      try output.run {
        let (project, graph) = try source.loadProject()
        if sql { return try database.offlineScript(project, graph).renderTables() }
        let runner = try database.runner(project, graph)
        let created = try runner.ensureVersionTable()
        let table = project.versionTable
        let name = runner.location.displayName
        if output.format == .json {
          return JSON.object([
            ("database", .string(name)), ("version_table", .string(table)), ("created", .bool(created)),
          ]).rendered() + "\n"
        }
        return created ? "Created \(table) and \(table)_log in \(name).\n" : "\(name) has \(table) already.\n"
      }
    }
  }

  struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "edit", abstract: "Open the revision file of a target in $VISUAL or $EDITOR.",
      discussion: """
        The target names one revision or several (heads opens each head's file in turn); \
        'current' reads the database.

        Examples:
          revgraph edit head
          revgraph edit ae10
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var query: TargetQuery

    func run() throws {
      try output.run {
        let (project, graph) = try source.loadProject()
        let ids = try database.resolve(query.target, project, graph, from: query.from)
        guard !ids.isEmpty else {
          throw RunnerError.invalidRequest(
            "'\(query.target)' names no revision file (base and an empty database have none); name a revision")
        }
        let environment = ProcessInfo.processInfo.environment
        guard let editor = ["VISUAL", "EDITOR"].lazy.compactMap({ environment[$0] }).first(where: { !$0.isEmpty })
        else {
          throw RunnerError.invalidRequest(
            "no editor: set EDITOR (e.g. export EDITOR=vi), or open the file yourself: "
              + ids.compactMap { graph.index(of: $0).map { DisplayPath.relative(graph.record($0).path) } }
              .joined(separator: " "))
        }
        for id in ids {
          guard let node = graph.index(of: id) else { continue }
          try Self.open(graph.record(node).path, with: editor)
        }
        return ""
      }
    }

    /// Runs `editor PATH` through the shell (an editor setting may carry arguments, such as
    /// `code --wait`), attached to this terminal, and waits for it.
    static func open(_ path: String, with editor: String) throws {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = ["-c", "\(editor) \(ShellWord.quoted(path))"]
      try process.run()
      process.waitUntilExit()
      guard process.terminationStatus == 0 else {
        throw RunnerError.invalidRequest(
          "the editor '\(editor)' exited with status \(process.terminationStatus) for \(DisplayPath.relative(path))")
      }
    }
  }
}
