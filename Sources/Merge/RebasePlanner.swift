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
  /// - Throws: ``GraphError`` when a target does not resolve; ``MergeError`` when the result
  ///   would be a cycle or an invalid history, nothing changes, the revision is a merge
  ///   revision, a moved revision is applied, or the file's header cannot be rewritten.
  public func plan(revision: String, onto target: String, appliedRevisions: Set<String>? = nil) throws
    -> RebasePlan
  {
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
      if !applied.isEmpty { throw MergeError.rebaseApplied(revision: record.id, applied: applied) }
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
}
