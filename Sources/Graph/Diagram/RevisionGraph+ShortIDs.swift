extension RevisionGraph {
  /// For each revision, the shortest prefix of its id that is at least `minimumLength`
  /// characters long and starts no other id (the whole id when it is shorter).
  ///
  /// - Complexity: O(*v* log *v*) comparisons for sorting the ids.
  public func shortIDs(minimumLength: Int) -> [String] {
    let ids = records.map(\.id)
    // Printable ASCII has one character per byte, in byte order: compare bytes.
    let isASCII = ids.allSatisfy { $0.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }
    let sorted =
      isASCII
      ? (0..<count).sorted { ids[$0].utf8.lexicographicallyPrecedes(ids[$1].utf8) }
      : (0..<count).sorted { ids[$0] < ids[$1] }
    var length = [Int](repeating: minimumLength, count: count)
    for (a, b) in zip(sorted, sorted.dropFirst()) {
      let shared =
        isASCII
        ? zip(ids[a].utf8, ids[b].utf8).prefix { $0 == $1 }.count : zip(ids[a], ids[b]).prefix { $0 == $1 }.count
      length[a] = max(length[a], shared + 1)
      length[b] = max(length[b], shared + 1)
    }
    return (0..<count).map { i in
      guard isASCII else { return String(ids[i].prefix(length[i])) }
      let utf8 = ids[i].utf8
      return utf8.count <= length[i] ? ids[i] : String(decoding: utf8.prefix(max(length[i], 0)), as: UTF8.self)
    }
  }
}
