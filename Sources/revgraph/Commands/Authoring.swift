import ArgumentParser
import Foundation
import Graph
import Project
import Schema

extension Revgraph {
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init",
      abstract: "Create a project: revgraph.toml, DIR/versions/ and DIR/script.sql.template.",
      discussion: """
        Examples:
          revgraph init migrations
          revgraph init migrations --database sqlite:///dev.db --version-table schema
        """)
    @Argument(
      help: ArgumentHelp("The migrations directory to create (e.g. migrations).", valueName: "directory"),
      completion: .directory)
    var directory: String
    @Option(help: "The database: a path or sqlite:///path (relative to revgraph.toml).")
    var database = "sqlite:///app.db"
    @Option(help: "The version table's name.") var versionTable = "revgraph_version"

    func run() throws {
      let fm = FileManager.default
      let cwd = fm.currentDirectoryPath
      let configPath = URL(fileURLWithPath: "revgraph.toml", relativeTo: URL(fileURLWithPath: cwd)).path
      for existing in ["revgraph.toml", "alembic.ini"] where fm.fileExists(atPath: existing) {
        throw ValidationError(
          "\(existing) already exists here: this directory already holds a project; run init in a new directory")
      }
      let scripts = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: cwd)).standardizedFileURL
      if let contents = try? fm.contentsOfDirectory(atPath: scripts.path), !contents.isEmpty {
        throw ValidationError("\(directory) already exists and is not empty; choose a new directory")
      }
      try fm.createDirectory(at: scripts.appendingPathComponent("versions"), withIntermediateDirectories: true)
      try Data(NativeRevision.defaultTemplate.utf8).write(to: scripts.appendingPathComponent("script.sql.template"))
      let toml = """
        # revgraph project: see docs/file-format.md and docs/tutorial.md
        script_location = \(Self.quoted(directory))
        # A path or sqlite:///relative/path.db (relative to this file); --url or REVGRAPH_DATABASE override it.
        database = \(Self.quoted(database))
        version_table = \(Self.quoted(versionTable))
        file_template = "%(rev)s_%(slug)s"
        truncate_slug_length = 40
        # Seconds to wait for another process's lock (--lock-timeout overrides it).
        # lock_timeout = 30

        """
      try Data(toml.utf8).write(to: URL(fileURLWithPath: configPath))
      print(
        """
        Created revgraph.toml, \(directory)/versions/ and \(directory)/script.sql.template.
        Next: revgraph revision -m "create users"   (then fill in its -- +upgrade and -- +downgrade sections)
        """)
    }

    static func quoted(_ text: String) -> String {
      "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
  }

  struct Revision: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "revision",
      abstract: "Write a new native SQL revision from DIR/script.sql.template.",
      discussion: """
        The new revision builds on the single head (--head picks another parent, 'base' starts \
        a new root, 'heads' merges all heads). Prints the path it wrote.

        Examples:
          revgraph revision -m "create users"
          revgraph revision -m "add audit log" --head base --branch-label audit
          revgraph revision --autogenerate -m "add email column"
        """)
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .shortAndLong, help: "The message (also the file name's slug).") var message = ""
    @Option(
      help: "The parent: head (default), a revision, label@head, heads, or base.",
      completion: .custom(TargetCompletion.complete))
    var head = "head"
    @Flag(help: "Allow a parent that is not a head (starts a new branch).") var splice = false
    @Option(help: "A branch label for the new revision.") var branchLabel: String?
    @Option(
      parsing: .upToNextOption, help: "Revisions or labels the new revision depends on.",
      completion: .custom(TargetCompletion.complete))
    var dependsOn: [String] = []
    @Option(help: "The revision id (default: 12 random hex digits).") var revId: String?
    @Option(help: "The version directory (one of version_locations).") var versionPath: String?
    @Flag(
      help: ArgumentHelp(
        "Fill the revision from the difference between the declared schema (schema.sql) and the schema its parents produce.",
        discussion: "The migrations are replayed on an in-memory database; the real database is never opened."))
    var autogenerate = false
    @Option(
      name: .customLong("rename-table"),
      help: ArgumentHelp("With --autogenerate: table OLD is renamed to NEW (never guessed).", valueName: "OLD:NEW"))
    var renameTables: [String] = []
    @Option(
      name: .customLong("rename-column"),
      help: ArgumentHelp(
        "With --autogenerate: column OLD of TABLE (its name at head) is renamed to NEW.", valueName: "TABLE.OLD:NEW"))
    var renameColumns: [String] = []

    func validate() throws {
      if !autogenerate && !(renameTables.isEmpty && renameColumns.isEmpty) {
        throw ValidationError("--rename-table and --rename-column only apply with --autogenerate")
      }
    }

    func run() throws {
      try output.run {
        let (project, graph) = try source.loadProject()
        guard project.kind == .revgraph else { throw AuthoringError.notNative(project.configPath) }
        let templatePath = URL(fileURLWithPath: project.scriptLocation).appendingPathComponent("script.sql.template")
          .path
        let template =
          FileManager.default.contents(atPath: templatePath).map { String(decoding: $0, as: UTF8.self) }
          ?? NativeRevision.defaultTemplate
        let request = NativeRevision.Request(
          message: message, head: head, splice: splice, branchLabels: branchLabel.map { [$0] } ?? [],
          dependsOn: dependsOn, revisionID: revId, versionPath: versionPath,
          arguments: GlobalOptions.current.argumentValues)
        var planned = try NativeRevision.plan(
          request, config: project, graph: graph, template: template, date: CreateDate.now())
        let generated = try autogenerate ? generate(project: project, graph: graph, planned: planned) : nil
        if let generated {
          planned.text = NativeRevision.fillingSections(
            planned.text, upgrade: generated.upgrade, downgrade: generated.downgrade)
        }
        let fm = FileManager.default
        guard !fm.fileExists(atPath: planned.path) else { throw AuthoringError.fileExists(planned.path) }
        let directory = URL(fileURLWithPath: planned.path).deletingLastPathComponent()
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(planned.text.utf8).write(to: URL(fileURLWithPath: planned.path), options: .withoutOverwriting)
        if let generated, output.format == .text, !generated.notices.isEmpty {
          FileHandle.standardError.write(Data(generated.notices.map { "revgraph: \($0)\n" }.joined().utf8))
        }
        if output.format == .json {
          var fields: [(String, JSON)] = [
            ("revision", .string(planned.record.id)), ("path", .string(planned.path)),
            ("down_revision", JSON.strings(planned.record.downRevisions)),
          ]
          if let generated {
            fields += [
              ("changes", JSON.strings(generated.migration.summary)),
              ("warnings", JSON.strings(generated.migration.upgrade.warnings)),
              ("possible_renames", JSON.strings(generated.migration.possibleRenames.map(\.description))),
            ]
          }
          return JSON.object(fields).rendered() + "\n"
        }
        if let generated {
          let count = generated.migration.renames.count + generated.migration.diff.changes.count
          let summary =
            count == 0
            ? "no changes in the schema detected; the revision is empty"
            : "\(count) change\(count == 1 ? "" : "s"): review the SQL before you apply it"
          return "Generated \(DisplayPath.relative(planned.path)) (\(summary))\n"
        }
        return "Generated \(DisplayPath.relative(planned.path))\n"
      }
    }
  }
}
