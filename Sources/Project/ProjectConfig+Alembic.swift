import Foundation
import TOMLKit

/// Reading Alembic projects: `alembic.ini` (section `[alembic]`) and `pyproject.toml`
/// (table `[tool.alembic]`, Alembic 1.16+).
///
/// Relative paths are resolved against the base directory, which stands in for the
/// directory Alembic runs in (Alembic resolves them against its working directory);
/// `%(here)s` is the directory of the file that contains it. Package-resource locations
/// (`mypackage:migrations`) are not supported. Keys revgraph does not read are kept in
/// ``ProjectConfig/settings``; those that look like misspellings of keys it reads become
/// ``ProjectConfig/warnings`` (see `nearMissWarnings(keys:path:line:)`).
extension ProjectConfig {
  /// The INI section Alembic reads by default (`alembic -n NAME` and `revgraph -n NAME` pick
  /// another).
  public static let alembicSection = "alembic"

  /// Loads an `alembic.ini`; if it has no `script_location`, the options come from the
  /// `[tool.alembic]` table of a `pyproject.toml` beside it, and the ini's keys win.
  static func loadAlembicINI(path: String, baseDirectory: String, section: String = alembicSection)
    throws(ProjectError) -> ProjectConfig
  {
    let missing = ProjectError.missingKey(path: path, section: section, key: "script_location")
    let iniDraft = try alembicDraft(iniPath: path, baseDirectory: baseDirectory, section: section)
    if iniDraft.scriptLocation != nil {
      return try iniDraft.config(kind: .alembic, configPath: path, missing: missing)
    }
    let pyproject = ConfigPath.join(ConfigPath.parent(path), "pyproject.toml")
    if isFile(pyproject) {
      let file = try TOMLFile(path: pyproject)
      if let table = try file.table(at: "tool.alembic") {
        let draft = try pyprojectDraft(table, in: file, baseDirectory: baseDirectory).overlaid(
          by: iniDraft)
        return try draft.config(kind: .alembic, configPath: path, missing: missing)
      }
    }
    throw missing
  }

  /// Loads the `[tool.alembic]` table of a `pyproject.toml`; an `alembic.ini` beside it
  /// supplies `sqlalchemy.url` and any other key the table does not set.
  static func loadPyproject(path: String, baseDirectory: String, section: String = alembicSection)
    throws(ProjectError) -> ProjectConfig
  {
    let file = try TOMLFile(path: path)
    guard let table = try file.table(at: "tool.alembic") else {
      throw .missingSection(path: path, section: "tool.alembic")
    }
    var draft = try pyprojectDraft(table, in: file, baseDirectory: baseDirectory)
    let ini = ConfigPath.join(ConfigPath.parent(path), "alembic.ini")
    if isFile(ini) {
      draft = try alembicDraft(iniPath: ini, baseDirectory: baseDirectory, section: section).overlaid(by: draft)
    }
    return try draft.config(
      kind: .alembic, configPath: path,
      missing: .missingKey(path: path, section: "tool.alembic", key: "script_location"))
  }

  /// Whether the `pyproject.toml` at `path` has a `[tool.alembic]` table.
  static func hasAlembicTable(pyproject path: String) throws(ProjectError) -> Bool {
    try TOMLFile(path: path).table(at: "tool.alembic") != nil
  }

  // MARK: - alembic.ini

  private static func alembicDraft(iniPath path: String, baseDirectory: String, section: String)
    throws(ProjectError) -> ConfigDraft
  {
    let ini = try INIFile(
      text: readText(path), path: path, defaults: ["here": ConfigPath.parent(path)])
    var draft = ConfigDraft()
    for key in ini.keys(in: section) where key != "here" {
      guard let entry = ini.entry(key, in: section) else { continue }
      switch key {
      case "script_location":
        let value = try ini.value(key, in: section) ?? ""
        guard !value.isEmpty else {
          throw .invalidValue(
            location: ini.location(of: key, in: section), key: key,
            reason: "it is empty; set it to the script directory, e.g. %(here)s/migrations")
        }
        draft.scriptLocation = ConfigPath.absolute(value, relativeTo: baseDirectory)
      case "version_locations":
        draft.versionLocations = try versionLocations(in: ini, section: section)?.map {
          ConfigPath.absolute($0, relativeTo: baseDirectory)
        }
      case "recursive_version_locations":
        draft.recursiveVersionLocations = try boolean(
          ini.value(key, in: section) ?? "", key: key, in: ini, section: section)
      case "truncate_slug_length":
        let text = try ini.value(key, in: section) ?? ""
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
          throw .invalidValue(
            location: ini.location(of: key, in: section), key: key,
            reason: "expected an integer, found '\(text)'")
        }
        draft.truncateSlugLength = number
      case "file_template":
        draft.fileTemplate = try ini.value(key, in: section)
      case "version_table":
        draft.versionTable = try ini.value(key, in: section)
      case "allow_multiple_heads":
        draft.allowMultipleHeads = try boolean(
          ini.value(key, in: section) ?? "", key: key, in: ini, section: section)
      case "branches":
        draft.branches = (try ini.value(key, in: section) ?? "")
          .split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" }).map(String.init)
      case "sqlalchemy.url":
        // Only env.py interpolates the URL, and only when it connects: keep it raw if it fails.
        draft.database = (try? ini.value(key, in: section)) ?? entry.value
      default:
        draft.settings[key] = (try? ini.value(key, in: section)) ?? entry.value
      }
    }
    draft.warnings = nearMissWarnings(keys: draft.settings.keys, path: path) {
      ini.entry($0, in: section).map(\.line).flatMap { $0 > 0 ? $0 : nil }
    }
    return draft
  }

  /// `version_locations` split as Alembic splits it: on `path_separator` (or the older
  /// `version_path_separator`) when set, else on commas and spaces (the legacy rule, here
  /// also splitting on newlines). Empty entries are dropped.
  private static func versionLocations(in ini: INIFile, section: String) throws(ProjectError) -> [String]? {
    guard let text = try ini.value("version_locations", in: section), !text.isEmpty else {
      return nil
    }
    let separatorKey = ["path_separator", "version_path_separator"].first {
      ini.entry($0, in: section) != nil
    }
    guard let separatorKey else {
      return text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" }).map(String.init)
    }
    let name = try ini.value(separatorKey, in: section) ?? ""
    let separator: String
    switch name {
    case "space": separator = " "
    case "newline": separator = "\n"
    case "os": separator = osPathSeparator
    case ":", ";": separator = name
    default:
      throw .invalidValue(
        location: ini.location(of: separatorKey, in: section), key: separatorKey,
        reason: "'\(name)' is not a path separator; expected 'space', 'newline', 'os', ':' or ';'")
    }
    return text.components(separatedBy: separator)
      .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
      .filter { !$0.isEmpty }
  }

  /// Python's `os.pathsep`.
  private static var osPathSeparator: String {
    #if os(Windows)
      ";"
    #else
      ":"
    #endif
  }

  /// A configparser boolean: `1`/`yes`/`true`/`on` or `0`/`no`/`false`/`off`, any case.
  private static func boolean(_ text: String, key: String, in ini: INIFile, section: String) throws(ProjectError)
    -> Bool
  {
    switch text.lowercased() {
    case "1", "yes", "true", "on": return true
    case "0", "no", "false", "off": return false
    default:
      throw .invalidValue(
        location: ini.location(of: key, in: section), key: key,
        reason: "expected a boolean (true or false), found '\(text)'")
    }
  }

  // MARK: - pyproject.toml

  private static func pyprojectDraft(
    _ table: TOMLTable, in file: TOMLFile, baseDirectory: String
  ) throws(ProjectError) -> ConfigDraft {
    let here = ConfigPath.parent(file.path)
    func expand(_ text: String, key: String) throws(ProjectError) -> String {
      do {
        return try PercentInterpolation.expand(text) {
          (name: String) throws(ProjectError) -> String? in
          name == "here" ? here : nil
        }
      } catch {
        switch error {
        case .unknownKey(let name):
          throw .invalidValue(
            location: file.path, key: key,
            reason: "'%(\(name))s' is unknown (only %(here)s is); write '%%' for a literal '%'")
        case .badPercent(let found):
          throw .invalidValue(
            location: file.path, key: key,
            reason: "'\(found)' is not '%%' or '%(here)s'; write '%%' for a literal '%'")
        case .inner(let underlying):
          throw underlying
        }
      }
    }

    var draft = ConfigDraft()
    for key in table.keys {
      guard let value = table[key] else { continue }
      switch key {
      case "script_location":
        let location = try expand(file.string(value, key: key), key: key)
        draft.scriptLocation = ConfigPath.absolute(location, relativeTo: baseDirectory)
      case "version_locations":
        var locations: [String] = []
        for location in try file.strings(value, key: key) {
          locations.append(
            ConfigPath.absolute(try expand(location, key: key), relativeTo: baseDirectory))
        }
        draft.versionLocations = locations
      case "recursive_version_locations":
        draft.recursiveVersionLocations = try file.bool(value, key: key)
      case "truncate_slug_length":
        draft.truncateSlugLength = try file.int(value, key: key, allowingText: true)
      case "file_template":
        draft.fileTemplate = try expand(file.string(value, key: key), key: key)
      case "version_table":
        draft.versionTable = try expand(file.string(value, key: key), key: key)
      case "allow_multiple_heads":
        draft.allowMultipleHeads = try file.bool(value, key: key)
      case "branches":
        draft.branches = try file.strings(value, key: key)
      default:
        TOMLFile.flatten(value, key: key, into: &draft.settings) {
          (try? expand($0, key: key)) ?? $0
        }
      }
    }
    // `sqlalchemy.url = "…"` is a dotted key: a `sqlalchemy` table holding `url`.
    draft.database = draft.settings.removeValue(forKey: "sqlalchemy.url")
    draft.warnings = nearMissWarnings(keys: draft.settings.keys, path: file.path) {
      file.line(of: "tool.alembic.\($0)")
    }
    return draft
  }
}
