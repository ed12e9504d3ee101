import Foundation
import Testing

/// Every command's `--help` as a new user reads it (examples, named arguments, flags that
/// exist), and shell completion of targets.
@Suite struct HelpTests {
  /// Every subcommand, in `revgraph --help`'s order.
  static let commandNames = CLITests.commandNames + ["ensure_version", "edit", "list_templates"]

  /// `revgraph <command> --help`, which must succeed.
  static func help(_ command: String) throws -> String {
    let (status, out, errors) = try CLITests.run([command, "--help"], in: FileManager.default.temporaryDirectory)
    #expect(status == 0, "revgraph \(command) --help: \(errors)")
    return out
  }

  /// The command lines under `Examples:`, without their indent.
  static func examples(in help: String) -> [String] {
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
    guard let start = lines.firstIndex(of: "Examples:") else { return [] }
    return lines[(start + 1)...].prefix { $0.hasPrefix("  revgraph ") }.map { String($0.dropFirst(2)) }
  }

  /// The words of a command line as a shell splits it (double quotes only), up to a
  /// redirection or a pipe.
  static func words(_ line: String) -> [String] {
    var words: [String] = []
    var word = ""
    var quoted = false
    var started = false
    for character in line {
      if character == "\"" {
        quoted.toggle()
        started = true
      } else if character == " " && !quoted {
        if started { words.append(word) }
        word = ""
        started = false
      } else {
        word.append(character)
        started = true
      }
    }
    if started { words.append(word) }
    return Array(words.prefix { !["|", ">", ">>", "<"].contains($0) })
  }

  /// The option names the OPTIONS section of a help text declares (`-c`, `--config`,
  /// `--legend`, `--no-legend`, …).
  static func declaredOptions(in help: String) -> Set<String> {
    guard let section = help.range(of: "\nOPTIONS:\n") else { return [] }
    var names = Set<String>()
    for line in help[section.upperBound...].split(separator: "\n") where line.hasPrefix("  -") {
      let synopsis = line.dropFirst(2).prefix { $0 != "<" }.split(separator: "  ").first ?? ""
      for name in synopsis.split(whereSeparator: { ", /".contains($0) }) where name.hasPrefix("-") {
        names.insert(String(name))
      }
    }
    return names
  }

  @Test("the top-level help lists exactly these commands")
  func everyCommand() throws {
    let (_, overview, _) = try CLITests.run(["--help"], in: FileManager.default.temporaryDirectory)
    let section = (overview.components(separatedBy: "SUBCOMMANDS:\n").last ?? "").components(separatedBy: "\n\n")[0]
    let listed = section.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
      .compactMap { $0.split(separator: " ").first.map(String.init) }
    #expect(listed == Self.commandNames)
  }

  @Test("help ends its description with two examples of the command", arguments: commandNames)
  func examples(_ name: String) throws {
    let help = try Self.help(name)
    let own = Self.examples(in: help).filter { $0 == "revgraph \(name)" || $0.hasPrefix("revgraph \(name) ") }
    #expect(own.count >= 2, "revgraph \(name) --help has \(own.count) examples of \(name):\n\(help)")
    let description = help.components(separatedBy: "\nUSAGE:").first ?? ""
    #expect(
      description.hasSuffix("\n  \(Self.examples(in: help).last ?? "?")\n"),
      "the examples end the description of revgraph \(name)")
  }

  @Test("usage and arguments name their values", arguments: commandNames)
  func namedValues(_ name: String) throws {
    let help = try Self.help(name)
    #expect(!help.contains("<words>"), "revgraph \(name) --help shows <words>:\n\(help)")
  }

  @Test("downgrade's examples downgrade, upgrade's upgrade")
  func directions() throws {
    for (name, other) in [("upgrade", "downgrade"), ("downgrade", "upgrade")] {
      let examples = Self.examples(in: try Self.help(name))
      #expect(!examples.isEmpty && examples.allSatisfy { !$0.contains(other) }, "\(name): \(examples)")
    }
  }

  @Test("every option an example uses is one its command declares", arguments: commandNames)
  func exampleOptions(_ name: String) throws {
    for example in Self.examples(in: try Self.help(name)) {
      let words = Self.words(example)
      guard words.count > 1 else { continue }
      let command = words[1]
      #expect(Self.commandNames.contains(command), "\(example): no command \(command)")
      let declared = Self.declaredOptions(in: try Self.help(command))
      let options = words.dropFirst(2).filter { $0.hasPrefix("-") && $0.drop { $0 == "-" }.first?.isLetter == true }
        .map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? $0 }
      for option in options {
        #expect(declared.contains(option), "\(example): revgraph \(command) has no \(option) (it has \(declared))")
      }
    }
  }
}

// MARK: - Shell completion

extension HelpTests {
  /// The shells ArgumentParser writes scripts for.
  static let shells = ["bash", "zsh", "fish"]

  @Test("--generate-completion-script writes a script that completes the commands", arguments: shells)
  func completionScript(_ shell: String) throws {
    let (status, script, errors) = try CLITests.run(
      ["--generate-completion-script", shell], in: FileManager.default.temporaryDirectory)
    #expect(status == 0, "\(shell): \(errors)")
    #expect(script.contains("upgrade") && script.contains("list_templates"))
  }

  /// The arguments that complete targets, as the bash script names them when it calls back.
  static let targetArguments: [(command: String, argument: String)] = [
    ("upgrade", "positional@0"), ("downgrade", "positional@0"), ("stamp", "positional@0"),
    ("show", "positional@0"), ("resolve", "positional@0"), ("edit", "positional@0"), ("merge", "positional@0"),
    ("conflicts", "positional@0"), ("rebase", "positional@0"), ("rebase", "--onto"), ("revision", "--head"),
    ("revision", "--depends-on"),
  ]

  /// A native project with a root `a1b2c3d4e5f6` and a labelled second root.
  static func completionProject() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-help-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    for arguments in [
      ["init", "migrations"], ["revision", "-m", "x", "--rev-id", "a1b2c3d4e5f6"],
      ["revision", "-m", "y", "--rev-id", "0f0f0f0f0f0f", "--head", "base", "--branch-label", "audit"],
    ] {
      let (status, _, errors) = try CLITests.run(arguments, in: root)
      #expect(status == 0, "revgraph \(arguments.joined(separator: " ")): \(errors)")
    }
    return root
  }

  /// What the completion script's callback prints: `revgraph ---completion COMMAND --
  /// ARGUMENT WORD-INDEX CURSOR-INDEX WORDS…` completing the last word, `typed`.
  static func complete(_ command: String, _ argument: String, typed: String, in directory: URL) throws -> (
    lines: [String], errors: String
  ) {
    var line = ["revgraph", command]
    if argument.hasPrefix("-") { line.append(argument) }
    line.append(typed)
    let (status, out, errors) = try CLITests.run(
      ["---completion", command, "--", argument, "\(line.count - 1)", "\(typed.count)"] + line, in: directory)
    #expect(status == 0, "\(command) \(argument): \(errors)")
    return (out.split(separator: "\n").map(String.init), errors)
  }

  @Test("the bash script calls back for each target argument")
  func callbacks() throws {
    let (_, script, _) = try CLITests.run(
      ["--generate-completion-script", "bash"], in: FileManager.default.temporaryDirectory)
    for (command, argument) in Self.targetArguments {
      #expect(script.contains("---completion \(command) -- \(argument) "), "no callback for \(command) \(argument)")
    }
  }

  @Test("targets complete to head, heads, base, labels, label@head and revision ids")
  func targets() throws {
    let root = try Self.completionProject()
    defer { try? FileManager.default.removeItem(at: root) }
    for (command, argument) in Self.targetArguments {
      let (lines, errors) = try Self.complete(command, argument, typed: "", in: root)
      let expected = ["head", "heads", "base", "audit", "audit@head", "a1b2c3d4e5f6", "0f0f0f0f0f0f"]
      #expect(
        lines.prefix(3) == ["head", "heads", "base"] && lines.count == expected.count && Set(lines) == Set(expected),
        "\(command) \(argument): \(lines)")
      #expect(errors.isEmpty)
    }
    #expect(
      try Self.complete("upgrade", "positional@0", typed: "a", in: root).lines == [
        "audit", "audit@head", "a1b2c3d4e5f6",
      ])
    #expect(try Self.complete("rebase", "--onto", typed: "he", in: root).lines == ["head", "heads"])
  }

  @Test("without a readable project, targets complete to head, heads and base, quietly")
  func targetsWithoutProject() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-help-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let none = try Self.complete("upgrade", "positional@0", typed: "", in: root)
    #expect(none.lines == ["head", "heads", "base"] && none.errors.isEmpty)
    try "script_location = [".write(to: root.appendingPathComponent("revgraph.toml"), atomically: true, encoding: .utf8)
    let broken = try Self.complete("show", "positional@0", typed: "", in: root)
    #expect(broken.lines == ["head", "heads", "base"] && broken.errors.isEmpty)
  }
}
