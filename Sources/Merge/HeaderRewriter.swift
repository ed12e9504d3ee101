/// Rewrites the `down_revision` of a revision file, keeping every other byte.
///
/// Native files: the `-- down_revision:` header line (added after `-- revision:` when a
/// base gets a parent, removed when a revision becomes a base). Alembic scripts: the value
/// of the top-level `down_revision = …` assignment (annotation, comments and quote style
/// kept) and the `Revises:` line of the module docstring.
enum HeaderRewriter {
  /// The file with its parents replaced by `parents`.
  ///
  /// - Throws: ``MergeError/unrewritableHeader(location:reason:)`` when the header cannot be found.
  static func rewrite(_ bytes: [UInt8], native: Bool, path: String, parents: [String]) throws -> [UInt8] {
    native
      ? try rewriteNative(bytes, path: path, parents: parents) : try rewriteAlembic(bytes, path: path, parents: parents)
  }

  // MARK: - Native

  static func rewriteNative(_ bytes: [UInt8], path: String, parents: [String]) throws -> [UInt8] {
    // Lines with their endings, up to the end of the header.
    var lines: [(start: Int, contentEnd: Int, end: Int)] = []
    var start = 0
    while start < bytes.count {
      var end = start
      while end < bytes.count && bytes[end] != 0x0A { end += 1 }
      var contentEnd = end
      if contentEnd > start && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
      let next = end < bytes.count ? end + 1 : end
      let text = String(decoding: bytes[start..<contentEnd], as: UTF8.self)
      guard let key = headerKey(text) else { break }
      lines.append((start, contentEnd, next))
      if key == "down_revision" {
        var out = Array(bytes[..<start])
        if !parents.isEmpty {
          let colon = text.firstIndex(of: ":").map { text.utf8.distance(from: text.utf8.startIndex, to: $0) } ?? 0
          var prefixEnd = start + colon + 1
          while prefixEnd < contentEnd && (bytes[prefixEnd] == 0x20 || bytes[prefixEnd] == 0x09) { prefixEnd += 1 }
          out += bytes[start..<prefixEnd]
          if prefixEnd == start + colon + 1 { out.append(0x20) }
          out += Array(parents.joined(separator: ", ").utf8)
          out += bytes[contentEnd..<next]
        }
        out += bytes[next...]
        return out
      }
      start = next
    }
    guard !parents.isEmpty else { return bytes }
    // No down_revision line: add one after the revision line, with the same line ending.
    guard
      let revisionLine = lines.first(where: {
        headerKey(String(decoding: bytes[$0.start..<$0.contentEnd], as: UTF8.self)) == "revision"
      })
    else {
      throw MergeError.unrewritableHeader(
        location: path, reason: "no '-- revision: <id>' header line to add down_revision after")
    }
    var ending = Array(bytes[revisionLine.contentEnd..<revisionLine.end])
    if ending.isEmpty { ending = [0x0A] }
    var out = Array(bytes[..<revisionLine.end])
    if revisionLine.end == bytes.count && bytes.last != 0x0A { out += ending }
    out += Array("-- down_revision: \(parents.joined(separator: ", "))".utf8) + ending
    out += bytes[revisionLine.end...]
    return out
  }

  /// The key of a `-- key: value` header line.
  private static func headerKey(_ line: String) -> String? {
    let trimmed = line.drop { $0 == " " || $0 == "\t" }
    guard trimmed.hasPrefix("--"), !trimmed.hasPrefix("-- +") else { return nil }
    let body = trimmed.dropFirst(2).drop { $0 == " " || $0 == "\t" }
    guard let colon = body.firstIndex(of: ":") else { return nil }
    let key = body[..<colon]
    guard !key.isEmpty, key.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) else {
      return nil
    }
    return String(key)
  }

  // MARK: - Alembic

  static func rewriteAlembic(_ bytes: [UInt8], path: String, parents: [String]) throws -> [UInt8] {
    let tokens = PythonTokenizer.tokens(bytes)
    guard
      let name = tokens.firstIndex(where: { $0.startsTopLevelStatement && $0.isName("down_revision") })
    else {
      throw MergeError.unrewritableHeader(
        location: path, reason: "no top-level `down_revision = …` assignment to rewrite")
    }
    let location = "\(path):\(tokens[name].line)"
    var equals = name + 1
    if equals < tokens.count && tokens[equals].isOp(":") {
      while equals < tokens.count && !(tokens[equals].isOp("=") && tokens[equals].depth == 0) { equals += 1 }
    }
    guard equals < tokens.count, tokens[equals].isOp("="), equals + 1 < tokens.count else {
      throw MergeError.unrewritableHeader(location: location, reason: "down_revision has no value to rewrite")
    }
    let first = equals + 1
    var last = first
    while last + 1 < tokens.count {
      let next = tokens[last + 1]
      if next.depth == 0 && (next.isOp(";") || (next.isFirstOnLine && !isCloser(next))) { break }
      last += 1
    }
    let quote: Character =
      tokens[first...last].first { $0.kind == .string }
      .flatMap { token in bytes[token.start..<token.end].first { $0 == 0x22 || $0 == 0x27 } }
      .map { Character(UnicodeScalar($0)) } ?? "'"
    let value = NewRevision.pythonScalarOrTuple(parents, quote: quote)
    var out = Array(bytes[..<tokens[first].start]) + Array(value.utf8) + Array(bytes[tokens[last].end...])

    // The docstring's `Revises:` line comes before the assignment, so its offsets still hold.
    if let docstring = tokens.first, docstring.kind == .string, docstring.startsTopLevelStatement,
      docstring.end <= tokens[first].start,
      let range = revisesValueRange(in: out, from: docstring.start, to: docstring.end)
    {
      out.replaceSubrange(range, with: Array((" " + parents.joined(separator: ", ")).utf8))
    }
    return out
  }

  private static func isCloser(_ token: PythonToken) -> Bool {
    token.isOp(")") || token.isOp("]") || token.isOp("}")
  }

  /// The bytes after `Revises:` up to the end of that line, inside `start..<end`.
  private static func revisesValueRange(in bytes: [UInt8], from start: Int, to end: Int) -> Range<Int>? {
    let marker = Array("Revises:".utf8)
    var lineStart = start
    while lineStart < end {
      var lineEnd = lineStart
      while lineEnd < end && bytes[lineEnd] != 0x0A { lineEnd += 1 }
      var first = lineStart
      while first < lineEnd && (bytes[first] == 0x20 || bytes[first] == 0x09) { first += 1 }
      if bytes[first..<lineEnd].starts(with: marker) {
        var contentEnd = lineEnd
        if contentEnd > first && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        return (first + marker.count)..<contentEnd
      }
      lineStart = lineEnd + 1
    }
    return nil
  }
}
