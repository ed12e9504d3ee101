extension ProjectConfig {
  /// Loads a native `revgraph.toml`.
  ///
  /// Top-level keys: `script_location` (required), `version_locations` (array of strings or
  /// one string), `recursive_version_locations` (boolean), `database`, `version_table`,
  /// `file_template` (strings), `truncate_slug_length` (integer), `allow_multiple_heads`
  /// (boolean), `branches` (array of branch labels) and `schema` (the declared schema file
  /// for autogenerate and `check`; default `schema.sql`). Relative paths are
  /// relative to the file's directory. `version_table_schema` and `timezone` (strings) and
  /// `lock_timeout` (seconds) go into ``settings``.
  ///
  /// - Throws: ``ProjectError/unknownKey(location:key:suggestion:accepted:)`` for any other
  ///   key (the first in the file), as a misspelling would otherwise be silently ignored.
  static func loadRevgraph(path: String) throws(ProjectError) -> ProjectConfig {
    let file = try TOMLFile(path: path)
    if let error = unknownRevgraphKey(in: file) { throw error }
    let directory = ConfigPath.parent(path)
    var draft = ConfigDraft()
    for key in file.root.keys {
      guard let value = file.root[key] else { continue }
      switch key {
      case "script_location":
        draft.scriptLocation = ConfigPath.absolute(
          try file.string(value, key: key), relativeTo: directory)
      case "version_locations":
        draft.versionLocations = try file.strings(value, key: key).map {
          ConfigPath.absolute($0, relativeTo: directory)
        }
      case "recursive_version_locations":
        draft.recursiveVersionLocations = try file.bool(value, key: key)
      case "database":
        draft.database = try file.string(value, key: key)
      case "version_table":
        draft.versionTable = try file.string(value, key: key)
      case "file_template":
        draft.fileTemplate = try file.string(value, key: key)
      case "truncate_slug_length":
        draft.truncateSlugLength = try file.int(value, key: key)
      case "allow_multiple_heads":
        draft.allowMultipleHeads = try file.bool(value, key: key)
      case "branches":
        draft.branches = try file.strings(value, key: key)
      case "schema":
        draft.declaredSchema = ConfigPath.absolute(try file.string(value, key: key), relativeTo: directory)
      case "version_table_schema", "timezone":
        draft.settings[key] = try file.string(value, key: key)
      case "lock_timeout":
        draft.settings[key] = try file.numberText(value, key: key)
      default:
        // Only a key of `revgraphKeys` not handled above gets here.
        TOMLFile.flatten(value, key: key, into: &draft.settings)
      }
    }
    return try draft.config(
      kind: .revgraph, configPath: path,
      missing: .missingKey(path: path, section: nil, key: "script_location"))
  }
}
