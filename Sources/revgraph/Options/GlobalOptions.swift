import Foundation

/// Alembic's global options, taken before the subcommand as Alembic takes them
/// (`revgraph -c alembic.ini -x tenant=acme upgrade head`): `-c/--config FILE`,
/// `-n/--name SECTION`, `-x KEY=VALUE` (repeatable), `--raiseerr`, `-q/--quiet`.
///
/// `Revgraph.main` takes them off the front of the arguments before ArgumentParser sees the
/// rest; `-c` is handed on to the subcommand (which also takes it after its name).
struct GlobalOptions: Sendable, Equatable {
  var config: String?
  var name: String?
  /// `-x` arguments in order, as given (`KEY=VALUE`, or a bare `KEY`).
  var arguments: [String] = []
  var raiseErr = false
  var quiet = false

  /// The words Alembic's global options take, for `--help`.
  static let help = """
    Global options (before the subcommand, as Alembic takes them): -c/--config FILE (the project \
    file), -n/--name SECTION (the alembic.ini section, default alembic), -x KEY=VALUE (repeatable; \
    ${x.KEY} in revision templates), --raiseerr (full error detail), -q/--quiet (no progress lines).
    """

  /// What went wrong taking the global options off the arguments.
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// This process's global options and the arguments left for ArgumentParser; or why the
  /// options could not be read.
  static let commandLine: Result<(options: GlobalOptions, rest: [String]), Failure> = split(
    Array(CommandLine.arguments.dropFirst()))

  /// This process's global options (none when they could not be read: `main` has exited then).
  static var current: GlobalOptions { (try? commandLine.get().options) ?? GlobalOptions() }

  /// Takes the global options off the front of `words`; `-c` is put back after the
  /// subcommand's name.
  static func split(_ words: [String]) -> Result<(options: GlobalOptions, rest: [String]), Failure> {
    var options = GlobalOptions()
    var index = 0
    func value(_ option: String) -> Result<String, Failure> {
      guard index + 1 < words.count, !words[index + 1].hasPrefix("-") || words[index + 1] == "-" else {
        return .failure(
          Failure(description: "\(option) needs a value (e.g. revgraph \(option) \(example(option)) upgrade head)"))
      }
      index += 2
      return .success(words[index - 1])
    }
    loop: while index < words.count {
      let word = words[index]
      let (option, attached) =
        word.hasPrefix("--") && word.contains("=")
        ? (String(word[..<(word.firstIndex(of: "=") ?? word.endIndex)]), String(word.drop { $0 != "=" }.dropFirst()))
        : (word, nil)
      switch option {
      case "-c", "--config", "-n", "--name", "-x":
        let given: String
        if let attached {
          given = attached
          index += 1
        } else {
          switch value(option) {
          case .success(let text): given = text
          case .failure(let failure): return .failure(failure)
          }
        }
        switch option {
        case "-c", "--config": options.config = given
        case "-n", "--name": options.name = given
        default: options.arguments.append(given)
        }
      case "--raiseerr":
        options.raiseErr = true
        index += 1
      case "-q", "--quiet":
        options.quiet = true
        index += 1
      default:
        break loop
      }
    }
    var rest = Array(words[index...])
    if let config = options.config {
      guard let command = rest.first else {
        return .failure(
          Failure(
            description: "-c/--config names the project file for a subcommand; give one after it "
              + "(e.g. revgraph -c \(config) heads)"))
      }
      // `revgraph -c FILE --help` shows the help, as Alembic does.
      if !command.hasPrefix("-") { rest.insert(contentsOf: ["-c", config], at: 1) }
    }
    return .success((options, rest))
  }

  private static func example(_ option: String) -> String {
    switch option {
    case "-c", "--config": "alembic.ini"
    case "-n", "--name": "SECTION"
    default: "KEY=VALUE"
    }
  }

  /// The `-x` arguments as `KEY: VALUE` (a bare `KEY` has an empty value; a later one wins).
  var argumentValues: [String: String] {
    var values = [String: String]()
    for argument in arguments {
      let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      values[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
    }
    return values
  }
}
