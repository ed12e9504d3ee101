import ArgumentParser
import Foundation
import Graph
import Project

/// Shell completion of targets (`completion: .custom(TargetCompletion.complete)`): the words
/// every project knows, then each branch label and `label@head`, then every revision id of the
/// project in the current directory (or the one `-c/--config` on the line names).
enum TargetCompletion {
  /// The words offered without a project, or when it cannot be read.
  static let fixed = ["head", "heads", "base"]

  /// The candidates starting with `prefix`. `words` is the command line being completed
  /// (ArgumentParser's custom completion protocol); `index` is the word under the cursor.
  /// Never prints: a missing or broken project offers ``fixed`` only.
  @Sendable static func complete(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    let candidates = fixed + ((try? projectWords(config: config(in: words))) ?? [])
    var seen = Set<String>()
    return candidates.filter { $0.hasPrefix(prefix) && seen.insert($0).inserted }
  }

  /// The labels, `label@head` and ids of the project, read without printing warnings.
  static func projectWords(config: String?) throws -> [String] {
    let project = try ProjectConfig.discover(
      explicitPath: config, in: FileManager.default.currentDirectoryPath,
      section: GlobalOptions.current.name ?? ProjectConfig.alembicSection)
    let records = try RevisionLoader.load(
      locations: project.versionLocations, recursive: project.recursiveVersionLocations,
      cache: SourceOptions.headerCache, prefetch: config == nil ? SourceOptions.prefetch : nil)
    let labels = records.flatMap(\.branchLabels)
    return labels + labels.map { "\($0)@head" } + records.map(\.id)
  }

  /// The project file `-c FILE`, `--config FILE` or `--config=FILE` names on the line, if any.
  static func config(in words: [String]) -> String? {
    var config: String?
    for (offset, word) in words.enumerated() {
      if word.hasPrefix("--config=") {
        config = String(word.dropFirst("--config=".count))
      } else if word == "-c" || word == "--config", offset + 1 < words.count {
        config = words[offset + 1]
      }
    }
    return config
  }
}
