import ArgumentParser
import Foundation

/// The `revgraph` command line: a branch-aware migration tool and revision-graph toolkit.
@main
struct Revgraph: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revgraph",
    abstract: "Branch-aware database migrations and revision-graph tools (reads Alembic projects too).",
    discussion: """
      Targets follow Alembic's grammar: head, heads, base, ids and unique prefixes, \
      labels, label@head, label@base, rev@head, label@rev, +N, -N, rev+N, label@+N, \
      and ranges a:b for history. See docs/targets.md.

      \(GlobalOptions.help)
      """,
    version: "0.1.0",
    subcommands: [
      Init.self, Revision.self, Upgrade.self, Downgrade.self, Stamp.self, Current.self, Verify.self, Heads.self,
      Branches.self, History.self, Show.self, Resolve.self, GraphDiagram.self, Check.self, MergeRevisions.self,
      Conflicts.self, Rebase.self, EnsureVersion.self, Edit.self, ListTemplates.self,
    ]
  )

  /// Accepts Alembic's attached short form `-r-3:current` (ArgumentParser wants `-r -3:current`).
  /// Takes Alembic's global options off the front (``GlobalOptions``).
  static func main() {
    let rest: [String]
    switch GlobalOptions.commandLine {
    case .success(let split): rest = split.rest
    case .failure(let failure):
      FileHandle.standardError.write(Data("revgraph: error: \(failure)\n".utf8))
      Foundation.exit(ExitCode.validationFailure.rawValue)
    }
    let arguments = rest.flatMap { word -> [String] in
      word.hasPrefix("-r") && word.count > 2 ? ["-r", String(word.dropFirst(2))] : [word]
    }
    // Reads the project's header cache on another thread while ArgumentParser works.
    _ = SourceOptions.prefetch
    main(Array(arguments))
  }
}
