/// DOT text as UTF-8 bytes, appended without a `String` per piece.
///
/// Syntax goes in as it is, user text through ``appendEscaped(_:)`` (the text of
/// ``DOTStyle/escape(_:)``) or ``appendQuoted(_:prefix:)`` (of ``DOTStyle/quote(_:)``).
struct DOTText {
  var bytes: [UInt8] = []

  /// Appends DOT syntax.
  mutating func append(_ syntax: StaticString) {
    syntax.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// Appends text that is already DOT (escaped, with `\n` line breaks).
  mutating func append(dot text: String) {
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
  }

  mutating func append(_ other: DOTText) { bytes += other.bytes }

  /// Appends `DOTStyle.escape(text)`.
  mutating func appendEscaped(_ text: String) {
    var text = text
    let isPlain = text.withUTF8 { utf8 in
      guard utf8.allSatisfy(DOTStyle.isPlain) else { return false }
      bytes.append(contentsOf: utf8)
      return true
    }
    if !isPlain { append(dot: DOTStyle.escape(text)) }
  }

  /// Appends `DOTStyle.quote(prefix + text)`; `prefix` is plain ASCII.
  mutating func appendQuoted(_ text: String, prefix: StaticString = "") {
    bytes.append(UInt8(ascii: "\""))
    append(prefix)
    appendEscaped(text)
    bytes.append(UInt8(ascii: "\""))
  }

  /// Appends `DOTStyle.escape(DOTStyle.truncate(message, to: length))`.
  mutating func appendEscaped(_ message: String, truncatedTo length: Int) {
    var message = message
    // Plain ASCII without carriage returns has one character per byte (a CR LF pair would
    // be one character of two bytes).
    let done = message.withUTF8 { utf8 in
      guard utf8.count > length else {
        if utf8.allSatisfy(DOTStyle.isPlain) {
          bytes.append(contentsOf: utf8)
          return true
        }
        return false
      }
      guard utf8.allSatisfy(DOTStyle.isPlain) else { return false }
      var end = max(length - 1, 0)
      while end > 0 && utf8[end - 1] == UInt8(ascii: " ") { end -= 1 }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[..<end]))
      // The ellipsis, U+2026, as DOTStyle.escape writes it.
      append("&#8230;")
      return true
    }
    if !done { appendEscaped(DOTStyle.truncate(message, to: length)) }
  }
}

/// DOT attribute lists, written in the order they were added.
struct DOTAttributes {
  /// `key="value", …` without the brackets.
  private var text = DOTText()

  init(_ pairs: [(String, String)] = []) {
    for (key, value) in pairs { add(key) { $0.append(dot: value) } }
  }

  /// Adds an attribute whose value is escaped and quoted.
  mutating func set(_ key: String, _ value: String) {
    add(key) { $0.appendQuoted(value) }
  }

  /// Adds an attribute whose value is already DOT text (escaped, with `\n` line breaks).
  mutating func setEscaped(_ key: String, _ value: String) {
    add(key) {
      $0.append("\"")
      $0.append(dot: value)
      $0.append("\"")
    }
  }

  /// Adds an attribute whose quoted value `write` appends as DOT text.
  mutating func setEscaped(_ key: String, _ write: (inout DOTText) -> Void) {
    add(key) {
      $0.append("\"")
      write(&$0)
      $0.append("\"")
    }
  }

  private mutating func add(_ key: String, _ value: (inout DOTText) -> Void) {
    if !text.bytes.isEmpty { text.append(", ") }
    text.append(dot: key)
    text.append("=")
    value(&text)
  }

  /// Appends ` [key=value, …]`, or nothing when there are no attributes.
  func write(to out: inout DOTText) {
    guard !text.bytes.isEmpty else { return }
    out.append(" [")
    out.append(text)
    out.append("]")
  }

  var rendered: String {
    var out = DOTText()
    write(to: &out)
    return String(decoding: out.bytes, as: UTF8.self)
  }
}
