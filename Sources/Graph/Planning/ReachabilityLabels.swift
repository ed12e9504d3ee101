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
    let first = Self.labeling(graph, reversed: false)
    let second = Self.labeling(graph, reversed: true)
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
    var lists = [[Int32]](repeating: [], count: n)
    var roots = [Int32]()
    for node in 0..<Int32(n) {
      if let parent = graph.parents[node].first ?? graph.dependencies[node].first {
        lists[Int(parent)].append(node)
      } else {
        roots.append(node)
      }
    }
    let children = Adjacency(lists)
    var pre = [Int32](repeating: 0, count: n)
    var end = [Int32](repeating: 0, count: n)
    var discovered: Int32 = 0
    var stack = [(node: Int32, cursor: Int)]()
    for root in roots {
      pre[Int(root)] = discovered
      discovered += 1
      stack.append((root, 0))
      while let (node, cursor) = stack.last {
        let row = children[node]
        if cursor < row.count {
          stack[stack.count - 1].cursor += 1
          let next = row[row.startIndex + cursor]
          pre[Int(next)] = discovered
          discovered += 1
          stack.append((next, 0))
          continue
        }
        stack.removeLast()
        end[Int(node)] = discovered - 1
      }
    }
    return (pre, end)
  }

  private static func labeling(_ graph: RevisionGraph, reversed: Bool)
    -> (low: [Int32], post: [Int32], pre: [Int32], end: [Int32])
  {
    let n = graph.count
    var low = [Int32](repeating: 0, count: n)
    var post = [Int32](repeating: -1, count: n)
    var pre = [Int32](repeating: -1, count: n)
    var end = [Int32](repeating: 0, count: n)
    var discovered: Int32 = 0
    var finished: Int32 = 0
    // Explicit stack of (node, next successor position); successors are children, then dependents.
    var stack = [(node: Int32, cursor: Int)]()
    func successor(_ node: Int32, _ cursor: Int) -> Int32? {
      let children = graph.children[node], dependents = graph.dependents[node]
      let total = children.count + dependents.count
      guard cursor < total else { return nil }
      let position = reversed ? total - 1 - cursor : cursor
      return position < children.count
        ? children[children.startIndex + position]
        : dependents[dependents.startIndex + position - children.count]
    }
    // Walks start at the revisions with neither parents nor dependencies, from which every
    // revision is reachable; a walk from the bottom keeps long lines inside one subtree.
    for i in 0..<n {
      let root = Int32(reversed ? n - 1 - i : i)
      guard pre[Int(root)] < 0, graph.parents.count(root) == 0, graph.dependencies.count(root) == 0 else { continue }
      pre[Int(root)] = discovered
      discovered += 1
      stack.append((root, 0))
      while let (node, cursor) = stack.last {
        if let next = successor(node, cursor) {
          stack[stack.count - 1].cursor += 1
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
        var cursor = 0
        while let s = successor(node, cursor) {
          smallest = min(smallest, low[Int(s)])
          cursor += 1
        }
        post[Int(node)] = finished
        low[Int(node)] = smallest
        end[Int(node)] = discovered - 1
        finished += 1
      }
    }
    return (low, post, pre, end)
  }
}
