import Foundation

@testable import Project

/// A project directory under the system's temporary directory, removed on deinit.
final class TemporaryProject {
  /// The directory's absolute path.
  let root: String

  /// Creates the directory and writes `files` (relative path → contents) into it.
  init(_ files: [String: String] = [:]) throws {
    root =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("revgraph-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    for (name, text) in files { try write(name, text) }
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  /// Writes a file, creating its directories.
  func write(_ name: String, _ text: String) throws {
    let url = URL(fileURLWithPath: root).appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  /// Discovers the project, with paths in the result written relative to `ROOT`.
  func discover(explicitPath: String? = nil) throws -> ProjectConfig {
    relativized(try ProjectConfig.discover(explicitPath: explicitPath, in: root))
  }

  /// `config` with the root directory replaced by `ROOT` in every path and setting.
  func relativized(_ config: ProjectConfig) -> ProjectConfig {
    var result = config
    result.configPath = relativized(config.configPath)
    result.scriptLocation = relativized(config.scriptLocation)
    result.versionLocations = config.versionLocations.map(relativized)
    result.database = config.database.map(relativized)
    result.fileTemplate = config.fileTemplate.map(relativized)
    result.settings = config.settings.mapValues(relativized)
    result.warnings = config.warnings.map { warning in
      switch warning {
      case .nearMiss(let location, let key, let suggestion):
        .nearMiss(location: relativized(location), key: key, suggestion: suggestion)
      }
    }
    return result
  }

  /// `text` with the root directory replaced by `ROOT`.
  func relativized(_ text: String) -> String {
    text.replacingOccurrences(of: ConfigPath.normalize(root), with: "ROOT")
  }
}
