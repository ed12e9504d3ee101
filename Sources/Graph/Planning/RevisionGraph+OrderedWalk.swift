extension RevisionGraph {
  /// Orders `members` newest first (every revision before its parents and dependencies),
  /// following Alembic's ordering walk so that plans and history match Alembic's order.
  ///
  /// The walk keeps a list of lines, one per start (starts in load order). It follows a line
  /// down while nothing pending still builds on its revision; when something does, it
  /// switches to the first line that leads to that revision. At a merge, the first effective
  /// parent continues the line and the others become new lines at the end of the list.
  ///
  /// Alembic recomputes ancestor sets at every such step (quadratic); here a revision is
  /// known to be free once every child inside `members` has been emitted, and the line to
  /// switch to is found by one search over the pending revisions above it.
  ///
  /// - Parameters:
  ///   - members: The revisions to order (closed between the starts and the region's bottom).
  ///   - starts: Where the lines begin (the targets of an upgrade, the rows of a downgrade).
  /// - Returns: `members`, newest first.
  /// - Complexity: O(*v* + *e*) over `members` when lines do not interleave; a switch costs
  ///   the pending revisions above the blocked one.
  func orderedWalk(_ members: NodeSet, starts: [Index]) -> [Index] {
    var todo = members.contains
    var remaining = members.count
    // pending[x]: members not yet emitted that build directly on x (children and dependents).
    var pending = [Int32](repeating: 0, count: count)
    for node in members.members {
      for p in parents[node] where todo[Int(p)] { pending[Int(p)] += 1 }
      for d in dependencies[node] where todo[Int(d)] && !parents[node].contains(d) { pending[Int(d)] += 1 }
    }
    var lines = Lines(capacity: count)
    for s in starts.sorted() where todo[Int(s)] && !lines.contains(s) { lines.append(s) }
    var output = [Index]()
    output.reserveCapacity(remaining)
    // Revisions above the last blocked candidate (marked with `stamp`). The set of pending
    // revisions leading to a candidate only shrinks, so while the same candidate stays
    // blocked the marks stay valid and the search is not repeated.
    var seen = [Int32](repeating: 0, count: count)
    var stamp: Int32 = 0
    var searched: Index = -1
    var tips = [Index]()
    var stack = [Index]()
    func search(_ candidate: Index) {
      stamp += 1
      searched = candidate
      tips.removeAll(keepingCapacity: true)
      stack = [candidate]
      while let node = stack.popLast() {
        if seen[Int(node)] == stamp { continue }
        seen[Int(node)] = stamp
        var above = false
        for c in children[node] where todo[Int(c)] {
          stack.append(c)
          above = true
        }
        for c in dependents[node] where todo[Int(c)] {
          stack.append(c)
          above = true
        }
        if !above && node != candidate { tips.append(node) }
      }
    }
    var i = lines.head

    while remaining > 0 {
      if lines.head < 0 {
        // Members no start leads to (Alembic asserts here): continue from their tips.
        for node in members.members.sorted() where todo[Int(node)] && pending[Int(node)] == 0 {
          lines.append(node)
        }
        i = lines.head
      }
      let candidate = lines.node[Int(i)]
      if pending[Int(candidate)] > 0 {
        // Switch to the first other line that leads to the candidate.
        if searched != candidate { search(candidate) }
        var j = lines.head
        while j >= 0 && (j == i || seen[Int(lines.node[Int(j)])] != stamp) { j = lines.next[Int(j)] }
        if j >= 0 {
          i = j
        } else {
          // Nothing on the list leads there: start lines at the pending tips above it.
          search(candidate)
          for tip in tips.sorted() where !lines.contains(tip) { lines.append(tip) }
          i = lines.tail
        }
        continue
      }
      if todo[Int(candidate)] {
        output.append(candidate)
        todo[Int(candidate)] = false
        remaining -= 1
        for p in parents[candidate] where todo[Int(p)] { pending[Int(p)] -= 1 }
        for d in dependencies[candidate] where todo[Int(d)] && !parents[candidate].contains(d) {
          pending[Int(d)] -= 1
        }
      }
      var next = [Index]()
      for p in effectiveParents[candidate] where todo[Int(p)] && !lines.contains(p) && !next.contains(p) {
        next.append(p)
      }
      if let first = next.first {
        lines.replace(i, with: first)
        for extra in next.dropFirst() { lines.append(extra) }
      } else {
        i = lines.remove(i)
      }
    }
    return output
  }
}

/// The walk's list of lines: a doubly linked list of slots, so that removing a line from the
/// middle is O(1) while keeping Alembic's list order.
struct Lines {
  var node: [RevisionGraph.Index] = []
  var prev: [Int32] = []
  var next: [Int32] = []
  var head: Int32 = -1
  var tail: Int32 = -1
  /// Whether a revision is currently the end of some line.
  private var member: [Bool]

  init(capacity: Int) { member = [Bool](repeating: false, count: capacity) }

  func contains(_ revision: RevisionGraph.Index) -> Bool { member[Int(revision)] }

  mutating func append(_ revision: RevisionGraph.Index) {
    let slot = Int32(node.count)
    node.append(revision)
    prev.append(tail)
    next.append(-1)
    if tail >= 0 { next[Int(tail)] = slot } else { head = slot }
    tail = slot
    member[Int(revision)] = true
  }

  mutating func replace(_ slot: Int32, with revision: RevisionGraph.Index) {
    member[Int(node[Int(slot)])] = false
    node[Int(slot)] = revision
    member[Int(revision)] = true
  }

  /// Removes a slot; returns the slot Alembic continues with (the previous one, else the first).
  mutating func remove(_ slot: Int32) -> Int32 {
    member[Int(node[Int(slot)])] = false
    let p = prev[Int(slot)], n = next[Int(slot)]
    if p >= 0 { next[Int(p)] = n } else { head = n }
    if n >= 0 { prev[Int(n)] = p } else { tail = p }
    return p >= 0 ? p : head
  }
}
