/// Reads the header of a native SQL revision file.
///
/// The header is the leading run of `-- key: value` lines. The body holds a `-- +upgrade`
/// section and optionally a `-- +downgrade` section. See `docs/file-format.md`.
public enum SQLRevisionParser {
  /// The header keys a native revision may declare.
  public static let knownKeys: Set<String> = Set(keyOrder)
  /// Positions in `keyOrder`, sorted by key (the order a record keeps its lines in).
  static let slotsByKey = keyOrder.indices.sorted { keyOrder[$0] < keyOrder[$1] }

  /// The header keys in a fixed order (header values are kept in slots by this position).
  static let keyOrder = [
    "revision", "down_revision", "branch_labels", "depends_on", "message", "create_date", "transactional",
  ]
  static let upgradeMarker = Array("-- +upgrade".utf8)
  static let downgradeMarker = Array("-- +downgrade".utf8)

  /// Whether `line` starts with `marker`.
  static func isMarker(_ line: UnsafeBufferPointer<UInt8>, _ marker: [UInt8]) -> Bool {
    line.count >= marker.count && line.prefix(marker.count).elementsEqual(marker)
  }

  /// Parses a native revision's text.
  ///
  /// - Parameters:
  ///   - text: The whole file.
  ///   - path: The file's path, used in errors and kept in the record.
  /// - Returns: The record; `attributes` holds `create_date`, `transactional` and the 1-based
  ///   lines of the `upgrade` and `downgrade` markers (`upgrade_line`, `downgrade_line`).
  /// - Throws: ``GraphError/invalidScript(location:reason:)`` naming the file and line for an
  ///   unknown or repeated key, a header line that reads as a key but is not `-- key: value`
  ///   (see ``malformedEntry(_:)``), a known key in the leading comments after the header, a
  ///   missing `revision`, a missing `-- +upgrade` marker, or an empty list entry.
  public static func parse(_ text: String, path: String) throws -> RevisionRecord {
    try parse(bytes: Array(text.utf8), path: path)
  }

  /// Parses a native revision from its UTF-8 bytes (lines are scanned as bytes; only header
  /// values are decoded).
  ///
  /// - Complexity: O(file size); an ASCII header line is split as bytes, other lines take the
  ///   `Character` path, which agrees with it on ASCII text.
  public static func parse(bytes: [UInt8], path: String) throws -> RevisionRecord {
    try bytes.withUnsafeBufferPointer { try parse(buffer: $0, path: path) }
  }

  static func parse(buffer bytes: UnsafeBufferPointer<UInt8>, path: String) throws -> RevisionRecord {
    // Header values by position in `keyOrder`, with their 1-based lines.
    var slots = [String?](repeating: nil, count: keyOrder.count)
    var slotLines = [Int](repeating: 0, count: keyOrder.count)
    var lineNumber = 0
    var inHeader = true
    // Still in the leading run of `--` lines, and the line of it that ended the header (0: none).
    var inLeadingComments = true
    var headerEnd = 0
    var upgradeLine: Int?
    var downgradeLine: Int?
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
      let line = UnsafeBufferPointer(rebasing: bytes[lo..<hi])
      defer { start = end + 1 }
      if inLeadingComments, line.count >= 2, line[0] == 0x2D, line[1] == 0x2D, !isMarker(line, upgradeMarker),
        !isMarker(line, downgradeMarker)
      {
        let entry = headerEntry(line)
        if inHeader, let (key, value) = entry {
          guard let slot = keyOrder.firstIndex(where: { $0 == key }) else {
            let keys = knownKeys.sorted().joined(separator: ", ")
            let reason =
              if let known = suggestion(for: key) {
                "unknown header key '\(key)'; did you mean `\(known)`? (the keys are \(keys);"
                  + " end the header with a blank line before other comments)"
              } else {
                "unknown header key '\(key)'; the keys are \(keys) (end the header with a blank line before other comments)"
              }
            throw GraphError.invalidScript(location: "\(path):\(lineNumber)", reason: reason)
          }
          if slots[slot] != nil {
            throw GraphError.invalidScript(
              location: "\(path):\(lineNumber)", reason: "header key '\(key)' repeats line \(slotLines[slot]); keep one"
            )
          }
          slots[slot] = value
          slotLines[slot] = lineNumber
        } else if inHeader {
          // A comment ends the header, unless it reads as a header line gone wrong.
          if let reason = malformedEntry(line) {
            throw GraphError.invalidScript(location: "\(path):\(lineNumber)", reason: reason)
          }
          inHeader = false
          headerEnd = lineNumber
        } else if let key = entry?.0, knownKeys.contains(key) {
          throw GraphError.invalidScript(
            location: "\(path):\(lineNumber)",
            reason: "header key '\(key)' comes after the header, which ended at line \(headerEnd)"
              + " (a line that is not `-- key: value`);"
              + " move it above line \(headerEnd), or the revision ignores it")
        }
        continue
      }
      // A blank line, SQL or a marker: the header and the leading comments are over.
      inLeadingComments = false
      inHeader = false
      guard line.count >= upgradeMarker.count, line[0] == 0x2D else { continue }
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
    // Slots by key position: 0 revision, 1 down_revision, 2 branch_labels, 3 depends_on,
    // 4 message, 5 create_date, 6 transactional.
    var lineEntries = [HeaderFields<Int>.Entry]()
    lineEntries.reserveCapacity(keyOrder.count)
    for slot in slotsByKey where slots[slot] != nil {
      lineEntries.append(.init(key: keyOrder[slot], value: slotLines[slot]))
    }
    guard let id = slots[0] else {
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
    func list(_ slot: Int) throws -> [String] {
      guard let value = slots[slot], !value.isEmpty else { return [] }
      let items = splitList(value)
      if items.contains(where: \.isEmpty) {
        throw GraphError.invalidScript(
          location: "\(path):\(slotLines[slot])",
          reason: "empty entry in \(keyOrder[slot]) '\(value)'; separate ids with single commas")
      }
      return items
    }
    // Sorted by key, as HeaderFields keeps them.
    var attributes = [HeaderFields<String>.Entry]()
    attributes.reserveCapacity(4)
    if let date = slots[5] { attributes.append(.init(key: "create_date", value: date)) }
    if let downgradeLine { attributes.append(.init(key: "downgrade_line", value: String(downgradeLine))) }
    if let transactional = slots[6] {
      guard transactional == "true" || transactional == "false" else {
        throw GraphError.invalidScript(
          location: "\(path):\(slotLines[6])",
          reason: "transactional must be 'true' or 'false', not '\(transactional)'")
      }
      attributes.append(.init(key: "transactional", value: transactional))
    }
    attributes.append(.init(key: "upgrade_line", value: String(upgradeLine)))
    let message = slots[4] ?? ""
    return RevisionRecord(
      id: id, downRevisions: try list(1), branchLabels: try list(2), dependsOn: try list(3), message: message,
      longMessage: message, path: path, format: .sql, lineFields: HeaderFields(sorted: lineEntries),
      attributeFields: HeaderFields(sorted: attributes))
  }

  /// `-- key: value` → (key, value), for keys made of letters, digits and underscores.
  ///
  /// `line` is trimmed and starts with `--`. An ASCII line is split as bytes; any other line
  /// goes through ``headerEntry(_:)-(Substring)``, so combining marks keep their meaning.
  static func headerEntry(_ line: UnsafeBufferPointer<UInt8>) -> (String, String)? {
    guard line.allSatisfy({ $0 < 0x80 }) else {
      return headerEntry(Substring(String(decoding: line, as: UTF8.self)))
    }
    var lo = 2
    var hi = line.count
    while lo < hi && (line[lo] == 0x20 || line[lo] == 0x09) { lo += 1 }
    while hi > lo && (line[hi - 1] == 0x20 || line[hi - 1] == 0x09 || line[hi - 1] == 0x0D) { hi -= 1 }
    guard let colon = line[lo..<hi].firstIndex(of: 0x3A), colon > lo else { return nil }
    for byte in line[lo..<colon] {
      let isWord =
        byte == 0x5F || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
        || (byte >= 0x61 && byte <= 0x7A)
      guard isWord else { return nil }
    }
    var valueStart = colon + 1
    while valueStart < hi && (line[valueStart] == 0x20 || line[valueStart] == 0x09) { valueStart += 1 }
    let key = String(decoding: UnsafeBufferPointer(rebasing: line[lo..<colon]), as: UTF8.self)
    let value = String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<hi]), as: UTF8.self)
    return (key, value)
  }

  // MARK: - Values

  /// A comma-separated list, each entry trimmed of spaces and tabs (empty entries kept).
  static func splitList(_ value: String) -> [String] {
    guard value.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else {
      return value.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingSpaces()) }
    }
    var items = [String]()
    var utf8 = value.utf8[...]
    while true {
      let comma = utf8.firstIndex(of: 0x2C) ?? utf8.endIndex
      var item = utf8[..<comma]
      while let f = item.first, f == 0x20 || f == 0x09 { item = item.dropFirst() }
      while let l = item.last, l == 0x20 || l == 0x09 { item = item.dropLast() }
      items.append(String(Substring(item)))
      guard comma < utf8.endIndex else { break }
      utf8 = utf8[utf8.index(after: comma)...]
    }
    return items
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
