/// Interval labels that answer most "does revision `y` build on `x`" questions (is `y`
/// reachable from `x` going up through children and dependents) in O(1).
///
/// Each labeling is one depth-first walk over the children-and-dependents edges from every
/// revision in turn. A revision gets its discovery rank `pre`, the last discovery rank inside
/// its DFS subtree `end`, its post-order rank `post`, and `low`, the smallest post-order rank
/// reachable from it. Then:
///
/// - if `y` is reachable from `x`, `[low(y), post(y)]` lies inside `[low(x), post(x)]` in every
///   labeling, so a labeling where it does not proves `y` unreachable (GRAIL's idea: Yildirim,
///   Chaoji and Zaki, 2010);
/// - if `pre(x) ≤ pre(y) ≤ end(x)` in the first labeling or in the first-parent forest (each
///   revision below its first parent), `y` lies in `x`'s subtree there, which proves `y`
///   reachable.
///
/// Two labelings that visit successors in opposite orders settle nearly every pair in a
/// history shaped like a team's; the rest need a (pruned) search.
struct ReachabilityLabels {
  /// Per revision `4 * i ..< 4 * i + 4`: post and low of labeling 0, then of labeling 1.
  private(set) var intervals: [Int32]
  /// Per revision `4 * i ..< 4 * i + 4`: pre and end of labeling 0, then of the first-parent forest.
  private var subtrees: [Int32]

  /// - Complexity: O(*k* · (*v* + *e*)) for *k* = 2 labelings.
  init(_ graph: RevisionGraph) {
    let successors = Self.successors(graph)
    // Walks start at the revisions with neither parents nor dependencies, from which every
    // revision is reachable; a walk from the bottom keeps long lines inside one subtree.
    let roots = (0..<Int32(graph.count)).filter {
      graph.parents.count($0) == 0 && graph.dependencies.count($0) == 0
    }
    let first = Self.labeling(successors, reversed: false, roots: roots)
    let second = Self.labeling(successors, reversed: true, roots: roots)
    let tree = Self.firstParentTree(graph)
    intervals = [Int32](repeating: 0, count: 4 * graph.count)
    subtrees = [Int32](repeating: 0, count: 4 * graph.count)
    for i in 0..<graph.count {
      intervals[4 * i] = first.post[i]
      intervals[4 * i + 1] = first.low[i]
      intervals[4 * i + 2] = second.post[i]
      intervals[4 * i + 3] = second.low[i]
      subtrees[4 * i] = first.pre[i]
      subtrees[4 * i + 1] = first.end[i]
      subtrees[4 * i + 2] = tree.pre[i]
      subtrees[4 * i + 3] = tree.end[i]
    }
  }

  /// False when `to` is certainly not reachable from `from`; true when it may be.
  @inline(__always)
  func mayReach(_ from: RevisionGraph.Index, _ to: RevisionGraph.Index) -> Bool {
    let f = 4 * Int(from), t = 4 * Int(to)
    return intervals[t] <= intervals[f] && intervals[t + 1] >= intervals[f + 1]
      && intervals[t + 2] <= intervals[f + 2] && intervals[t + 3] >= intervals[f + 3]
  }

  /// True when `to` is certainly reachable from `from` (a descendant in one of the walks).
  @inline(__always)
  func surelyReaches(_ from: RevisionGraph.Index, _ to: RevisionGraph.Index) -> Bool {
    let f = 4 * Int(from), t = 4 * Int(to)
    return (subtrees[f] <= subtrees[t] && subtrees[t] <= subtrees[f + 1])
      || (subtrees[f + 2] <= subtrees[t + 2] && subtrees[t + 2] <= subtrees[f + 3])
  }

  /// Discovery ranks in the first-parent forest: each revision hangs below its first
  /// `down_revision` (a base below its first dependency). A main line that merges branches in
  /// is one first-parent chain, so everything built on it lies in one subtree.
  private static func firstParentTree(_ graph: RevisionGraph) -> (pre: [Int32], end: [Int32]) {
    let n = graph.count
    // The forest's child lists, as compressed rows (counting sort by tree parent).
    var treeParent = [Int32](repeating: -1, count: n)
    var offsets = [Int32](repeating: 0, count: n + 1)
    for node in 0..<Int32(n) {
      if let parent = graph.parents[node].first ?? graph.dependencies[node].first {
        treeParent[Int(node)] = parent
        offsets[Int(parent) + 1] += 1
      }
    }
    for i in 0..<n { offsets[i + 1] += offsets[i] }
    var fill = offsets
    var children = [Int32](repeating: 0, count: Int(offsets[n]))
    for node in 0..<n where treeParent[node] >= 0 {
      let parent = Int(treeParent[node])
      children[Int(fill[parent])] = Int32(node)
      fill[parent] += 1
    }
    var pre = [Int32](repeating: 0, count: n)
    var end = [Int32](repeating: 0, count: n)
    var discovered: Int32 = 0
    // Explicit stack of (node, position of its next child in `children`).
    var stack = [(node: Int32, next: Int32)]()
    for root in 0..<n where treeParent[root] < 0 {
      pre[root] = discovered
      discovered += 1
      stack.append((Int32(root), offsets[root]))
      while let (node, next) = stack.last {
        if next < offsets[Int(node) + 1] {
          stack[stack.count - 1].next += 1
          let child = children[Int(next)]
          pre[Int(child)] = discovered
          discovered += 1
          stack.append((child, offsets[Int(child)]))
          continue
        }
        stack.removeLast()
        end[Int(node)] = discovered - 1
      }
    }
    return (pre, end)
  }

  /// Children then dependents of every revision, as compressed rows.
  private static func successors(_ graph: RevisionGraph) -> Adjacency {
    var rows = Adjacency.Builder(
      rows: graph.count, edges: graph.children.targets.count + graph.dependents.targets.count)
    for node in 0..<Int32(graph.count) {
      for c in graph.children[node] { rows.append(c) }
      for d in graph.dependents[node] { rows.append(d) }
      rows.endRow()
    }
    return rows.adjacency
  }

  private static func labeling(_ successors: Adjacency, reversed: Bool, roots: [Int32])
    -> (low: [Int32], post: [Int32], pre: [Int32], end: [Int32])
  {
    let n = successors.nodeCount
    let offsets = successors.offsets, targets = successors.targets
    var low = [Int32](repeating: 0, count: n)
    var post = [Int32](repeating: -1, count: n)
    var pre = [Int32](repeating: -1, count: n)
    var end = [Int32](repeating: 0, count: n)
    var discovered: Int32 = 0
    var finished: Int32 = 0
    // Explicit stack of (node, successors visited so far).
    var stack = [(node: Int32, visited: Int32)]()
    for root in reversed ? roots.reversed() : roots {
      guard pre[Int(root)] < 0 else { continue }
      pre[Int(root)] = discovered
      discovered += 1
      stack.append((root, 0))
      while let (node, visited) = stack.last {
        let first = offsets[Int(node)], count = offsets[Int(node) + 1] - first
        if visited < count {
          stack[stack.count - 1].visited += 1
          let next = targets[Int(first + (reversed ? count - 1 - visited : visited))]
          if pre[Int(next)] < 0 {
            pre[Int(next)] = discovered
            discovered += 1
            stack.append((next, 0))
          }
          continue
        }
        stack.removeLast()
        // Every successor is finished: the history has no cycle.
        var smallest = finished
        for s in targets[Int(first)..<Int(first + count)] { smallest = min(smallest, low[Int(s)]) }
        post[Int(node)] = finished
        low[Int(node)] = smallest
        end[Int(node)] = discovered - 1
        finished += 1
      }
    }
    return (low, post, pre, end)
  }
}
