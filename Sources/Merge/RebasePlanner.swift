import Foundation
import Graph

/// A rebase ready to be written: one revision file with a new `down_revision`.
public struct RebasePlan: Sendable, Equatable {
  /// The revision whose parents change (the first revision of the moved branch).
  public var revision: String
  /// Its parents before.
  public var oldParents: [String]
  /// Its parents after.
  public var newParents: [String]
  /// The revisions whose ancestry changes: the revision and everything built on it, in load order.
  public var moved: [String]
  /// The rewritten file (every byte but the parents kept).
  public var file: PlannedFile
  /// The heads once the file is written, in load order.
  public var headsAfter: [String]
}

/// Plans re-parenting a branch onto another revision, for teams that keep a linear history
/// instead of writing merge revisions.
public struct RebasePlanner: Sendable {
  /// The history.
  public let graph: RevisionGraph

  /// Creates a planner.
  public init(graph: RevisionGraph) {
    self.graph = graph
  }

  /// Plans moving the branch that starts at `revision` onto `target`.
  ///
  /// - Parameters:
  ///   - revision: A target naming one revision: the first revision of the branch to move.
  ///   - target: A target naming the new parent(s) (`base` makes the revision a root).
  ///   - appliedRevisions: The revisions applied in the configured database, when known;
  ///     a rebase that moves any of them is refused.
  ///   - versionTable: That database's version-table rows, for the refusal's advice: the
  ///     downgrade commands that revert exactly the moved revisions it has applied.
  /// - Throws: ``GraphError`` when a target does not resolve; ``MergeError`` when the result
  ///   would be a cycle or an invalid history, nothing changes, the revision is a merge
  ///   revision, a moved revision is applied, or the file's header cannot be rewritten.
  public func plan(
    revision: String, onto target: String, appliedRevisions: Set<String>? = nil, versionTable: [String]? = nil
  ) throws -> RebasePlan {
    let resolved = try graph.resolve(revision)
    guard resolved.count == 1, let node = graph.index(of: resolved[0]) else {
      throw GraphError.invalidTarget(
        text: revision, reason: "it names \(resolved.count) revisions; name the one revision to rebase")
    }
    var parents: [String] = []
    for id in try graph.resolve(target) where !parents.contains(id) { parents.append(id) }
    let record = graph.record(node)
    if graph.isMergePoint(node) {
      throw MergeError.rebaseMergeRevision(revision: record.id, parents: record.downRevisions)
    }
    if parents == record.downRevisions {
      throw MergeError.rebaseNoChange(revision: record.id, parents: parents)
    }
    let moving = graph.descendantMask(of: [node], includingDependencies: true)
    if let looping = parents.compactMap({ graph.index(of: $0) }).first(where: { moving[Int($0)] }) {
      throw MergeError.rebaseCycle(revision: record.id, onto: parents, path: cyclePath(from: node, to: looping))
    }
    let moved = (0..<graph.count).filter { moving[$0] }.map { graph.id(RevisionGraph.Index($0)) }
    if let appliedRevisions {
      let applied = moved.filter(appliedRevisions.contains)
      if !applied.isEmpty {
        throw MergeError.rebaseApplied(
          revision: record.id, applied: applied,
          downgrades: versionTable.flatMap { downgrades(reverting: Set(applied), from: $0, start: node) } ?? [])
      }
    }

    var records = graph.records
    records[Int(node)].downRevisions = parents
    let after: RevisionGraph
    do {
      after = try RevisionGraph(records: records)
    } catch let error as GraphError {
      throw MergeError.rebaseInvalid(revision: record.id, reason: error.description)
    }

    guard let data = FileManager.default.contents(atPath: record.path) else {
      throw MergeError.io(path: record.path, reason: "cannot read the revision file")
    }
    let bytes = [UInt8](data)
    let rewritten = try HeaderRewriter.rewrite(
      bytes, native: record.format == .sql, path: record.path, parents: parents)
    // Read the result back as the loader will, so a plan never writes a file that misreads.
    let reread: RevisionRecord
    do {
      reread =
        record.format == .sql
        ? try SQLRevisionParser.parse(bytes: rewritten, path: record.path)
        : try PythonRevisionParser.parse(String(decoding: rewritten, as: UTF8.self), path: record.path)
    } catch let error as GraphError {
      throw MergeError.unrewritableHeader(
        location: record.path, reason: "the rewritten header does not read back: \(error)")
    }
    guard reread.id == record.id, reread.downRevisions == parents else {
      throw MergeError.unrewritableHeader(
        location: record.location(of: "down_revision"),
        reason: "the rewritten header reads back as down_revision \(reread.downRevisions); edit the file by hand")
    }
    return RebasePlan(
      revision: record.id, oldParents: record.downRevisions, newParents: parents, moved: moved,
      file: PlannedFile(path: record.path, contents: rewritten), headsAfter: after.ids(after.heads))
  }

  /// `from -> … -> to -> from`: how `to` builds on `from` (children and dependents).
  private func cyclePath(from start: RevisionGraph.Index, to end: RevisionGraph.Index) -> [String] {
    var previous: [RevisionGraph.Index: RevisionGraph.Index] = [:]
    var queue = [start]
    var head = 0
    while head < queue.count {
      let node = queue[head]
      head += 1
      if node == end { break }
      for next in graph.childIndices(node) + graph.dependentIndices(node) where previous[next] == nil && next != start {
        previous[next] = node
        queue.append(next)
      }
    }
    var path = [end]
    while let last = path.last, last != start, let before = previous[last] { path.append(before) }
    return path.reversed().map { graph.id($0) } + [graph.id(start)]
  }

  /// The downgrade targets that, run in order from a database at `rows`, revert exactly
  /// `applied` (the moved revisions it has), each checked by planning it; nil when no such
  /// commands were found (the message then names the revisions only).
  ///
  /// Tried in order: one branch-qualified walk from the database's revision on the moved
  /// branch down to below `start` (`r@-k`, which leaves other branches alone); `start`'s
  /// parent, or `base`; then walks from the database's rows among the moved revisions, one
  /// after another, each as far down as the moved revisions go in a line (from a merge point,
  /// one of its parents by id).
  func downgrades(reverting applied: Set<String>, from rows: [String], start: RevisionGraph.Index) -> [String]? {
    func reverted(_ target: String, _ rows: [String]) -> (ids: Set<String>, rows: [String])? {
      guard let plan = try? graph.downgradePlan(to: target, from: rows) else { return nil }
      return (Set(plan.steps.map(\.id)), plan.finalVersionTable)
    }
    /// `row@-k`: the walk from `row` down through the revisions of `remaining` in a line (a
    /// merge point ends it: walking down from one is ambiguous).
    func walk(_ row: String, within remaining: Set<String>) -> String? {
      guard var node = graph.index(of: row), remaining.contains(row) else { return nil }
      var steps = 1
      while graph.parentIndices(node).count == 1, let parent = graph.parentIndices(node).first,
        remaining.contains(graph.id(parent))
      {
        node = parent
        steps += 1
      }
      // The walk lands below the last revision it reverts, which cannot be a merge point.
      if graph.parentIndices(node).count > 1 { steps -= 1 }
      return steps > 0 ? "\(row)@-\(steps)" : nil
    }
    let movedRows = rows.filter(applied.contains).sorted()
    var single = movedRows.count == 1 ? [walk(movedRows[0], within: applied)].compactMap { $0 } : []
    let parents = graph.record(start).downRevisions
    single.append(parents.count == 1 ? parents[0] : "base")
    single.append(graph.id(start) + "-1")
    for target in single where reverted(target, rows)?.ids == applied {
      return [target]
    }
    var current = rows
    var remaining = applied
    var targets = [String]()
    while !remaining.isEmpty {
      // From a merge point the walk is ambiguous: its parents, named, are the targets then.
      func candidates(_ row: String) -> [String] {
        guard let node = graph.index(of: row) else { return [] }
        let parents = graph.parentIndices(node).map { graph.id($0) }
        return parents.count > 1 ? parents : [walk(row, within: remaining)].compactMap { $0 }
      }
      let next = current.filter(remaining.contains).sorted().lazy.flatMap(candidates).compactMap {
        target -> (String, Set<String>, [String])? in
        guard let step = reverted(target, current), !step.ids.isEmpty, step.ids.isSubset(of: remaining) else {
          return nil
        }
        return (target, step.ids, step.rows)
      }.first
      guard let (target, ids, after) = next else { return nil }
      targets.append(target)
      remaining.subtract(ids)
      current = after
    }
    return targets
  }
}
