/// A compact adjacency list: the neighbours of node `i` are
/// `targets[offsets[i] ..< offsets[i + 1]]` (compressed sparse rows).
struct Adjacency: Sendable {
  private(set) var offsets: [Int32]
  private(set) var targets: [Int32]

  /// Builds the rows from one list per node, keeping each list's order.
  init(_ lists: [[Int32]]) {
    var offsets = [Int32]()
    offsets.reserveCapacity(lists.count + 1)
    var targets = [Int32]()
    targets.reserveCapacity(lists.reduce(0) { $0 + $1.count })
    offsets.append(0)
    for list in lists {
      targets.append(contentsOf: list)
      offsets.append(Int32(targets.count))
    }
    self.offsets = offsets
    self.targets = targets
  }

  /// Rows given as they are stored: `offsets` has one more entry than there are rows, starts
  /// at 0 and never decreases, and its last entry is `targets.count`.
  init(offsets: [Int32], targets: [Int32]) {
    precondition(offsets.first == 0 && offsets.last.map(Int.init) == targets.count, "malformed rows")
    self.offsets = offsets
    self.targets = targets
  }

  /// The reverse relation: for every edge `i -> j`, an edge `j -> i`, each row in
  /// ascending node order (load order).
  /// - Complexity: O(*v* + *e*).
  func reversed(nodeCount: Int) -> Adjacency {
    var counts = [Int32](repeating: 0, count: nodeCount + 1)
    for t in targets { counts[Int(t) + 1] += 1 }
    for i in 0..<nodeCount { counts[i + 1] += counts[i] }
    var fill = counts
    var out = [Int32](repeating: 0, count: targets.count)
    for node in 0..<nodeCount {
      for t in self[Int32(node)] {
        out[Int(fill[Int(t)])] = Int32(node)
        fill[Int(t)] += 1
      }
    }
    return Adjacency(offsets: counts, targets: out)
  }

  /// The same relation over renumbered nodes: row `r` is the row of node `order[r]` with
  /// every neighbour `t` written as `position[t]`, in the same order.
  /// - Complexity: O(*v* + *e*).
  func permuted(order: [Int32], position: [Int32]) -> Adjacency {
    let n = order.count
    precondition(n == nodeCount && position.count == n, "not a renumbering of this relation")
    var newOffsets = [Int32](repeating: 0, count: n + 1)
    var newTargets = [Int32](repeating: 0, count: targets.count)
    // Plain pointers: at a million revisions bounds checks cost as much as the (random) reads.
    offsets.withUnsafeBufferPointer { offsets in
      targets.withUnsafeBufferPointer { targets in
        order.withUnsafeBufferPointer { order in
          position.withUnsafeBufferPointer { position in
            newOffsets.withUnsafeMutableBufferPointer { newOffsets in
              newTargets.withUnsafeMutableBufferPointer { newTargets in
                var filled = 0
                for r in 0..<n {
                  let node = Int(order[r])
                  for k in Int(offsets[node])..<Int(offsets[node + 1]) {
                    newTargets[filled] = position[Int(targets[k])]
                    filled += 1
                  }
                  newOffsets[r + 1] = Int32(filled)
                }
              }
            }
          }
        }
      }
    }
    return Adjacency(offsets: newOffsets, targets: newTargets)
  }

  /// ``permuted(order:position:)`` for a relation where most rows are empty (dependencies):
  /// rows are read in node order and only the non-empty ones are moved, so the pass jumps
  /// through memory only for those.
  /// - Complexity: O(*v* + *e*).
  func permutedSparse(order: [Int32], position: [Int32]) -> Adjacency {
    let n = order.count
    precondition(n == nodeCount && position.count == n, "not a renumbering of this relation")
    var newOffsets = [Int32](repeating: 0, count: n + 1)
    for node in 0..<n where offsets[node + 1] > offsets[node] {
      newOffsets[Int(position[node]) + 1] = offsets[node + 1] - offsets[node]
    }
    for r in 0..<n { newOffsets[r + 1] += newOffsets[r] }
    var newTargets = [Int32](repeating: 0, count: targets.count)
    for node in 0..<n where offsets[node + 1] > offsets[node] {
      var at = Int(newOffsets[Int(position[node])])
      for t in self[Int32(node)] {
        newTargets[at] = position[Int(t)]
        at += 1
      }
    }
    return Adjacency(offsets: newOffsets, targets: newTargets)
  }

  /// These rows followed by those of `other` (whose nodes come after these).
  func appending(_ other: Adjacency) -> Adjacency {
    guard !other.targets.isEmpty || other.nodeCount > 0 else { return self }
    let shift = Int32(targets.count)
    return Adjacency(offsets: offsets + other.offsets.dropFirst().map { $0 + shift }, targets: targets + other.targets)
  }

  /// Builds the rows one at a time: `append` the current row's neighbours, then `endRow()`
  /// (no array per row, which matters at a million revisions).
  struct Builder {
    private var offsets: [Int32] = [0]
    private var targets: [Int32] = []

    init(rows: Int, edges: Int = 0) {
      offsets.reserveCapacity(rows + 1)
      targets.reserveCapacity(edges)
    }

    /// The neighbours of the current row so far.
    var currentRow: ArraySlice<Int32> { targets[Int(offsets[offsets.count - 1])...] }

    mutating func append(_ target: Int32) { targets.append(target) }

    mutating func endRow() { offsets.append(Int32(targets.count)) }

    var adjacency: Adjacency { Adjacency(offsets: offsets, targets: targets) }
  }

  var nodeCount: Int { offsets.count - 1 }

  @inline(__always)
  subscript(node: Int32) -> ArraySlice<Int32> {
    targets[Int(offsets[Int(node)])..<Int(offsets[Int(node) + 1])]
  }

  @inline(__always)
  func count(_ node: Int32) -> Int {
    Int(offsets[Int(node) + 1] - offsets[Int(node)])
  }
}
