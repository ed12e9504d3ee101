extension SQLRevisionParser {
  // MARK: - Lines that read as keys

  /// Why a header line that is not `-- key: value` still reads as a header key gone wrong, with
  /// the line to write instead; nil when it reads as a comment (which ends the header).
  ///
  /// The line's first word (letters, digits, `_` and inner `-`, right after `--` and any
  /// blanks) reads as a key when it is one, or is at most ``lookalikeKey(_:)``'s distance
  /// from one, and is not a key followed by `:` (``headerEntry(_:)`` takes those). So
  /// `-- down_revision 2b3c`, `-- down_revision = 2b3c`, `-- down_revision : 2b3c`,
  /// `-- down-revision: 2b3c` and `-- down_revison 2b3c` are errors, while
  /// `-- This migration adds users` or `-- Depends on the users table` end the header.
  static func malformedEntry(_ line: UnsafeBufferPointer<UInt8>) -> String? {
    func isWord(_ byte: UInt8) -> Bool {
      byte == 0x5F || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
    var start = 2
    while start < line.count && (line[start] == 0x20 || line[start] == 0x09) { start += 1 }
    guard start < line.count, isWord(line[start]) else { return nil }
    var end = start + 1
    while end < line.count && (isWord(line[end]) || line[end] == 0x2D) { end += 1 }
    // A word running into other letters (`revisión`) is not a key.
    guard end == line.count || line[end] < 0x80 else { return nil }
    let word = String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
    guard let key = lookalikeKey(word) else { return nil }
    // The value as it was meant: what follows the word, past blanks and one `:` or `=`.
    var rest = end
    while rest < line.count && (line[rest] == 0x20 || line[rest] == 0x09) { rest += 1 }
    if rest < line.count && (line[rest] == 0x3A || line[rest] == 0x3D) { rest += 1 }
    while rest < line.count && (line[rest] == 0x20 || line[rest] == 0x09) { rest += 1 }
    let value = rest < line.count ? String(decoding: UnsafeBufferPointer(rebasing: line[rest...]), as: UTF8.self) : ""
    let problem =
      word == key
      ? "header key '\(key)' must be followed directly by ':'"
      : "'\(word)' looks like the header key '\(key)'"
    return problem + "; write it as `-- \(key): \(value.isEmpty ? "<value>" : value)`"
      + " (if the line is a comment, end the header with a blank line before it)"
  }

  /// The known key `word` reads as in a line without a colon: the key itself, or one a single
  /// edit away (two for keys of 10 characters or more), ignoring case.
  ///
  /// The allowance grows with the key so that the keys that shape the graph (`down_revision`,
  /// `depends_on`, `branch_labels`) catch two typos, while words near the short keys
  /// (`decision`, `revisit`, `passage`) stay comments. Words under 4 characters never match.
  static func lookalikeKey(_ word: String) -> String? {
    guard word.utf8.count >= 4 else { return nil }
    let lower = Array(word.lowercased().utf8)
    var best: (key: String, distance: Int)?
    for key in keyOrder {
      let limit = key.utf8.count >= 10 ? 2 : 1
      let distance = NearMiss.distance(lower, Array(key.utf8), limit: limit)
      if distance <= limit, distance < best?.distance ?? .max { best = (key, distance) }
    }
    return best?.key
  }

  /// The known key an unknown one was probably meant to be: one at most two edits away
  /// (ignoring case), else one that has it as a `_`-separated part (`depends` for
  /// `depends_on`, `labels` for `branch_labels`); nil when none is close.
  static func suggestion(for key: String) -> String? {
    let lower = Array(key.lowercased().utf8)
    var best: (key: String, distance: Int)?
    for known in keyOrder {
      let distance = NearMiss.distance(lower, Array(known.utf8), limit: 2)
      if distance <= 2, distance < best?.distance ?? .max { best = (known, distance) }
    }
    if let best { return best.key }
    guard lower.count >= 4 else { return nil }
    return keyOrder.first { $0.utf8.split(separator: 0x5F).contains { $0.elementsEqual(lower) } }
  }
}
