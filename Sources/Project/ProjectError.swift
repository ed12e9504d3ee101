/// Everything that can go wrong while finding and reading a project's configuration.
///
/// Each case names the file (and the line, where known) so the user can fix it;
/// ``description`` is the message for people.
public enum ProjectError: Error, Equatable, Sendable {
  /// No `revgraph.toml`, `alembic.ini` or `pyproject.toml` with `[tool.alembic]` was found.
  case noProject(directory: String)
  /// The configuration file named explicitly does not exist.
  case fileNotFound(path: String)
  /// The file exists but could not be read as UTF-8 text.
  case unreadableFile(path: String, reason: String)
  /// The file name says neither TOML nor INI.
  case unsupportedFile(path: String)
  /// The file is not valid TOML or INI; `location` is `path:line`.
  case syntaxError(location: String, reason: String)
  /// A required key is missing (`section` is the INI section or TOML table, if any).
  case missingKey(path: String, section: String?, key: String)
  /// A `pyproject.toml` named explicitly has no `[tool.alembic]` table.
  case missingSection(path: String, section: String)
  /// A key has a value of the wrong type, or one that cannot be used; `location` is
  /// `path:line` when the line is known, else the path.
  case invalidValue(location: String, key: String, reason: String)
  /// A `revgraph.toml` key revgraph does not read; `location` is `path:line` when the line
  /// is known, `suggestion` the accepted key it is probably a misspelling of, and `accepted`
  /// every key the file may hold.
  case unknownKey(location: String, key: String, suggestion: String?, accepted: [String])
}

extension ProjectError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .noProject(let directory):
      return "no project found in \(directory): there is no revgraph.toml, alembic.ini,"
        + " or pyproject.toml with a [tool.alembic] table; run `revgraph init migrations` here"
        + " to create one (revgraph.toml and migrations/), or name a configuration file with -c FILE"
    case .fileNotFound(let path):
      return "\(path): no such configuration file; check the -c/--config path"
    case .unreadableFile(let path, let reason):
      return "\(path): cannot read the file: \(reason)"
    case .unsupportedFile(let path):
      return "\(path): unknown configuration format; name a revgraph.toml or pyproject.toml"
        + " (TOML) or an alembic.ini-style .ini file"
    case .syntaxError(let location, let reason):
      return "\(location): \(reason)"
    case .missingKey(let path, let section, let key):
      let place = section.map { " in [\($0)]" } ?? ""
      let example =
        switch section {
        case "alembic"?: "%(here)s/migrations"
        case "tool.alembic"?: "\"%(here)s/migrations\""
        default: "\"migrations\""
        }
      return "\(path): no '\(key)' key found in configuration\(place);"
        + " add `\(key) = \(example)`"
    case .missingSection(let path, let section):
      return "\(path): no [\(section)] table; add one with at least"
        + " `script_location = \"%(here)s/migrations\"`"
    case .invalidValue(let location, let key, let reason):
      return "\(location): invalid value for '\(key)': \(reason)"
    case .unknownKey(let location, let key, let suggestion?, _):
      return "\(location): unknown key '\(key)'; did you mean `\(suggestion)`?"
    case .unknownKey(let location, let key, nil, let accepted):
      return "\(location): unknown key '\(key)'; remove it, or use one of the keys"
        + " revgraph.toml accepts: \(accepted.joined(separator: ", "))"
    }
  }
}
