import Foundation

/// A PostgreSQL database setting as the user wrote it, made ready for libpq.
///
/// Accepted: `postgresql://…` and `postgres://…` URLs, SQLAlchemy's forms with a driver
/// (`postgresql+psycopg2://…`, `+psycopg`, `+asyncpg`, `+pg8000`: the driver part is
/// dropped), and libpq key/value strings (`host=localhost dbname=app`). Everything else —
/// `PGHOST`, `PGPASSWORD`, `~/.pgpass`, `PGSERVICE`, `sslmode` in the query — is libpq's.
public struct PostgreSQLURL: Sendable, Equatable {
  /// What libpq is given.
  public let conninfo: String
  /// The setting for messages, log rows and JSON: the password replaced by `***`.
  public let displayName: String

  /// Keywords that start a libpq key/value string.
  private static let keywords: Set<String> = [
    "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "service", "sslmode", "application_name",
    "connect_timeout", "options", "target_session_attrs", "sslrootcert", "sslcert", "sslkey",
  ]

  /// True when `setting` names a PostgreSQL database (a URL of one of its schemes, or a
  /// key/value string).
  public static func isPostgreSQL(_ setting: String) -> Bool {
    if let scheme = scheme(setting) {
      let base = scheme.split(separator: "+", maxSplits: 1).first.map(String.init) ?? scheme
      return base == "postgresql" || base == "postgres"
    }
    return isKeyValue(setting)
  }

  private static func scheme(_ setting: String) -> String? {
    setting.range(of: "://").map { setting[..<$0.lowerBound].lowercased() }
  }

  private static func isKeyValue(_ setting: String) -> Bool {
    let trimmed = setting.trimmingCharacters(in: .whitespaces)
    guard let equals = trimmed.firstIndex(of: "="), !trimmed.contains("://") else { return false }
    let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
    return keywords.contains(key)
  }

  /// Parses `setting`.
  /// - Throws: ``RunnerError/invalidURL(_:reason:)`` (naming the setting without its
  ///   password) for an empty setting, another scheme or a port that is not a number.
  public init(_ setting: String) throws {
    let trimmed = setting.trimmingCharacters(in: .whitespaces)
    if let scheme = Self.scheme(trimmed) {
      let redacted = Self.redactURL(trimmed)
      let parts = scheme.split(separator: "+", maxSplits: 1)
      guard let base = parts.first, base == "postgresql" || base == "postgres" else {
        throw RunnerError.invalidURL(redacted, reason: "'\(scheme)' is not a PostgreSQL URL")
      }
      guard let schemeEnd = trimmed.range(of: "://") else {
        throw RunnerError.invalidURL(redacted, reason: "no '://'")
      }
      let rest = trimmed[schemeEnd.upperBound...]
      let authority = rest.prefix { $0 != "/" && $0 != "?" }
      let hostPart = authority.split(separator: "@").last.map(String.init) ?? ""
      for host in hostPart.split(separator: ",") {
        // host:port, [v6]:port
        guard let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") else { continue }
        let port = host[host.index(after: colon)...]
        guard !port.isEmpty, port.allSatisfy(\.isNumber) else {
          throw RunnerError.invalidURL(redacted, reason: "the port '\(port)' is not a number")
        }
      }
      conninfo = "postgresql://" + rest
      displayName = redacted
    } else {
      guard Self.isKeyValue(trimmed) else {
        throw RunnerError.invalidURL(
          Self.redactKeyValue(trimmed), reason: "not a postgresql:// URL or a libpq key/value string")
      }
      conninfo = trimmed
      displayName = Self.redactKeyValue(trimmed)
    }
  }

  /// `url` with the password of its user information and a `password=` query parameter
  /// replaced by `***`.
  static func redactURL(_ url: String) -> String {
    guard let schemeEnd = url.range(of: "://") else { return url }
    var result = String(url[..<schemeEnd.upperBound])
    let rest = url[schemeEnd.upperBound...]
    let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
    let authority = rest[..<authorityEnd]
    if let at = authority.lastIndex(of: "@") {
      let userInfo = authority[..<at]
      if let colon = userInfo.firstIndex(of: ":") {
        result += userInfo[..<colon] + ":***"
      } else {
        result += userInfo
      }
      result += authority[at...]
    } else {
      result += authority
    }
    var tail = String(rest[authorityEnd...])
    if let mark = tail.firstIndex(of: "?") {
      let query = tail[tail.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false).map {
        parameter -> String in
        parameter.lowercased().hasPrefix("password=") ? "password=***" : String(parameter)
      }
      tail = String(tail[..<mark]) + "?" + query.joined(separator: "&")
    }
    return result + tail
  }

  /// A key/value string with the value of `password` replaced by `***`.
  static func redactKeyValue(_ text: String) -> String {
    var out = ""
    var i = text.startIndex
    while i < text.endIndex {
      // Copy white space, then read `key = value`.
      if text[i].isWhitespace {
        out.append(text[i])
        i = text.index(after: i)
        continue
      }
      let keyStart = i
      while i < text.endIndex && text[i] != "=" && !text[i].isWhitespace { i = text.index(after: i) }
      let key = text[keyStart..<i]
      out += key
      while i < text.endIndex && text[i].isWhitespace {
        out.append(text[i])
        i = text.index(after: i)
      }
      guard i < text.endIndex, text[i] == "=" else { continue }
      out.append("=")
      i = text.index(after: i)
      while i < text.endIndex && text[i].isWhitespace {
        out.append(text[i])
        i = text.index(after: i)
      }
      let valueStart = i
      if i < text.endIndex && text[i] == "'" {
        i = text.index(after: i)
        while i < text.endIndex && text[i] != "'" {
          if text[i] == "\\" { i = text.index(after: i) }
          if i < text.endIndex { i = text.index(after: i) }
        }
        if i < text.endIndex { i = text.index(after: i) }
      } else {
        while i < text.endIndex && !text[i].isWhitespace { i = text.index(after: i) }
      }
      out += key.lowercased() == "password" ? "***" : String(text[valueStart..<i])
    }
    return out
  }
}
