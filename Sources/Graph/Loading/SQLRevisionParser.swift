/// Reads the header of a native SQL revision file.
///
/// The header is the leading run of `-- key: value` lines. The body holds a `-- +upgrade`
/// section and optionally a `-- +downgrade` section. See `docs/file-format.md`.
public enum SQLRevisionParser {
  /// The header keys a native revision may declare.
  public static let knownKeys: Set<String> = [
    "revision", "down_revision", "branch_labels", "depends_on", "message", "create_date", "transactional",
  ]

  /// Parses a native revision's text.
  ///
  /// - Parameters:
  ///   - text: The whole file.
  ///   - path: The file's path, used in errors and kept in the record.
  /// - Returns: The record; `attributes` holds `create_date`, `transactional` and the 1-based
  ///   lines of the `upgrade` and `downgrade` markers (`upgrade_line`, `downgrade_line`).
  /// - Throws: ``GraphError/invalidScript(location:reason:)`` naming the file and line for an
  ///   unknown or repeated key, a missing `revision`, a missing `-- +upgrade` marker, or an
  ///   empty list entry.
  public static func parse(_ text: String, path: String) throws -> RevisionRecord {
    try parse(bytes: Array(text.utf8), path: path)
  }

  /// Parses a native revision from its UTF-8 bytes (lines are scanned as bytes; only header
  /// lines are decoded).
  public static func parse(bytes: [UInt8], path: String) throws -> RevisionRecord {
    var values = [String: String]()
    var lines = [String: Int]()
    var lineNumber = 0
    var inHeader = true
    var upgradeLine: Int?
    var downgradeLine: Int?
    let upgradeMarker = Array("-- +upgrade".utf8), downgradeMarker = Array("-- +downgrade".utf8)
    var start = 0
    let count = bytes.count
    while start <= count {
      var end = start
      while end < count && bytes[end] != 0x0A { end += 1 }
      lineNumber += 1
      // Trim spaces, tabs and a carriage return.
      var lo = start, hi = end
      while lo < hi && (bytes[lo] == 0x20 || bytes[lo] == 0x09) { lo += 1 }
      while hi > lo && (bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 || bytes[hi - 1] == 0x0D) { hi -= 1 }
      let line = bytes[lo..<hi]
      defer { start = end + 1 }
      if inHeader {
        if line.starts(with: [0x2D, 0x2D]), !line.starts(with: upgradeMarker), !line.starts(with: downgradeMarker),
          let (key, value) = headerEntry(Substring(String(decoding: line, as: UTF8.self)))
        {
          guard knownKeys.contains(key) else {
            throw GraphError.invalidScript(
              location: "\(path):\(lineNumber)",
              reason: "unknown header key '\(key)'; the keys are \(knownKeys.sorted().joined(separator: ", "))"
                + " (end the header with a blank line before other comments)")
          }
          if let first = lines[key] {
            throw GraphError.invalidScript(
              location: "\(path):\(lineNumber)", reason: "header key '\(key)' repeats line \(first); keep one")
          }
          values[key] = value
          lines[key] = lineNumber
          continue
        }
        inHeader = false
      }
      guard line.count >= upgradeMarker.count, line.first == 0x2D else { continue }
      if line.elementsEqual(upgradeMarker) {
        if let first = upgradeLine {
          throw GraphError.invalidScript(
            location: "\(path):\(lineNumber)", reason: "second '-- +upgrade' marker (the first is on line \(first))")
        }
        upgradeLine = lineNumber
      } else if line.elementsEqual(downgradeMarker) {
        if let first = downgradeLine {
          throw GraphError.invalidScript(
            location: "\(path):\(lineNumber)", reason: "second '-- +downgrade' marker (the first is on line \(first))")
        }
        downgradeLine = lineNumber
      }
    }
    guard let id = values["revision"] else {
      throw GraphError.invalidScript(
        location: "\(path):1", reason: "no '-- revision: <id>' line in the header (the leading '-- key: value' lines)")
    }
    guard let upgradeLine else {
      throw GraphError.invalidScript(
        location: path, reason: "no '-- +upgrade' line; every revision needs an upgrade section (it may be empty)")
    }
    if let downgradeLine, downgradeLine < upgradeLine {
      throw GraphError.invalidScript(
        location: "\(path):\(downgradeLine)", reason: "the '-- +downgrade' section must come after '-- +upgrade'")
    }
    func list(_ key: String) throws -> [String] {
      guard let value = values[key], !value.isEmpty else { return [] }
      let items = value.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingSpaces()) }
      if items.contains(where: \.isEmpty) {
        throw GraphError.invalidScript(
          location: "\(path):\(lines[key] ?? 1)",
          reason: "empty entry in \(key) '\(value)'; separate ids with single commas")
      }
      return items
    }
    var attributes = [String: String]()
    attributes["upgrade_line"] = String(upgradeLine)
    if let downgradeLine { attributes["downgrade_line"] = String(downgradeLine) }
    if let date = values["create_date"] { attributes["create_date"] = date }
    if let transactional = values["transactional"] {
      guard transactional == "true" || transactional == "false" else {
        throw GraphError.invalidScript(
          location: "\(path):\(lines["transactional"] ?? 1)",
          reason: "transactional must be 'true' or 'false', not '\(transactional)'")
      }
      attributes["transactional"] = transactional
    }
    let message = values["message"] ?? ""
    return RevisionRecord(
      id: id, downRevisions: try list("down_revision"), branchLabels: try list("branch_labels"),
      dependsOn: try list("depends_on"), message: message, longMessage: message, path: path, format: .sql,
      lines: lines, attributes: attributes)
  }

  /// `-- key: value` → (key, value), for keys made of letters, digits and underscores.
  static func headerEntry(_ line: Substring) -> (String, String)? {
    guard line.hasPrefix("--") else { return nil }
    let body = line.dropFirst(2).trimmingSpaces()
    guard let colon = body.firstIndex(of: ":") else { return nil }
    let key = body[..<colon]
    guard !key.isEmpty, key.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) else {
      return nil
    }
    return (String(key), String(body[body.index(after: colon)...].trimmingSpaces()))
  }
}

extension Substring {
  /// The text without leading and trailing spaces and tabs.
  func trimmingSpaces() -> Substring {
    var s = self
    while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
    return s
  }
}
