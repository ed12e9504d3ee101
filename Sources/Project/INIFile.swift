/// An INI file read the way Python's `configparser.ConfigParser` reads `alembic.ini`.
///
/// Supported: `[section]` headers, `key = value` and `key: value` (the first `=` or `:`
/// splits), full-line `#` and `;` comments, continuation lines (indented deeper than their
/// key; blank lines inside a value are kept, trailing ones dropped), case-insensitive keys,
/// a `[DEFAULT]` section whose keys every section sees, and `BasicInterpolation`
/// (`%(key)s`, `%%`) applied when a value is read. Like `configparser` in strict mode, a
/// repeated section or key is an error. Inline comments are not stripped (configparser's
/// default).
struct INIFile {
  /// A raw (not yet interpolated) value and the line of its key.
  struct Entry {
    var value: String
    var line: Int
  }

  let path: String
  private var sections: [String: [String: Entry]] = [:]
  private var defaults: [String: Entry] = [:]

  /// Parses `text`.
  ///
  /// - Parameters:
  ///   - text: The file's contents.
  ///   - path: The file's path, for error locations.
  ///   - defaults: Values every section sees before the file's own `[DEFAULT]` (Alembic
  ///     passes `here`, the directory of the file).
  /// - Throws: ``ProjectError/syntaxError(location:reason:)`` with the offending line.
  init(text: String, path: String, defaults: [String: String] = [:]) throws(ProjectError) {
    self.path = path
    for (key, value) in defaults { self.defaults[key] = Entry(value: value, line: 0) }
    try parse(text)
  }

  private mutating func parse(_ text: String) throws(ProjectError) {
    var body = Substring(text)
    if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
    var section: String?  // "DEFAULT" for the defaults
    var option: (key: String, lines: [String], line: Int)?
    var indentLevel = 0
    var seen: Set<String> = []

    func flush() {
      guard let current = option, let section else { return }
      var joined = current.lines.joined(separator: "\n")
      while joined.last?.isWhitespace == true { joined.removeLast() }
      let entry = Entry(value: joined, line: current.line)
      if section == "DEFAULT" {
        defaults[current.key] = entry
      } else {
        sections[section, default: [:]][current.key] = entry
      }
      option = nil
    }

    for (index, rawLine) in body.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let lineNumber = index + 1
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      let value = Self.strip(line)
      if value.hasPrefix("#") || value.hasPrefix(";") { continue }
      if value.isEmpty {
        option?.lines.append("")  // kept only if a continuation line follows
        continue
      }
      let indent = line.prefix(while: \.isWhitespace).count
      if option != nil, indent > indentLevel {
        option?.lines.append(value)
        continue
      }
      flush()
      indentLevel = indent
      if value.hasPrefix("["), let close = value.lastIndex(of: "]"),
        close > value.index(after: value.startIndex)
      {
        let name = String(value[value.index(after: value.startIndex)..<close])
        if name != "DEFAULT", !seen.insert("[\(name)]").inserted {
          throw .syntaxError(
            location: "\(path):\(lineNumber)", reason: "section [\(name)] appears twice; merge them"
          )
        }
        section = name
        continue
      }
      guard let currentSection = section else {
        throw .syntaxError(
          location: "\(path):\(lineNumber)",
          reason: "'\(value)' comes before any section header; add `[alembic]` above it")
      }
      guard let split = value.firstIndex(where: { $0 == "=" || $0 == ":" }),
        case let key = Self.strip(value[..<split]).lowercased(), !key.isEmpty
      else {
        throw .syntaxError(
          location: "\(path):\(lineNumber)",
          reason: "cannot read '\(value)'; expected `key = value`")
      }
      if !seen.insert("\(currentSection)\u{0}\(key)").inserted {
        throw .syntaxError(
          location: "\(path):\(lineNumber)",
          reason: "'\(key)' is set twice in [\(currentSection)]; keep one")
      }
      option = (key, [Self.strip(value[value.index(after: split)...])], lineNumber)
    }
    flush()
  }

  static func strip(_ text: Substring) -> String {
    guard let first = text.firstIndex(where: { !$0.isWhitespace }),
      let last = text.lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(text[first...last])
  }

  // MARK: - Reading

  /// Whether the file has a `[name]` section.
  func hasSection(_ name: String) -> Bool { sections[name] != nil }

  /// The keys a section sees (its own and the defaults), sorted.
  func keys(in section: String) -> [String] {
    Set(defaults.keys).union(sections[section].map { Array($0.keys) } ?? []).sorted()
  }

  /// The raw value of `key` in `section` (or the defaults), without interpolation.
  func entry(_ key: String, in section: String) -> Entry? {
    sections[section]?[key.lowercased()] ?? defaults[key.lowercased()]
  }

  /// Where `key` stands, as `path:line` (the path alone for values not from the file).
  func location(of key: String, in section: String) -> String {
    guard let line = entry(key, in: section)?.line, line > 0 else { return path }
    return "\(path):\(line)"
  }

  /// The interpolated value of `key` in `section`, or `nil` if the key is absent.
  ///
  /// - Throws: ``ProjectError/invalidValue(location:key:reason:)`` for a bad `%` sequence,
  ///   a reference to an unknown key, or references nested more than 10 deep.
  func value(_ key: String, in section: String) throws(ProjectError) -> String? {
    guard let entry = entry(key, in: section) else { return nil }
    return try expand(entry.value, key: key, section: section, depth: 1)
  }

  private func expand(_ text: String, key: String, section: String, depth: Int) throws(ProjectError)
    -> String
  {
    let location = location(of: key, in: section)
    guard depth <= 10 else {
      throw .invalidValue(
        location: location, key: key,
        reason: "%(…)s references nest more than 10 deep; is a key referring to itself?")
    }
    do {
      return try PercentInterpolation.expand(text) {
        (name: String) throws(ProjectError) -> String? in
        guard let referenced = entry(name, in: section) else { return nil }
        return try expand(referenced.value, key: key, section: section, depth: depth + 1)
      }
    } catch {
      switch error {
      case .unknownKey(let name):
        throw .invalidValue(
          location: location, key: key,
          reason:
            "'%(\(name))s' names no key in [\(section)] or [DEFAULT]; write '%%' for a literal '%'")
      case .badPercent(let found):
        throw .invalidValue(
          location: location, key: key,
          reason: "'\(found)' is not '%%' or '%(name)s'; write '%%' for a literal '%'")
      case .inner(let underlying):
        throw underlying
      }
    }
  }
}

/// Python's `%(name)s` / `%%` expansion, as configparser and Alembic's pyproject support use it.
enum PercentInterpolation {
  enum Failure: Error {
    /// `%(name)s` names nothing.
    case unknownKey(String)
    /// A `%` not followed by `%` or `(name)s`; `found` is the text from the `%`.
    case badPercent(String)
    /// The lookup itself failed.
    case inner(ProjectError)
  }

  /// Expands `text`, asking `lookup` for the value of each `%(name)s` (name lowercased).
  static func expand(
    _ text: String, lookup: (String) throws(ProjectError) -> String?
  ) throws(Failure) -> String {
    guard text.contains("%") else { return text }
    var result = ""
    var rest = Substring(text)
    while let percent = rest.firstIndex(of: "%") {
      result += rest[..<percent]
      let after = rest[rest.index(after: percent)...]
      if after.hasPrefix("%") {
        result += "%"
        rest = after.dropFirst()
      } else if after.hasPrefix("("), let close = after.firstIndex(of: ")"),
        after[after.index(after: close)...].hasPrefix("s")
      {
        let name = String(after[after.index(after: after.startIndex)..<close]).lowercased()
        let value: String?
        do { value = try lookup(name) } catch { throw .inner(error) }
        guard let value else { throw .unknownKey(name) }
        result += value
        rest = after[after.index(close, offsetBy: 2)...]
      } else {
        throw .badPercent(String(rest[percent...].prefix(12)))
      }
    }
    return result + rest
  }
}
