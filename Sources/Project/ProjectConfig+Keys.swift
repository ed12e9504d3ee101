import Graph

/// The keys each configuration file may hold, and the checks that use them.
///
/// `revgraph.toml` is revgraph's own file, so a key it does not read is a mistake and an error.
/// `alembic.ini` and `[tool.alembic]` also configure Alembic and its plugins, so a key revgraph
/// does not read is only reported, as a ``ProjectWarning``, when it looks like a misspelling of
/// one it does read and is not one of Alembic's own options.
extension ProjectConfig {
  /// Every key `revgraph.toml` accepts: those ``loadRevgraph(path:)`` reads, plus the
  /// ``settings`` read by name elsewhere (`version_table_schema` here, `lock_timeout` by the
  /// runner's options, `timezone` by merge planning).
  static let revgraphKeys = [
    "script_location", "version_locations", "recursive_version_locations", "database",
    "version_table", "version_table_schema", "file_template", "truncate_slug_length",
    "allow_multiple_heads", "branches", "schema", "lock_timeout", "timezone",
  ]

  /// Keys Alembic users write for another tool's name of a `revgraph.toml` key.
  static let revgraphAliases = ["sqlalchemy": "database", "sqlalchemy.url": "database"]

  /// The `[alembic]` / `[tool.alembic]` keys revgraph reads.
  static let alembicReadKeys = [
    "script_location", "version_locations", "recursive_version_locations", "sqlalchemy.url",
    "version_table", "version_table_schema", "file_template", "truncate_slug_length",
    "allow_multiple_heads", "branches", "path_separator", "version_path_separator",
    "lock_timeout", "timezone",
  ]

  /// Alembic's own options (Alembic 1.16), which revgraph may not read but must not warn about.
  static let alembicOwnKeys: Set<String> = [
    "script_location", "prepend_sys_path", "path_separator", "version_path_separator",
    "version_locations", "recursive_version_locations", "output_encoding", "sqlalchemy.url",
    "file_template", "timezone", "truncate_slug_length", "revision_environment", "sourceless",
    "post_write_hooks",
  ]

  /// The error for the first key of a `revgraph.toml` that revgraph does not read, if any.
  static func unknownRevgraphKey(in file: TOMLFile) -> ProjectError? {
    let unknown = file.root.keys.filter { !revgraphKeys.contains($0) }
    let first = unknown.min { (file.line(of: $0) ?? .max, $0) < (file.line(of: $1) ?? .max, $1) }
    guard let key = first else { return nil }
    return .unknownKey(
      location: file.location(of: key), key: key,
      suggestion: revgraphAliases[key.lowercased()] ?? NearMiss.closest(to: key, among: revgraphKeys),
      accepted: revgraphKeys.sorted())
  }

  /// Warnings for the `keys` of an Alembic file that look like misspellings of keys revgraph
  /// reads, in line order; `line` gives the line of a key, if known.
  static func nearMissWarnings(
    keys: some Sequence<String>, path: String, line: (String) -> Int?
  ) -> [ProjectWarning] {
    var found: [(line: Int?, warning: ProjectWarning)] = []
    for key in Set(keys) where !alembicReadKeys.contains(key) && !alembicOwnKeys.contains(key) {
      guard let suggestion = NearMiss.closest(to: key, among: alembicReadKeys) else { continue }
      let number = line(key)
      let location = number.map { "\(path):\($0)" } ?? path
      found.append((number, .nearMiss(location: location, key: key, suggestion: suggestion)))
    }
    return found.sorted { ($0.line ?? .max, $0.warning.key) < ($1.line ?? .max, $1.warning.key) }
      .map(\.warning)
  }
}

extension ProjectWarning {
  /// The key the warning is about.
  var key: String {
    switch self {
    case .nearMiss(_, let key, _): key
    }
  }
}
