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
    var inFrontier = [Bool](repeating: false, count: count)
    var frontier = [Index]()
    for s in starts.sorted() where todo[Int(s)] && !inFrontier[Int(s)] {
      inFrontier[Int(s)] = true
      frontier.append(s)
    }
    var output = [Index]()
    output.reserveCapacity(remaining)
    var seen = [Int32](repeating: 0, count: count)
    var stamp: Int32 = 0
    var stack = [Index]()
    var i = 0

    while remaining > 0 {
      if frontier.isEmpty {
        // Members no start leads to (Alembic asserts here): continue from their tips.
        for node in members.members where todo[Int(node)] && pending[Int(node)] == 0 {
          inFrontier[Int(node)] = true
          frontier.append(node)
        }
        frontier.sort()
        i = 0
      }
      let candidate = frontier[i]
      if pending[Int(candidate)] > 0 {
        // Find the first other line that leads to the candidate.
        stamp += 1
        stack = [candidate]
        var tips = [Index]()
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
        if let j = frontier.indices.first(where: { $0 != i && seen[Int(frontier[$0])] == stamp }) {
          i = j
        } else {
          // Nothing on the list leads there: start lines at the pending tips above it.
          for tip in tips.sorted() where !inFrontier[Int(tip)] {
            inFrontier[Int(tip)] = true
            frontier.append(tip)
          }
          i = frontier.count - 1
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
      for p in effectiveParents[candidate] where todo[Int(p)] && !inFrontier[Int(p)] && !next.contains(p) {
        next.append(p)
      }
      if next.isEmpty {
        inFrontier[Int(candidate)] = false
        frontier.remove(at: i)
        i = max(i - 1, 0)
      } else {
        inFrontier[Int(candidate)] = false
        frontier[i] = next[0]
        inFrontier[Int(next[0])] = true
        for extra in next.dropFirst() {
          frontier.append(extra)
          inFrontier[Int(extra)] = true
        }
      }
    }
    return output
  }
}
