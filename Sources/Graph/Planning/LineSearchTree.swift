/// The lines of ``RevisionGraph/orderedWalk(_:starts:)`` by slot (slots are only ever
/// appended, so slot order is list order), with each subtree's smallest `post` and largest
/// `low` per labeling: a subtree none of whose lines may lead down to a revision is skipped.
struct LineSearchTree {
  private let labels: ReachabilityLabels
  private var capacity = 1
  /// Heap-ordered nodes (root 1), four values each: the smallest post and largest low of
  /// labeling 0, then of labeling 1, over the live lines below.
  private var bounds: [Int32] = []

  init(labels: ReachabilityLabels, slots: [(slot: Int32, node: Int32?)]) {
    self.labels = labels
    let needed = (slots.map { Int($0.slot) }.max() ?? 0) + 1
    resize(to: needed)
    for (slot, node) in slots { set(slot, node) }
  }

  private static let empty: [Int32] = [.max, .min, .max, .min]

  private mutating func resize(to needed: Int) {
    var size = capacity
    while size < needed { size *= 2 }
    var grown = [Int32](repeating: 0, count: 8 * size)
    for x in 0..<2 * size { grown.replaceSubrange(4 * x..<4 * x + 4, with: Self.empty) }
    // Keep the leaves, rebuild the rest.
    if !bounds.isEmpty {
      for i in 0..<capacity {
        for v in 0..<4 { grown[4 * (size + i) + v] = bounds[4 * (capacity + i) + v] }
      }
    }
    capacity = size
    bounds = grown
    var x = size - 1
    while x >= 1 {
      pull(x)
      x -= 1
    }
  }

  private mutating func pull(_ x: Int) {
    let l = 8 * x, r = 8 * x + 4, at = 4 * x
    bounds[at] = min(bounds[l], bounds[r])
    bounds[at + 1] = max(bounds[l + 1], bounds[r + 1])
    bounds[at + 2] = min(bounds[l + 2], bounds[r + 2])
    bounds[at + 3] = max(bounds[l + 3], bounds[r + 3])
  }

  /// Puts `node` on `slot` (nil: the slot's line ended).
  ///
  /// Stops climbing at the first subtree whose bounds do not change: those above it are
  /// computed from it and so do not change either. A line usually moves one revision down,
  /// which seldom changes more than the lowest levels.
  mutating func set(_ slot: Int32, _ node: Int32?) {
    if Int(slot) >= capacity { resize(to: Int(slot) + 1) }
    let leaf = capacity + Int(slot)
    labels.intervals.withUnsafeBufferPointer { intervals in
      bounds.withUnsafeMutableBufferPointer { bounds in
        if let node {
          for v in 0..<4 { bounds[4 * leaf + v] = intervals[4 * Int(node) + v] }
        } else {
          for v in 0..<4 { bounds[4 * leaf + v] = Self.empty[v] }
        }
        var x = leaf / 2
        while x >= 1 {
          let l = 8 * x, r = 8 * x + 4, at = 4 * x
          let post0 = min(bounds[l], bounds[r]), low0 = max(bounds[l + 1], bounds[r + 1])
          let post1 = min(bounds[l + 2], bounds[r + 2]), low1 = max(bounds[l + 3], bounds[r + 3])
          if bounds[at] == post0 && bounds[at + 1] == low0 && bounds[at + 2] == post1 && bounds[at + 3] == low1 {
            break
          }
          bounds[at] = post0
          bounds[at + 1] = low0
          bounds[at + 2] = post1
          bounds[at + 3] = low1
          x /= 2
        }
      }
    }
  }

  /// The first slot after `after` whose line's revision may lead down to `candidate`.
  func first(after: Int32, mayLeadTo candidate: Int32) -> Int32? {
    let c = 4 * Int(candidate)
    let post0 = labels.intervals[c], low0 = labels.intervals[c + 1]
    let post1 = labels.intervals[c + 2], low1 = labels.intervals[c + 3]
    // Depth-first, left to right, over subtrees that end after `after` and may hold a match.
    var x = 1, lo = 0, hi = capacity
    while true {
      let at = 4 * x
      let passes =
        hi > Int(after) + 1 && bounds[at] <= post0 && bounds[at + 1] >= low0 && bounds[at + 2] <= post1
        && bounds[at + 3] >= low1
      if passes {
        if hi - lo == 1 { return Int32(lo) }
        // Go left.
        x *= 2
        hi = (lo + hi) / 2
        continue
      }
      // Climb while we are a right child, then step to the right sibling.
      while x & 1 == 1 {
        x /= 2
        let width = hi - lo
        lo -= width
        if x == 0 { return nil }
      }
      if x == 0 { return nil }
      let width = hi - lo
      x += 1
      lo += width
      hi += width
    }
  }
}
