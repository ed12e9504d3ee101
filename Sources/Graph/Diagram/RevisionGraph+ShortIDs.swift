extension RevisionGraph {
  /// For each revision, the shortest prefix of its id that is at least `minimumLength`
  /// characters long and starts no other id (the whole id when it is shorter).
  ///
  /// - Complexity: O(*v* log *v*) comparisons for sorting the ids.
  public func shortIDs(minimumLength: Int) -> [String] {
    let sorted = (0..<Index(count)).sorted { id($0) < id($1) }
    var length = [Int](repeating: minimumLength, count: count)
    for (a, b) in zip(sorted, sorted.dropFirst()) {
      let shared = zip(id(a), id(b)).prefix { $0 == $1 }.count
      length[Int(a)] = max(length[Int(a)], shared + 1)
      length[Int(b)] = max(length[Int(b)], shared + 1)
    }
    return (0..<count).map { String(records[$0].id.prefix(length[$0])) }
  }
}
