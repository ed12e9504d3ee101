/// A problem in a configuration file that does not stop it from loading.
///
/// The library never prints: the CLI shows ``ProjectConfig/warnings`` on standard error.
public enum ProjectWarning: Equatable, Sendable {
  /// An `alembic.ini` or `[tool.alembic]` key that neither revgraph nor Alembic reads but that
  /// is one or two edits away from a key revgraph reads (`suggestion`); `location` is
  /// `path:line` when the line is known.
  case nearMiss(location: String, key: String, suggestion: String)
}

extension ProjectWarning: CustomStringConvertible {
  public var description: String {
    switch self {
    case .nearMiss(let location, let key, let suggestion):
      "\(location): '\(key)' is neither an option revgraph reads nor one of Alembic's,"
        + " so it is ignored; did you mean `\(suggestion)`?"
    }
  }
}
