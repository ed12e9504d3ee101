import TestSupport
import Testing

@testable import Graph

/// Randomized checks: random histories, random version tables, random targets.
@Suite struct PropertyTests {
  static let seeds: [UInt64] = Array(1...40)

  @Test("plans are valid: order, no repeats, version table = tips of the applied set", arguments: seeds)
  func plansAreValid(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<10 {
      let graph = try RandomGraph.graph(sizes: 1...30, rng: &rng)
      graph.checkInvariants()
      for _ in 0..<15 {
        let rows = RandomGraph.state(graph, rng: &rng)
        let target = RandomGraph.target(graph, rng: &rng)
        let start = graph.ancestors(of: try graph.currentRevisions(rows), .all)
        if let plan = try? graph.upgradePlan(to: target, from: rows) {
          try PlanChecks.verify(plan, in: graph)
          // Applied afterwards = applied before ∪ ancestors of the targets.
          let targets = try graph.upgradeTargets(target, current: try graph.currentRevisions(rows))
          let wanted = graph.ancestors(of: targets, .all)
          let after = graph.ancestors(of: try graph.currentRevisions(plan.finalVersionTable), .all)
          for i in 0..<Int32(graph.count) {
            #expect(after[i] == (start[i] || wanted[i]), "seed \(seed) upgrade \(target) from \(rows)")
          }
        }
        if let plan = try? graph.downgradePlan(to: target, from: rows) {
          try PlanChecks.verify(plan, in: graph)
          let after = graph.ancestors(of: try graph.currentRevisions(plan.finalVersionTable), .all)
          let reverted = Set(plan.steps.map(\.revision))
          for i in 0..<Int32(graph.count) {
            #expect(after[i] == (start[i] && !reverted.contains(i)), "seed \(seed) downgrade \(target) from \(rows)")
          }
        }
      }
    }
  }

  @Test("upgrade from base then downgrade to base returns to an empty table", arguments: seeds)
  func roundTrip(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let graph = try RandomGraph.graph(sizes: 1...40, rng: &rng)
    for _ in 0..<10 {
      let target = RandomGraph.target(graph, rng: &rng)
      guard let up = try? graph.upgradePlan(to: target, from: []) else { continue }
      let down = try graph.downgradePlan(to: "base", from: up.finalVersionTable)
      #expect(down.finalVersionTable.isEmpty)
      #expect(Set(down.steps.map(\.id)) == Set(up.steps.map(\.id)), "seed \(seed) target \(target)")
      // Everything applied through heads, then everything reverted.
      let all = try graph.upgradePlan(to: "heads", from: [])
      #expect(all.steps.count == graph.count)
    }
  }

  @Test("history lists every revision once, children before parents", arguments: seeds)
  func historyIsTopological(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let graph = try RandomGraph.graph(sizes: 1...60, rng: &rng)
    let order = try graph.history()
    #expect(order.count == graph.count && Set(order).count == graph.count)
    var position = [Int](repeating: 0, count: graph.count)
    for (i, node) in order.enumerated() { position[Int(node)] = i }
    for node in 0..<Int32(graph.count) {
      for parent in graph.allParents(node) { #expect(position[Int(parent)] > position[Int(node)]) }
    }
  }

  @Test("both file formats give the same graph", arguments: seeds.prefix(10))
  func formatsAgree(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let records = RandomGraph.records(size: 25, rng: &rng)
    let sql = try records.map { try SQLRevisionParser.parse(FormatWriter.sql($0), path: $0.path) }
    let python = try records.map { try PythonRevisionParser.parse(FormatWriter.python($0), path: $0.path) }
    let a = try RevisionGraph(records: sql), b = try RevisionGraph(records: python)
    #expect(a.ids(try a.history()) == b.ids(try b.history()))
    #expect(a.ids(a.heads) == b.ids(b.heads))
    for i in 0..<Int32(a.count) {
      #expect(a.branchLabels(i) == b.branchLabels(i))
      #expect(a.record(i).downRevisions == b.record(i).downRevisions)
      #expect(a.record(i).dependsOn == b.record(i).dependsOn)
      #expect(a.record(i).message == b.record(i).message)
    }
  }
}

/// Writes a record in each file format.
enum FormatWriter {
  static func sql(_ r: RevisionRecord) -> String {
    var s = "-- revision: \(r.id)\n"
    if !r.downRevisions.isEmpty { s += "-- down_revision: \(r.downRevisions.joined(separator: ", "))\n" }
    if !r.branchLabels.isEmpty { s += "-- branch_labels: \(r.branchLabels.joined(separator: ", "))\n" }
    if !r.dependsOn.isEmpty { s += "-- depends_on: \(r.dependsOn.joined(separator: ", "))\n" }
    return s + "-- message: \(r.message)\n\n-- +upgrade\n\n-- +downgrade\n"
  }

  static func python(_ r: RevisionRecord) -> String {
    func value(_ list: [String]) -> String {
      switch list.count {
      case 0: "None"
      case 1: "'\(list[0])'"
      default: "(\n    " + list.map { "\"\($0)\"" }.joined(separator: ",\n    ") + ",\n)"
      }
    }
    return """
      \"\"\"\(r.message)

      Revision ID: \(r.id)
      \"\"\"
      from typing import Sequence, Union

      from alembic import op
      import sqlalchemy as sa

      # revision identifiers, used by Alembic.
      revision: str = '\(r.id)'
      down_revision: Union[str, Sequence[str], None] = \(value(r.downRevisions))
      branch_labels: Union[str, Sequence[str], None] = \(r.branchLabels.isEmpty ? "None" : "('\(r.branchLabels[0])',)")
      depends_on: Union[str, Sequence[str], None] = \(value(r.dependsOn))


      def upgrade() -> None:
          pass

      """
  }
}
