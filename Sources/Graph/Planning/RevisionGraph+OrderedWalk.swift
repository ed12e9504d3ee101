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
  /// switch to is found by asking each line in turn whether it leads down to the blocked
  /// revision: interval labels (``ReachabilityLabels``) answer most of those questions at
  /// once, and a search pruned by them answers the rest.
  ///
  /// - Parameters:
  ///   - members: The revisions to order (closed between the starts and the region's bottom).
  ///   - starts: Where the lines begin (the targets of an upgrade, the rows of a downgrade).
  /// - Returns: `members`, newest first.
  /// - Complexity: O(*v* + *e*) over `members` plus, per blocked revision, the lines scanned
  ///   before the one to switch to (O(1) each when the labels rule a line out, else a pruned
  ///   search); building the labels costs O(*v* + *e*) once, on the first blocked revision.
  func orderedWalk(_ members: NodeSet, starts: [Index]) -> [Index] {
    orderedWalk(members, starts: starts, recordingFreed: false).order
  }

  /// ``orderedWalk(_:starts:)``, and optionally which revisions each emitted revision frees.
  ///
  /// With `recordingFreed`, `freed[freedOffsets[k] ..< freedOffsets[k + 1]]` are the members
  /// that nothing pending builds on any more once `order[k]` is emitted: seen as reverting
  /// the members newest first, they are the rows that emitting `order[k]` adds to the version
  /// table (``RevisionGraph/upgradePlan(to:from:)`` from an empty database uses this instead
  /// of a second pass over the graph). They are given as positions in ``layout``, and so is
  /// each emitted revision in `positions` (`order[k]` is `layout.order[positions[k]]`).
  func orderedWalk(_ members: NodeSet, starts: [Index], recordingFreed: Bool) -> (
    order: [Index], positions: [Int32], freed: [Int32], freedOffsets: [Int32]
  ) {
    // The walk runs over positions in topological order (``TopologicalLayout``), where a
    // line's revisions lie close together; what it emits is translated back to load indices,
    // and its tie-breaks in load order compare `layout.order` of positions.
    let layout = self.layout
    let loadIndex = layout.order, position = layout.position
    let parents = layout.parents, dependencies = layout.dependencies
    var freed = [Int32]()
    var freedOffsets = [Int32]()
    var positions = [Int32]()
    if recordingFreed {
      positions.reserveCapacity(members.count)
      freed.reserveCapacity(members.count)
      freedOffsets.reserveCapacity(members.count + 1)
      freedOffsets.append(0)
    }
    var remaining = members.count
    // pending[x]: for a member not yet emitted, the members not yet emitted that build directly
    // on it (children and dependents); -1 for every other revision. One array rather than a
    // flag and a count: at a million revisions each is a cache miss.
    var pending =
      members.count == count ? [Int32](repeating: 0, count: count) : loadIndex.map { members[$0] ? Int32(0) : -1 }
    for node in 0..<Int32(count) where pending[Int(node)] >= 0 {
      for p in parents[node] where pending[Int(p)] >= 0 { pending[Int(p)] += 1 }
      for d in dependencies[node] where pending[Int(d)] >= 0 && !parents[node].contains(d) { pending[Int(d)] += 1 }
    }
    var lines = Lines(capacity: count)
    for s in starts.sorted() where pending[Int(position[Int(s)])] >= 0 && !lines.contains(position[Int(s)]) {
      lines.append(position[Int(s)])
    }
    var output = [Index]()
    output.reserveCapacity(remaining)
    // Built on the first blocked revision (a history with one line never needs it).
    var switcher: LineSwitcher?
    var i = lines.head
    // The parents that continue the current line (reused: one allocation, not one per revision).
    var next = [Int32]()

    while remaining > 0 {
      if lines.head < 0 {
        // Members no start leads to (Alembic asserts here): continue from their tips.
        for node in members.members.sorted() where pending[Int(position[Int(node)])] == 0 {
          lines.append(position[Int(node)])
        }
        i = lines.head
      }
      let candidate = lines.node[Int(i)]
      if pending[Int(candidate)] > 0 {
        // Switch to the first other line that leads to the candidate.
        if switcher == nil {
          switcher = LineSwitcher(layout, members: members)
          if let switcher { lines.index(with: switcher.labels) }
        }
        if let j = switcher?.firstLine(leadingTo: candidate, besides: i, in: lines, pending: pending) {
          i = j
        } else {
          // Nothing on the list leads there: start lines at the pending tips above it.
          let tips = switcher?.pendingTips(above: candidate, pending: pending) ?? []
          for tip in tips.sorted(by: { loadIndex[Int($0)] < loadIndex[Int($1)] }) where !lines.contains(tip) {
            lines.append(tip)
          }
          i = lines.tail
        }
        continue
      }
      if pending[Int(candidate)] >= 0 {
        output.append(loadIndex[Int(candidate)])
        if recordingFreed { positions.append(candidate) }
        pending[Int(candidate)] = -1
        remaining -= 1
        for p in parents[candidate] where pending[Int(p)] >= 0 {
          pending[Int(p)] -= 1
          if recordingFreed && pending[Int(p)] == 0 { freed.append(p) }
        }
        for d in dependencies[candidate] where pending[Int(d)] >= 0 && !parents[candidate].contains(d) {
          pending[Int(d)] -= 1
          if recordingFreed && pending[Int(d)] == 0 { freed.append(d) }
        }
        if recordingFreed { freedOffsets.append(Int32(freed.count)) }
      }
      next.removeAll(keepingCapacity: true)
      for p in layout.effectiveParents[candidate]
      where pending[Int(p)] >= 0 && !lines.contains(p) && !next.contains(p) {
        next.append(p)
      }
      if let first = next.first {
        lines.replace(i, with: first)
        for extra in next.dropFirst() { lines.append(extra) }
      } else {
        i = lines.remove(i)
      }
    }
    return (output, positions, freed, freedOffsets)
  }
}

/// The walk's list of lines: a doubly linked list of slots, so that removing a line from the
/// middle is O(1) while keeping Alembic's list order. Revisions are positions in the graph's
/// ``TopologicalLayout``.
struct Lines {
  var node: [Int32] = []
  var prev: [Int32] = []
  var next: [Int32] = []
  var head: Int32 = -1
  var tail: Int32 = -1
  /// Whether a revision is currently the end of some line.
  private var member: [Bool]
  /// Live slots by reachability labels, once the walk first needs to switch lines.
  private(set) var tree: LineSearchTree?

  init(capacity: Int) { member = [Bool](repeating: false, count: capacity) }

  /// Starts keeping ``tree`` for these labels.
  mutating func index(with labels: ReachabilityLabels) {
    var slots = [(slot: Int32, node: Int32?)]()
    var slot = head
    while slot >= 0 {
      slots.append((slot, node[Int(slot)]))
      slot = next[Int(slot)]
    }
    tree = LineSearchTree(labels: labels, slots: slots)
  }

  func contains(_ revision: Int32) -> Bool { member[Int(revision)] }

  mutating func append(_ revision: Int32) {
    let slot = Int32(node.count)
    node.append(revision)
    prev.append(tail)
    next.append(-1)
    if tail >= 0 { next[Int(tail)] = slot } else { head = slot }
    tail = slot
    member[Int(revision)] = true
    tree?.set(slot, revision)
  }

  mutating func replace(_ slot: Int32, with revision: Int32) {
    member[Int(node[Int(slot)])] = false
    node[Int(slot)] = revision
    member[Int(revision)] = true
    tree?.set(slot, revision)
  }

  /// Removes a slot; returns the slot Alembic continues with (the previous one, else the first).
  mutating func remove(_ slot: Int32) -> Int32 {
    member[Int(node[Int(slot)])] = false
    tree?.set(slot, nil)
    let p = prev[Int(slot)], n = next[Int(slot)]
    if p >= 0 { next[Int(p)] = n } else { head = n }
    if n >= 0 { prev[Int(n)] = p } else { tail = p }
    return p >= 0 ? p : head
  }
}
