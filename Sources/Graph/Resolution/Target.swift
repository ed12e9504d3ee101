/// A target as typed, split into Alembic's parts once.
///
/// Alembic reads the same text in two ways: a relative form `[Q@][SYMBOL]±N` when the text
/// starts with one, otherwise an absolute form. Absolute forms split at the first `@` when a
/// revision is resolved and at the last `@` when a downgrade destination is read; both views
/// are kept here so the text is parsed only once.
public struct Target: Hashable, Sendable, CustomStringConvertible {
  /// A relative target: `+2`, `-1`, `ae10+2`, `head-1`, `branch@+1`, `branch@rev-2`.
  public struct Relative: Hashable, Sendable {
    /// The branch qualifier before the first `@`, if any.
    public var qualifier: String?
    /// The revision, label or symbol the walk starts from (nil: the database's revisions).
    public var symbol: String?
    /// The signed step count.
    public var steps: Int
    /// The sign and digits as typed (`+05`), for messages.
    public var stepText: String
  }

  /// The text as typed.
  public let text: String
  /// The relative reading, when the text is relative.
  public let relative: Relative?

  /// Parses a target.
  ///
  /// - Throws: ``GraphError/invalidTarget(text:reason:)`` for an empty target, a step count
  ///   that does not fit, or characters after a relative step (Alembic silently ignores those).
  public init(parsing text: String) throws {
    self.text = text
    guard !text.isEmpty else {
      throw GraphError.invalidTarget(text: text, reason: "the target is empty")
    }
    guard let match = Self.matchRelative(text) else {
      relative = nil
      return
    }
    guard match.rest.isEmpty else {
      throw GraphError.invalidTarget(
        text: text,
        reason: "unexpected '\(match.rest)' after the relative step '\(match.stepText)'")
    }
    guard let steps = Int(match.stepText.hasPrefix("+") ? String(match.stepText.dropFirst()) : match.stepText),
      steps != Int.min
    else {
      throw GraphError.invalidTarget(text: text, reason: "the step count is too large")
    }
    relative = Relative(qualifier: match.qualifier, symbol: match.symbol, steps: steps, stepText: match.stepText)
  }

  public var description: String { text }

  /// The qualifier and rest when split at the first `@` (revision lookup).
  var firstSplit: (qualifier: String?, rest: String) {
    guard let at = text.firstIndex(of: "@") else { return (nil, text) }
    return (String(text[..<at]), String(text[text.index(after: at)...]))
  }

  /// The qualifier and rest when split at the last `@` (downgrade destinations).
  var lastSplit: (qualifier: String?, rest: String) {
    guard let at = text.lastIndex(of: "@") else { return (nil, text) }
    let qualifier = String(text[..<at])
    return (qualifier.isEmpty ? nil : qualifier, String(text[text.index(after: at)...]))
  }

  /// Alembic's `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)` matched at the start of the text.
  static func matchRelative(_ text: String) -> (qualifier: String?, symbol: String?, stepText: String, rest: Substring)?
  {
    let chars = Array(text)
    func tryMatch(from start: Int) -> (symbol: String?, stepText: String, end: Int)? {
      var i = start
      while i < chars.count, isWord(chars[i]) { i += 1 }
      // Greedy \w+ then backtrack: the sign must follow the word immediately.
      var wordEnd = i
      while true {
        if wordEnd < chars.count, chars[wordEnd] == "+" || chars[wordEnd] == "-" {
          var d = wordEnd + 1
          while d < chars.count, chars[d].isASCII, chars[d].isNumber { d += 1 }
          if d > wordEnd + 1 {
            let symbol = wordEnd > start ? String(chars[start..<wordEnd]) : nil
            return (symbol, String(chars[wordEnd..<d]), d)
          }
        }
        if wordEnd == start { return nil }
        wordEnd -= 1
      }
    }
    // The lazy `(.+?)@` tries each '@' from the left, then no qualifier at all.
    for (k, c) in chars.enumerated() where c == "@" && k > 0 {
      if let m = tryMatch(from: k + 1) {
        return (String(chars[0..<k]), m.symbol, m.stepText, text.dropFirst(m.end))
      }
    }
    if let m = tryMatch(from: 0) {
      return (nil, m.symbol, m.stepText, text.dropFirst(m.end))
    }
    return nil
  }

  static func isWord(_ c: Character) -> Bool { c == "_" || c.isLetter || c.isNumber }
}
