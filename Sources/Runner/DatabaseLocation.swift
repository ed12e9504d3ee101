import Foundation
import Project

/// Where the database file is, from a SQLAlchemy-style SQLite URL or a plain path.
public struct DatabaseLocation: Sendable, Equatable {
  /// The setting as written.
  public var setting: String
  /// The file path SQLite opens (absolute, or `:memory:`).
  public var path: String

  /// Parses `setting`.
  ///
  /// Accepted: `sqlite:///relative.db`, `sqlite:////absolute.db`, `sqlite+driver:///…`,
  /// `sqlite:///:memory:` and plain paths. Relative paths are taken from `directory`.
  /// - Throws: ``RunnerError/invalidURL(_:reason:)`` for other schemes and malformed URLs.
  public init(_ setting: String, relativeTo directory: String) throws {
    self.setting = setting
    var rest = Substring(setting)
    if let schemeEnd = setting.range(of: "://") {
      let scheme = setting[..<schemeEnd.lowerBound]
      guard scheme == "sqlite" || scheme.hasPrefix("sqlite+") else {
        throw RunnerError.invalidURL(setting, reason: "revgraph runs migrations on SQLite only (not '\(scheme)')")
      }
      rest = setting[schemeEnd.upperBound...]
      guard rest.isEmpty || rest.hasPrefix("/") else {
        throw RunnerError.invalidURL(setting, reason: "a SQLite URL has no host; write three slashes")
      }
      rest = rest.dropFirst()
      if rest.contains("?") {
        throw RunnerError.invalidURL(setting, reason: "query parameters are not supported")
      }
      if rest.isEmpty { rest = ":memory:" }
    }
    guard !rest.isEmpty else { throw RunnerError.invalidURL(setting, reason: "the path is empty") }
    if rest == ":memory:" || rest.hasPrefix("/") {
      path = String(rest)
    } else {
      path =
        URL(fileURLWithPath: String(rest), relativeTo: URL(fileURLWithPath: directory, isDirectory: true))
        .standardizedFileURL.path
    }
  }

  /// The path relative to the current directory when it lies below it, else absolute.
  public var displayName: String { DisplayPath.relative(path) }

  /// True when the file exists (an in-memory database never does).
  public var exists: Bool { path != ":memory:" && FileManager.default.fileExists(atPath: path) }
}
