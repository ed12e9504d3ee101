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
    let n = layout.count
    // Walks start at the revisions with neither parents nor dependencies, from which every
    // revision is reachable; a walk from the bottom keeps long lines inside one subtree.
    let roots = (0..<Int32(n)).filter {
      layout.parents.count($0) == 0 && layout.dependencies.count($0) == 0
    }
    // Each walk writes its values in place (-1: not discovered yet), and all of them share one
    // stack: at a million revisions every temporary array is megabytes of fresh pages.
    intervals = [Int32](repeating: -1, count: 4 * n)
    subtrees = [Int32](repeating: 0, count: 4 * n)
    var stack = DepthFirstStack(capacity: n)
    Self.labeling(layout, reversed: false, roots: roots, &intervals, at: 0, &subtrees, recording: true, &stack)
    Self.labeling(layout, reversed: true, roots: roots, &intervals, at: 2, &subtrees, recording: false, &stack)
    Self.firstParentForest(layout, roots: roots, &subtrees, &stack)
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
  /// Writes, per revision, pre then the last pre in its subtree to `subtrees[4 * i + 2 ..< 4 * i + 4]`.
  private static func firstParentForest(
    _ layout: TopologicalLayout, roots: [Int32], _ subtrees: inout [Int32], _ stack: inout DepthFirstStack
  ) {
    let parents = layout.parents, dependencies = layout.dependencies
    let children = layout.children, dependents = layout.dependents
    // Plain pointers: at a million revisions bounds checks in this loop cost as much as the work.
    withBuffers(parents, dependencies, children, dependents) { parents, dependencies, children, dependents in
      subtrees.withUnsafeMutableBufferPointer { subtrees in
        stack.nodes.withUnsafeMutableBufferPointer { stackNodes in
          stack.next.withUnsafeMutableBufferPointer { stackNext in
            var discovered: Int32 = 0
            for root in roots {
              subtrees[4 * Int(root) + 2] = discovered
              discovered += 1
              stackNodes[0] = root
              stackNext[0] = 0
              var depth = 1
              while depth > 0 {
                let node = Int(stackNodes[depth - 1]), visited = Int(stackNext[depth - 1])
                let childCount = children.count(node)
                if visited < childCount + dependents.count(node) {
                  stackNext[depth - 1] += 1
                  // The forest's children: children whose first parent this is, and parentless
                  // dependents whose first dependency it is (each revision has one tree parent).
                  let next: Int32
                  if visited < childCount {
                    next = children.row(node)[visited]
                    guard parents.row(Int(next)).first == Int32(node) else { continue }
                  } else {
                    next = dependents.row(node)[visited - childCount]
                    guard parents.count(Int(next)) == 0 && dependencies.row(Int(next)).first == Int32(node) else {
                      continue
                    }
                  }
                  subtrees[4 * Int(next) + 2] = discovered
                  discovered += 1
                  stackNodes[depth] = next
                  stackNext[depth] = 0
                  depth += 1
                  continue
                }
                depth -= 1
                subtrees[4 * node + 3] = discovered - 1
              }
            }
          }
        }
      }
    }
  }

  /// One depth-first labeling over the children, then the dependents, of each revision, from
  /// `roots` (in reverse order, visiting successors last to first, when `reversed`).
  ///
  /// Writes post and low to `intervals[4 * i + at ..< 4 * i + at + 2]` (which must hold -1,
  /// meaning not discovered), and when `recording`, pre and end to `subtrees[4 * i ..< 4 * i + 2]`.
  /// One revision's values share a cache line.
  private static func labeling(
    _ layout: TopologicalLayout, reversed: Bool, roots: [Int32], _ intervals: inout [Int32], at slot: Int,
    _ subtrees: inout [Int32], recording: Bool, _ stack: inout DepthFirstStack
  ) {
    withBuffers(layout.parents, layout.dependencies, layout.children, layout.dependents) { _, _, children, dependents in
      intervals.withUnsafeMutableBufferPointer { labels in
        subtrees.withUnsafeMutableBufferPointer { subtrees in
          stack.nodes.withUnsafeMutableBufferPointer { stackNodes in
            stack.next.withUnsafeMutableBufferPointer { stackVisited in
              // A discovered revision's post holds -2 until it is finished.
              let discoveredMark: Int32 = -2
              var discovered: Int32 = 0
              var finished: Int32 = 0
              for root in reversed ? roots.reversed() : roots {
                guard labels[4 * Int(root) + slot] == -1 else { continue }
                labels[4 * Int(root) + slot] = discoveredMark
                if recording { subtrees[4 * Int(root)] = discovered }
                discovered += 1
                stackNodes[0] = root
                stackVisited[0] = 0
                var depth = 1
                while depth > 0 {
                  let node = Int(stackNodes[depth - 1]), visited = Int(stackVisited[depth - 1])
                  let childCount = children.count(node), count = childCount + dependents.count(node)
                  if visited < count {
                    stackVisited[depth - 1] += 1
                    // Successors are the children, then the dependents.
                    let k = reversed ? count - 1 - visited : visited
                    let next = Int(k < childCount ? children.row(node)[k] : dependents.row(node)[k - childCount])
                    if labels[4 * next + slot] == -1 {
                      labels[4 * next + slot] = discoveredMark
                      if recording { subtrees[4 * next] = discovered }
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
                  for c in children.row(node) { smallest = min(smallest, labels[4 * Int(c) + slot + 1]) }
                  for d in dependents.row(node) { smallest = min(smallest, labels[4 * Int(d) + slot + 1]) }
                  if recording { subtrees[4 * node + 1] = discovered - 1 }
                  labels[4 * node + slot] = finished
                  labels[4 * node + slot + 1] = smallest
                  finished += 1
                }
              }
            }
          }
        }
      }
    }
  }
}

/// The explicit stack of a depth-first walk: a revision and how many of its successors were
/// visited so far, per level. Each revision is on it at most once, so it needs one entry per revision.
private struct DepthFirstStack {
  var nodes: [Int32]
  var next: [Int32]

  init(capacity: Int) {
    nodes = [Int32](repeating: 0, count: capacity)
    next = [Int32](repeating: 0, count: capacity)
  }
}

/// Rows read through plain pointers.
private struct RowBuffers {
  let offsets: UnsafeBufferPointer<Int32>
  let targets: UnsafeBufferPointer<Int32>

  @inline(__always)
  func count(_ node: Int) -> Int { Int(offsets[node + 1] - offsets[node]) }

  @inline(__always)
  func row(_ node: Int) -> UnsafeBufferPointer<Int32> {
    UnsafeBufferPointer(rebasing: targets[Int(offsets[node])..<Int(offsets[node + 1])])
  }
}

/// Calls `body` with plain-pointer views of four relations.
private func withBuffers<R>(
  _ a: Adjacency, _ b: Adjacency, _ c: Adjacency, _ d: Adjacency,
  _ body: (RowBuffers, RowBuffers, RowBuffers, RowBuffers) -> R
) -> R {
  func view(_ x: Adjacency, _ inner: (RowBuffers) -> R) -> R {
    x.offsets.withUnsafeBufferPointer { offsets in
      x.targets.withUnsafeBufferPointer { targets in inner(RowBuffers(offsets: offsets, targets: targets)) }
    }
  }
  return view(a) { a in view(b) { b in view(c) { c in view(d) { d in body(a, b, c, d) } } } }
}
