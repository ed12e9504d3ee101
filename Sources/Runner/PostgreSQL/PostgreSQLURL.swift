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
  /// The passwords in the setting, longest first (see ``scrub(_:)``).
  let secrets: [String]

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
      secrets = Self.secrets(trimmed)
    } else {
      guard Self.isKeyValue(trimmed) else {
        throw RunnerError.invalidURL(
          Self.redactKeyValue(trimmed), reason: "not a postgresql:// URL or a libpq key/value string")
      }
      conninfo = trimmed
      displayName = Self.redactKeyValue(trimmed)
      secrets = Self.secrets(trimmed)
    }
  }

  /// `url` with the password of its user information and a `password=` query parameter
  /// replaced by `***`.
  ///
  /// The user information ends at the last `@` before the first `/` (libpq reads up to the
  /// first `@`, but a password is hidden whole even when it holds a raw `@`, `?` or `:`).
  static func redactURL(_ url: String) -> String {
    guard let schemeEnd = url.range(of: "://") else { return url }
    var result = String(url[..<schemeEnd.upperBound])
    var rest = url[schemeEnd.upperBound...]
    let firstSlash = rest.firstIndex(of: "/") ?? rest.endIndex
    if let at = rest[..<firstSlash].lastIndex(of: "@") {
      let userInfo = rest[..<at]
      if let colon = userInfo.firstIndex(of: ":") {
        result += userInfo[..<colon] + ":***"
      } else {
        result += userInfo
      }
      rest = rest[at...]
    }
    guard let mark = rest.firstIndex(of: "?") else { return result + rest }
    let query = rest[rest.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false).map {
      parameter -> String in
      parameter.lowercased().hasPrefix("password=") ? "password=***" : String(parameter)
    }
    return result + rest[..<mark] + "?" + query.joined(separator: "&")
  }

  /// The passwords `setting` holds (as written and percent-decoded), for scrubbing them from
  /// libpq's messages, which may quote part of the setting.
  static func secrets(_ setting: String) -> [String] {
    var found = [String]()
    if let schemeEnd = setting.range(of: "://") {
      let rest = setting[schemeEnd.upperBound...]
      let firstSlash = rest.firstIndex(of: "/") ?? rest.endIndex
      if let at = rest[..<firstSlash].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
        found.append(String(rest[rest.index(after: colon)..<at]))
      }
      if let mark = rest.firstIndex(of: "?") {
        for parameter in rest[rest.index(after: mark)...].split(separator: "&")
        where parameter.lowercased().hasPrefix("password=") {
          found.append(String(parameter.dropFirst("password=".count)))
        }
      }
    } else {
      found += keyValuePasswords(setting)
    }
    found += found.compactMap { $0.removingPercentEncoding }
    return Array(Set(found.filter { !$0.isEmpty && $0 != "***" })).sorted { $0.count > $1.count }
  }

  /// `message` with every password of this setting replaced by `***`.
  public func scrub(_ message: String) -> String {
    secrets.reduce(message) { $0.replacingOccurrences(of: $1, with: "***") }
  }

  /// A key/value string with the value of `password` replaced by `***`.
  static func redactKeyValue(_ text: String) -> String { scanKeyValue(text).redacted }

  /// The values of `password` in a key/value string (without their quotes).
  static func keyValuePasswords(_ text: String) -> [String] { scanKeyValue(text).passwords }

  private static func scanKeyValue(_ text: String) -> (redacted: String, passwords: [String]) {
    var passwords = [String]()
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
      if key.lowercased() == "password" {
        out += "***"
        var value = text[valueStart..<i]
        if value.count >= 2 && value.hasPrefix("'") && value.hasSuffix("'") { value = value.dropFirst().dropLast() }
        passwords.append(value.replacingOccurrences(of: "\\'", with: "'"))
      } else {
        out += text[valueStart..<i]
      }
    }
    return (out, passwords)
  }
}
