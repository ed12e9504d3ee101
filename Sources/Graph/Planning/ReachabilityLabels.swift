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
///
/// Revisions are positions in a ``TopologicalLayout``: the depth-first walks follow lines,
/// which lie close together there (in load order every step was a cache miss).
struct ReachabilityLabels {
  /// Per revision `4 * i ..< 4 * i + 4`: post and low of labeling 0, then of labeling 1.
  private(set) var intervals: [Int32]
  /// Per revision `4 * i ..< 4 * i + 4`: pre and end of labeling 0, then of the first-parent forest.
  private var subtrees: [Int32]

  /// - Complexity: O(*k* · (*v* + *e*)) for *k* = 2 labelings.
  init(_ layout: TopologicalLayout) {
    let successors = Self.successors(layout)
    // Walks start at the revisions with neither parents nor dependencies, from which every
    // revision is reachable; a walk from the bottom keeps long lines inside one subtree.
    let roots = (0..<Int32(layout.count)).filter {
      layout.parents.count($0) == 0 && layout.dependencies.count($0) == 0
    }
    let first = Self.labeling(successors, reversed: false, roots: roots)
    let second = Self.labeling(successors, reversed: true, roots: roots)
    let tree = Self.firstParentTree(layout)
    let n = layout.count
    intervals = [Int32](repeating: 0, count: 4 * n)
    subtrees = [Int32](repeating: 0, count: 4 * n)
    // Labelings hold pre, end, post, low per revision; the forest pre, end.
    for i in 0..<n {
      intervals[4 * i] = first[4 * i + 2]
      intervals[4 * i + 1] = first[4 * i + 3]
      intervals[4 * i + 2] = second[4 * i + 2]
      intervals[4 * i + 3] = second[4 * i + 3]
      subtrees[4 * i] = first[4 * i]
      subtrees[4 * i + 1] = first[4 * i + 1]
      subtrees[4 * i + 2] = tree[2 * i]
      subtrees[4 * i + 3] = tree[2 * i + 1]
    }
  }

  /// False when `to` is certainly not reachable from `from`; true when it may be.
  @inline(__always)
  func mayReach(_ from: Int32, _ to: Int32) -> Bool {
    let f = 4 * Int(from), t = 4 * Int(to)
    return intervals[t] <= intervals[f] && intervals[t + 1] >= intervals[f + 1]
      && intervals[t + 2] <= intervals[f + 2] && intervals[t + 3] >= intervals[f + 3]
  }

  /// True when `to` is certainly reachable from `from` (a descendant in one of the walks).
  @inline(__always)
  func surelyReaches(_ from: Int32, _ to: Int32) -> Bool {
    let f = 4 * Int(from), t = 4 * Int(to)
    return (subtrees[f] <= subtrees[t] && subtrees[t] <= subtrees[f + 1])
      || (subtrees[f + 2] <= subtrees[t + 2] && subtrees[t + 2] <= subtrees[f + 3])
  }

  /// Discovery ranks in the first-parent forest: each revision hangs below its first
  /// `down_revision` (a base below its first dependency). A main line that merges branches in
  /// is one first-parent chain, so everything built on it lies in one subtree.
  ///
  /// - Returns: Per revision `2 * i ..< 2 * i + 2`: pre, then the last pre in its subtree.
  private static func firstParentTree(_ layout: TopologicalLayout) -> [Int32] {
    let n = layout.count
    // The forest's child lists, as compressed rows (counting sort by tree parent).
    var treeParent = [Int32](repeating: -1, count: n)
    var offsets = [Int32](repeating: 0, count: n + 1)
    for node in 0..<Int32(n) {
      if let parent = layout.parents[node].first ?? layout.dependencies[node].first {
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
    var ranks = [Int32](repeating: 0, count: 2 * n)
    var stackNodes = [Int32](repeating: 0, count: n)
    var stackNext = [Int32](repeating: 0, count: n)
    // Plain pointers: at a million revisions bounds checks in this loop cost as much as the work.
    offsets.withUnsafeBufferPointer { offsets in
      children.withUnsafeBufferPointer { children in
        treeParent.withUnsafeBufferPointer { treeParent in
          ranks.withUnsafeMutableBufferPointer { ranks in
            stackNodes.withUnsafeMutableBufferPointer { stackNodes in
              stackNext.withUnsafeMutableBufferPointer { stackNext in
                var discovered: Int32 = 0
                for root in 0..<n where treeParent[root] < 0 {
                  ranks[2 * root] = discovered
                  discovered += 1
                  stackNodes[0] = Int32(root)
                  stackNext[0] = offsets[root]
                  var depth = 1
                  while depth > 0 {
                    let node = Int(stackNodes[depth - 1]), next = stackNext[depth - 1]
                    if next < offsets[node + 1] {
                      stackNext[depth - 1] = next + 1
                      let child = children[Int(next)]
                      ranks[2 * Int(child)] = discovered
                      discovered += 1
                      stackNodes[depth] = child
                      stackNext[depth] = offsets[Int(child)]
                      depth += 1
                      continue
                    }
                    depth -= 1
                    ranks[2 * node + 1] = discovered - 1
                  }
                }
              }
            }
          }
        }
      }
    }
    return ranks
  }

  /// Children then dependents of every revision, as compressed rows.
  private static func successors(_ layout: TopologicalLayout) -> Adjacency {
    var rows = Adjacency.Builder(
      rows: layout.count, edges: layout.children.targets.count + layout.dependents.targets.count)
    for node in 0..<Int32(layout.count) {
      for c in layout.children[node] { rows.append(c) }
      for d in layout.dependents[node] { rows.append(d) }
      rows.endRow()
    }
    return rows.adjacency
  }

  /// One depth-first labeling over `successors` from `roots` (in reverse order, visiting
  /// successors last to first, when `reversed`).
  ///
  /// - Returns: Per revision `4 * i ..< 4 * i + 4`: pre, end, post, low. One revision's
  ///   values share a cache line, which matters when a million revisions are visited in an
  ///   order unrelated to their indices.
  private static func labeling(_ successors: Adjacency, reversed: Bool, roots: [Int32]) -> [Int32] {
    let n = successors.nodeCount
    var labels = [Int32](repeating: -1, count: 4 * n)
    // Explicit stack of (node, successors visited so far); each revision is pushed once.
    var stackNodes = [Int32](repeating: 0, count: n)
    var stackVisited = [Int32](repeating: 0, count: n)
    successors.offsets.withUnsafeBufferPointer { offsets in
      successors.targets.withUnsafeBufferPointer { targets in
        labels.withUnsafeMutableBufferPointer { labels in
          stackNodes.withUnsafeMutableBufferPointer { stackNodes in
            stackVisited.withUnsafeMutableBufferPointer { stackVisited in
              var discovered: Int32 = 0
              var finished: Int32 = 0
              for root in reversed ? roots.reversed() : roots {
                guard labels[4 * Int(root)] < 0 else { continue }
                labels[4 * Int(root)] = discovered
                discovered += 1
                stackNodes[0] = root
                stackVisited[0] = 0
                var depth = 1
                while depth > 0 {
                  let node = Int(stackNodes[depth - 1]), visited = stackVisited[depth - 1]
                  let first = Int(offsets[node]), count = Int(offsets[node + 1]) - first
                  if Int(visited) < count {
                    stackVisited[depth - 1] = visited + 1
                    let next = Int(targets[first + (reversed ? count - 1 - Int(visited) : Int(visited))])
                    if labels[4 * next] < 0 {
                      labels[4 * next] = discovered
                      discovered += 1
                      stackNodes[depth] = Int32(next)
                      stackVisited[depth] = 0
                      depth += 1
                    }
                    continue
                  }
                  depth -= 1
                  // Every successor is finished: the history has no cycle.
                  var smallest = finished
                  for s in first..<first + count { smallest = min(smallest, labels[4 * Int(targets[s]) + 3]) }
                  labels[4 * node + 1] = discovered - 1
                  labels[4 * node + 2] = finished
                  labels[4 * node + 3] = smallest
                  finished += 1
                }
              }
            }
          }
        }
      }
    }
    return labels
  }
}
