import Graph

/// Compares what unmerged branches do to the database schema.
///
/// For each pair of heads, the revisions only one of them descends from form the two sides;
/// each side's upgrades are scanned (``RevisionBody``) and every object touched on both
/// sides is reported with each revision, file and line.
///
/// - Complexity: O(*k*² (*v* + *e*)) for *k* heads, plus one scan of each revision file involved.
public struct ConflictAnalyzer: Sendable {
  /// The history.
  public let graph: RevisionGraph

  /// Creates an analyzer.
  public init(graph: RevisionGraph) {
    self.graph = graph
  }

  /// Analyses the branches leading to `heads`.
  ///
  /// - Parameters:
  ///   - heads: Revision ids (at least two for anything to be reported; duplicates ignored).
  ///   - changes: Reads a revision's schema changes; by default its file's upgrade.
  /// - Throws: ``GraphError/unknownRevision(text:hint:)`` for an unknown id; whatever
  ///   `changes` throws.
  public func analyze(
    heads: [String], changes: (RevisionRecord) throws -> [SchemaChange] = RevisionBody.changes(of:)
  ) throws -> ConflictReport {
    var nodes: [RevisionGraph.Index] = []
    for id in heads {
      guard let node = graph.index(of: id) else { throw GraphError.unknownRevision(text: id, hint: nil) }
      if !nodes.contains(node) { nodes.append(node) }
    }
    let masks = nodes.map { graph.ancestorMask(of: [$0]) }
    var common = [Bool](repeating: !nodes.isEmpty, count: graph.count)
    for mask in masks { for i in 0..<graph.count where !mask[i] { common[i] = false } }
    let commonTips = (0..<graph.count).filter { i in
      common[i] && !graph.childIndices(RevisionGraph.Index(i)).contains { common[Int($0)] }
    }
    let branches = zip(nodes, masks).map { node, mask in
      ConflictReport.Branch(
        head: graph.id(node),
        revisions: (0..<graph.count).filter { mask[$0] && !common[$0] }.map { graph.id(RevisionGraph.Index($0)) })
    }

    var cache: [RevisionGraph.Index: [SchemaChange]] = [:]
    func touches(on side: [Bool]) throws -> [SchemaObject: [ConflictReport.Touch]] {
      var result: [SchemaObject: [ConflictReport.Touch]] = [:]
      for i in 0..<graph.count where side[i] {
        let node = RevisionGraph.Index(i)
        let record = graph.record(node)
        if cache[node] == nil { cache[node] = try changes(record) }
        for change in cache[node] ?? [] {
          let touch = ConflictReport.Touch(
            revision: record.id, path: record.path, line: change.line, action: change.action, detail: change.detail)
          if !(result[change.object]?.contains(touch) ?? false) { result[change.object, default: []].append(touch) }
        }
      }
      return result
    }

    var items: [SchemaObject: ConflictReport.Item] = [:]
    for a in nodes.indices {
      for b in nodes.indices where b > a {
        let sideA = (0..<graph.count).map { masks[a][$0] && !masks[b][$0] }
        let sideB = (0..<graph.count).map { masks[b][$0] && !masks[a][$0] }
        let touchesA = try touches(on: sideA)
        let touchesB = try touches(on: sideB)
        for (object, listA) in touchesA {
          guard let listB = touchesB[object] else { continue }
          let (severity, reason) = Self.classify(
            (graph.id(nodes[a]), listA.map(\.action)), (graph.id(nodes[b]), listB.map(\.action)))
          var item =
            items[object]
            ?? ConflictReport.Item(object: object, severity: severity, reason: "", branches: [])
          if severity < item.severity { item.severity = severity }
          item.reason =
            item.reason.isEmpty ? reason : item.reason.contains(reason) ? item.reason : item.reason + "; " + reason
          for (head, list) in [(graph.id(nodes[a]), listA), (graph.id(nodes[b]), listB)] {
            if let existing = item.branches.firstIndex(where: { $0.head == head }) {
              for touch in list where !item.branches[existing].touches.contains(touch) {
                item.branches[existing].touches.append(touch)
              }
            } else {
              item.branches.append(ConflictReport.BranchTouches(head: head, touches: list))
            }
          }
          items[object] = item
        }
      }
    }
    let order = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { (graph.id($1), $0) })
    let sorted = items.values.map { item -> ConflictReport.Item in
      var item = item
      item.branches.sort { order[$0.head] ?? 0 < order[$1.head] ?? 0 }
      return item
    }.sorted { $0.severity != $1.severity ? $0.severity < $1.severity : $0.object < $1.object }
    return ConflictReport(
      heads: nodes.map { graph.id($0) }, commonAncestors: commonTips.map { graph.id(RevisionGraph.Index($0)) },
      branches: branches, items: sorted)
  }

  /// The severity and reason for an object touched on two branches.
  static func classify(
    _ a: (head: String, actions: [SchemaAction]), _ b: (head: String, actions: [SchemaAction])
  ) -> (ConflictReport.Severity, String) {
    func verb(_ actions: [SchemaAction]) -> String {
      if actions.contains(.drop) { return "dropped" }
      if actions.contains(.rename) { return "renamed" }
      if actions.contains(.create) { return "created" }
      if actions.contains(.alter) { return "altered" }
      return "written to"
    }
    let verbA = verb(a.actions), verbB = verb(b.actions)
    let destructive: Set<SchemaAction> = [.drop, .rename, .create]
    let severity: ConflictReport.Severity =
      a.actions.contains(where: destructive.contains) || b.actions.contains(where: destructive.contains)
      ? .conflict : .overlap
    if verbA == verbB { return (severity, "\(verbA) on both branches (\(a.head), \(b.head))") }
    return (severity, "\(verbA) on the branch to \(a.head), \(verbB) on the branch to \(b.head)")
  }
}
