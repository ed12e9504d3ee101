/// Spotting misspelled configuration keys.
enum NearMiss {
  /// The most edits a key may be from a known one to be taken for a misspelling of it.
  static let maximumDistance = 2

  /// The number of single-character insertions, deletions, substitutions and swaps of two
  /// adjacent characters that turn `a` into `b` (optimal string alignment distance, the
  /// restricted Damerau–Levenshtein distance).
  ///
  /// - Complexity: O(*m* × *n*) time and O(*n*) space for strings of *m* and *n* characters.
  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    // Three rows of the edit-distance table: two rows back, the previous one and this one.
    var twoBack = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], twoBack[j - 2] + 1)
        }
      }
      (twoBack, previous, current) = (previous, current, twoBack)
    }
    return previous[b.count]
  }

  /// The key in `keys` closest to `key`, if one is at most ``maximumDistance`` edits away
  /// (ignoring case); ties go to the earlier key.
  static func closest(to key: String, among keys: [String]) -> String? {
    let key = key.lowercased()
    var best: (key: String, distance: Int)?
    for candidate in keys {
      let distance = distance(key, candidate.lowercased())
      if distance <= maximumDistance, distance < best?.distance ?? .max {
        best = (candidate, distance)
      }
    }
    return best?.key
  }
}
