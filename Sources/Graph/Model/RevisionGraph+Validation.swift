extension RevisionGraph {
  /// Identifiers that mean something else in a target and so cannot name a revision or label.
  static let reservedNames: Set<String> = ["base", "head", "heads", "current"]
  /// Characters a revision id may not contain (they are target syntax).
  static let illegalIDCharacters: [Character] = ["+", "-", ":", "@"]

  /// The error of the first record, in load order, that ``validate(_:at:)`` rejects.
  static func firstInvalidRecord(_ records: [RevisionRecord]) -> (any Error)? {
    do {
      for i in records.indices { try validate(records, at: i) }
      return nil
    } catch {
      return error
    }
  }

  /// Checks one record on its own: id syntax, self references, repeated parents, label names.
  ///
  /// Takes the array and a position so that fields are read in place: passing
  /// `records[i]` copied the whole record (eight retains and releases) at every call.
  static func validate(_ records: [RevisionRecord], at i: Int) throws {
    let id = records[i].id
    // Only errors need the location, and building it formats a string.
    var at: String { records[i].location(of: "revision") }
    if id.isEmpty {
      throw GraphError.invalidScript(location: at, reason: "the revision id is empty")
    }
    // Most ids are plain ASCII words: one pass over the bytes tells that nothing below applies.
    let isPlainByte = { (byte: UInt8) in
      byte > 0x20 && byte < 0x7F && byte != 0x2B && byte != 0x2D && byte != 0x3A && byte != 0x40
    }
    let isPlain =
      id.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(isPlainByte) } ?? id.utf8.allSatisfy(isPlainByte)
    let illegal = isPlain ? [] : Set(id.filter { illegalIDCharacters.contains($0) }).sorted()
    if !illegal.isEmpty {
      let list = illegal.map(String.init).joined(separator: ", ")
      throw GraphError.invalidScript(
        location: at,
        reason: "revision id '\(id)' contains '\(list)'; ids may not contain @ - + : (they are target syntax)")
    }
    if !isPlain && id.contains(where: { $0.isWhitespace }) {
      throw GraphError.invalidScript(location: at, reason: "revision id '\(id)' contains white space")
    }
    // A plain id equal to a reserved word has its bytes, and the longest is 7 bytes ("current").
    if (!isPlain || id.utf8.count <= 7) && reservedNames.contains(id) {
      throw GraphError.invalidScript(
        location: at, reason: "'\(id)' is a reserved word in targets and cannot be a revision id")
    }
    if records[i].downRevisions.contains(id) {
      throw GraphError.cycle(path: [id, id])
    }
    // Merges list two or three parents: compare pairwise rather than hashing.
    let parents = records[i].downRevisions
    for (k, parent) in parents.enumerated() where parents[..<k].contains(parent) {
      throw GraphError.invalidScript(
        location: records[i].location(of: "down_revision"),
        reason: "down_revision lists '\(parent)' twice; list each parent once")
    }
    for label in records[i].branchLabels {
      if label.isEmpty || reservedNames.contains(label)
        || label.contains(where: { "@:".contains($0) || $0.isWhitespace })
      {
        throw GraphError.invalidScript(
          location: records[i].location(of: "branch_labels"),
          reason: "'\(label)' cannot be a branch label (it must be non-empty, not one of base/head/heads/current,"
            + " and contain no '@', ':' or white space)")
      }
    }
  }
}
