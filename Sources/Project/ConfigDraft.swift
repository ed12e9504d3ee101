/// The settings read from one configuration file, before defaults are filled in.
///
/// Paths are already absolute. Two drafts can be laid over each other (Alembic reads a
/// key from `alembic.ini` first and from `pyproject.toml` only when the ini lacks it).
struct ConfigDraft {
  var scriptLocation: String?
  var versionLocations: [String]?
  var recursiveVersionLocations: Bool?
  var database: String?
  var versionTable: String?
  var fileTemplate: String?
  var truncateSlugLength: Int?
  var allowMultipleHeads: Bool?
  var branches: [String]?
  var declaredSchema: String?
  var settings: [String: String] = [:]
  var warnings: [ProjectWarning] = []

  /// This draft with every value `other` sets taking precedence (and `other`'s warnings first).
  func overlaid(by other: ConfigDraft) -> ConfigDraft {
    ConfigDraft(
      scriptLocation: other.scriptLocation ?? scriptLocation,
      versionLocations: other.versionLocations ?? versionLocations,
      recursiveVersionLocations: other.recursiveVersionLocations ?? recursiveVersionLocations,
      database: other.database ?? database,
      versionTable: other.versionTable ?? versionTable,
      fileTemplate: other.fileTemplate ?? fileTemplate,
      truncateSlugLength: other.truncateSlugLength ?? truncateSlugLength,
      allowMultipleHeads: other.allowMultipleHeads ?? allowMultipleHeads,
      branches: other.branches ?? branches,
      declaredSchema: other.declaredSchema ?? declaredSchema,
      settings: settings.merging(other.settings) { _, new in new },
      warnings: other.warnings + warnings
    )
  }

  /// The finished configuration, with defaults for everything not set.
  ///
  /// - Throws: `missing` when there is no script location.
  func config(kind: ProjectConfig.Kind, configPath: String, missing: ProjectError)
    throws(ProjectError)
    -> ProjectConfig
  {
    guard let scriptLocation else { throw missing }
    return ProjectConfig(
      kind: kind,
      configPath: configPath,
      scriptLocation: scriptLocation,
      versionLocations: versionLocations ?? [ConfigPath.join(scriptLocation, "versions")],
      recursiveVersionLocations: recursiveVersionLocations ?? false,
      database: database,
      versionTable: versionTable ?? (kind == .revgraph ? "revgraph_version" : "alembic_version"),
      fileTemplate: fileTemplate,
      truncateSlugLength: truncateSlugLength,
      allowMultipleHeads: allowMultipleHeads ?? false,
      branches: branches ?? [],
      declaredSchema: declaredSchema,
      settings: settings,
      warnings: warnings
    )
  }
}

/// Lexical path arithmetic (no file system access, symbolic links left alone).
enum ConfigPath {
  /// `path` made absolute against `base` (itself absolute), with `.` and `..` resolved.
  static func absolute(_ path: String, relativeTo base: String) -> String {
    normalize(path.hasPrefix("/") ? path : join(base, path))
  }

  /// `a/b`, without doubling the slash.
  static func join(_ directory: String, _ name: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }

  /// The directory part of an absolute path (`/` for a file at the root).
  static func parent(_ path: String) -> String {
    let normalized = normalize(path)
    guard let slash = normalized.lastIndex(of: "/"), slash != normalized.startIndex else {
      return "/"
    }
    return String(normalized[..<slash])
  }

  /// The last component of a path.
  static func name(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }

  /// Resolves `.`, `..` and repeated slashes in an absolute path.
  static func normalize(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      switch part {
      case ".": continue
      case "..": _ = parts.popLast()
      default: parts.append(part)
      }
    }
    return "/" + parts.joined(separator: "/")
  }
}
