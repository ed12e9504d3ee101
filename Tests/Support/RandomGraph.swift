@testable import Graph

/// SplitMix64: a small, seeded, reproducible generator.
public struct SplitMix64: RandomNumberGenerator {
  public var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Random histories with several bases, branch points, merges, labels and depends_on.
public enum RandomGraph {
  public static func records(size: Int, rng: inout SplitMix64) -> [RevisionRecord] {
    var records = [RevisionRecord]()
    var labelCount = 0
    for i in 0..<size {
      let id = String(format: "%04x%@", Int.random(in: 0..<0xffff, using: &rng), "r\(i)")
      var parents = [String]()
      if i > 0 && Int.random(in: 0..<10, using: &rng) > 0 {
        // Mostly recent parents: long lines with forks.
        let p = max(0, i - 1 - Int.random(in: 0..<min(i, 4), using: &rng))
        parents.append(records[p].id)
        if i > 2 && Int.random(in: 0..<6, using: &rng) == 0 {
          let q = Int.random(in: 0..<i, using: &rng)
          if !parents.contains(records[q].id) { parents.append(records[q].id) }
        }
      }
      var labels = [String]()
      if Int.random(in: 0..<7, using: &rng) == 0 {
        labels.append("lab\(labelCount)")
        labelCount += 1
      }
      var deps = [String]()
      if i > 1 && Int.random(in: 0..<6, using: &rng) == 0 {
        let d = Int.random(in: 0..<i, using: &rng)
        if !parents.contains(records[d].id) {
          deps.append(records[d].branchLabels.first ?? records[d].id)
        }
      }
      records.append(
        RevisionRecord(
          id: id, downRevisions: parents, branchLabels: labels, dependsOn: deps, message: "rev \(i)",
          path: "\(id).sql"))
    }
    // Load order is file order, not creation order.
    return records.shuffled(using: &rng)
  }

  /// The tips of a random set closed under parents and dependencies.
  /// A valid random history with a random number of revisions in `sizes`.
  public static func graph(sizes: ClosedRange<Int>, rng: inout SplitMix64) throws -> RevisionGraph {
    try RevisionGraph(records: records(size: Int.random(in: sizes, using: &rng), rng: &rng))
  }

  public static func state(_ graph: RevisionGraph, rng: inout SplitMix64) -> [String] {
    let picks = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
      RevisionGraph.Index(Int.random(in: 0..<graph.count, using: &rng))
    }
    let closed = graph.ancestors(of: picks, .all)
    return graph.tips(of: closed, .all).map { graph.id($0) }
  }

  /// A random target in one of the grammar's forms.
  public static func target(_ graph: RevisionGraph, rng: inout SplitMix64) -> String {
    let node = RevisionGraph.Index(Int.random(in: 0..<graph.count, using: &rng))
    let id = graph.id(node)
    let labels = graph.labelNames
    let label = labels.isEmpty ? id : labels[Int.random(in: 0..<labels.count, using: &rng)]
    let forms = [
      id, String(id.prefix(5)), "heads", "head", "base", "\(label)@head", "\(label)@heads", label,
      "+1", "+2", "-1", "\(label)@+1", "\(label)@-1", "\(id)+1", "\(id)-1", "\(label)@base", "\(id)@head",
    ]
    return forms[Int.random(in: 0..<forms.count, using: &rng)]
  }
}
