/// Spotting misspellings: of revision header keys (``SQLRevisionParser``) and of configuration
/// keys (the Project library), for "did you mean" in their errors.
public enum NearMiss {
  /// The most edits a word may be from a known one to be taken for a misspelling of it.
  public static let maximumDistance = 2

  /// The optimal string alignment distance (restricted Damerau–Levenshtein: insertions,
  /// deletions, substitutions and swaps of two adjacent elements) between `a` and `b`, or
  /// `limit + 1` as soon as it is known to be more than `limit`.
  ///
  /// - Complexity: O(*m* × *n*) time and O(*n*) space for *m* and *n* elements (nothing when
  ///   the lengths differ by more than `limit`).
  public static func distance<Element: Equatable>(_ a: [Element], _ b: [Element], limit: Int = .max - 1) -> Int {
    guard abs(a.count - b.count) <= limit else { return limit + 1 }
    guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
    // Three rows of the table: two rows back, the previous one and this one.
    var twoBack = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      var rowMinimum = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], twoBack[j - 2] + 1)
        }
        rowMinimum = min(rowMinimum, current[j])
      }
      // Row minimums never decrease (a swap costs no less than the substitution beside it).
      if rowMinimum > limit { return limit + 1 }
      (twoBack, previous, current) = (previous, current, twoBack)
    }
    return min(previous[b.count], limit + 1)
  }

  /// ``distance(_:_:limit:)`` of two strings, character by character.
  public static func distance(_ a: String, _ b: String) -> Int { distance(Array(a), Array(b)) }

  /// The word in `words` closest to `word`, if one is at most ``maximumDistance`` edits away
  /// (ignoring case); ties go to the earlier word.
  public static func closest(to word: String, among words: [String]) -> String? {
    let word = Array(word.lowercased())
    var best: (word: String, distance: Int)?
    for candidate in words {
      let distance = distance(word, Array(candidate.lowercased()), limit: maximumDistance)
      if distance <= maximumDistance, distance < best?.distance ?? .max { best = (candidate, distance) }
    }
    return best?.word
  }
}
