import ArgumentParser
import Foundation
import Graph
import Merge
import Project
import Runner
import Schema

/// Where the project is: `-c/--config`, else `revgraph.toml` or `alembic.ini` in the current directory.
struct SourceOptions: ParsableArguments {
  @Option(
    name: [.short, .customLong("config")], help: "The project file (revgraph.toml, alembic.ini or pyproject.toml).")
  var config: String?

  /// Reads the configuration and loads the validated revision graph.
  func loadGraph() throws -> RevisionGraph { try loadProject().graph }

  /// Reads the configuration, printing its warnings on standard error (each once per process).
  func loadConfig() throws -> ProjectConfig {
    let section = GlobalOptions.current.name
    let project = try ProjectConfig.discover(
      explicitPath: config, in: FileManager.default.currentDirectoryPath,
      section: section ?? ProjectConfig.alembicSection)
    if let section, project.kind == .revgraph {
      throw ValidationError(
        "-n/--name \(section) selects a section of an alembic.ini, but the project is \(DisplayPath.relative(project.configPath)), which has none; leave -n out"
      )
    }
    for warning in project.warnings where Self.printedWarnings.insert(warning.description) {
      FileHandle.standardError.write(Data("revgraph: warning: \(warning)\n".utf8))
    }
    return project
  }

  /// The configuration warnings already printed, so a command that loads twice warns once.
  private static let printedWarnings = PrintedWarnings()

  /// A set of messages shared by every caller (`@unchecked Sendable`: guarded by `lock`).
  private final class PrintedWarnings: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: Set<String> = []

    /// Adds `message`; true if it was not there yet.
    func insert(_ message: String) -> Bool {
      lock.withLock { messages.insert(message).inserted }
    }
  }

  /// Reads the configuration and loads the validated revision graph.
  func loadProject() throws -> (config: ProjectConfig, graph: RevisionGraph) {
    let project = try loadConfig()
    return (project, try loadGraph(project: project))
  }

  /// Loads the validated revision graph of a project.
  func loadGraph(project: ProjectConfig) throws -> RevisionGraph {
    let graph = try RevisionLoader.graph(
      locations: project.versionLocations, recursive: project.recursiveVersionLocations, cache: Self.headerCache,
      prefetch: Self.prefetch)
    // Freed only when the process ends (see ProcessLifetime): every command exits right after.
    ProcessLifetime.keep(graph)
    return graph
  }

  /// Reads the revision files of a project once each, for their records and their bytes (see
  /// ``Graph/RevisionLoader/loadWithContents(locations:recursive:cache:)``).
  func loadFilesWithContents(project: ProjectConfig) throws -> RevisionLoader.LoadedFiles {
    let files = try RevisionLoader.loadWithContents(
      locations: project.versionLocations, recursive: project.recursiveVersionLocations, cache: Self.headerCache,
      prefetch: Self.prefetch)
    ProcessLifetime.keep(files)
    return files
  }

  /// The validated revision graph of `records`.
  func graph(of records: [RevisionRecord]) throws -> RevisionGraph {
    let graph = try RevisionGraph(records: records)
    ProcessLifetime.keep(graph)
    return graph
  }

  /// Parsed headers kept between runs (`REVGRAPH_CACHE_DIR=off` turns this off).
  static let headerCache = HeaderCache.standard()

  /// The header cache files of the project in the current directory, read on another thread
  /// while the arguments are parsed (`Revgraph.main` starts it). None when a project file is
  /// named (`-c`/`--config`), which only costs the overlap.
  static let prefetch: HeaderCache.Prefetch? = {
    guard let cache = headerCache,
      !CommandLine.arguments.dropFirst().contains(where: { $0.hasPrefix("-c") || $0.hasPrefix("--config") })
    else { return nil }
    return HeaderCache.Prefetch(cache: cache) {
      try? ProjectConfig.discover(explicitPath: nil, in: FileManager.default.currentDirectoryPath).versionLocations
    }
  }()

  /// ` -c FILE` when a config file was named, for commands printed as fixes.
  var commandSuffix: String { config.map { " -c \($0)" } ?? "" }
}

/// `--format text|json`.
struct OutputOptions: ParsableArguments {
  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  @Option(help: "Output format: text or json.")
  var format: Format = .text

  /// Runs `body`, printing what it returns; on failure prints the error (and, for JSON,
  /// `{"error": {...}}` on stdout) and exits non-zero.
  func run(_ body: () throws -> String) throws {
    do {
      let output = try body()
      if !output.isEmpty { FileHandle.standardOutput.write(Data(output.utf8)) }
    } catch {
      let (kind, message) = Failure.describe(error)
      FileHandle.standardError.write(Data("revgraph: error: \(message)\n".utf8))
      if GlobalOptions.current.raiseErr {
        var detail = ""
        dump(error, to: &detail)
        FileHandle.standardError.write(Data("revgraph: error detail (--raiseerr):\n\(detail)".utf8))
      }
      if format == .json {
        let json = JSON.object([("error", .object([("kind", .string(kind)), ("message", .string(message))]))])
        FileHandle.standardOutput.write(Data((json.rendered() + "\n").utf8))
      }
      throw ExitCode(Failure.exitCode(for: error))
    }
  }
}

/// Maps library errors to a kind, a message and an exit code.
enum Failure {
  static func describe(_ error: Error) -> (kind: String, message: String) {
    switch error {
    case let error as GraphError: (error.kind, error.description)
    case let error as ProjectError: ("invalid-config", error.description)
    case let error as RunnerError: (error.kind, error.description)
    case let error as AuthoringError: (error.kind, error.description)
    case let error as MergeError: (error.kind, error.description)
    case let error as SchemaError: (error.kind, error.description)
    default: ("internal", String(describing: error))
    }
  }

  /// 1 for problems in the request or the history, 2 for a project that cannot be read, 130
  /// for a run stopped by Ctrl-C.
  static func exitCode(for error: Error) -> Int32 {
    if case .interrupted? = error as? RunnerError { return 130 }  // as for SIGINT
    return error is ProjectError ? 2 : 1
  }
}
