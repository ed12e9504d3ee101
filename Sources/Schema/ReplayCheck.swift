import Foundation
import Graph
import Project
import Runner

/// `revgraph check` without a declared schema: every revision replayed on an empty in-memory
/// SQLite database — upgraded to the heads, downgraded to base, upgraded again — so that a
/// history whose revisions cannot run one after another (two merged branches that both add
/// the same column, a downgrade that does not undo its upgrade) fails here rather than in
/// `revgraph upgrade`.
public enum ReplayCheck {
  /// What the replay found.
  public struct Outcome: Sendable, Equatable {
    /// The first statement that failed, as ``SchemaError/replayFailed(revision:path:line:statement:message:)``
    /// (with the direction in its message); nil when everything ran.
    public var failure: SchemaError?
    /// The revision whose missing or empty `-- +downgrade` section stopped the round trip
    /// after the first upgrade (nil when the downgrades ran, or were not reached).
    public var noDowngrade: String?
  }

  /// Replays `graph`'s revisions: up to the heads, down to base, up again.
  /// - Throws: ``SchemaError/notReplayable(revision:path:)`` for an Alembic script, and what
  ///   reading a revision file throws.
  public static func run(_ graph: RevisionGraph) throws -> Outcome {
    let connection = try SchemaSource.memory()
    let up = try graph.upgradePlan(to: "heads", from: [])
    let down = try graph.downgradePlan(to: "base", from: up.finalVersionTable)
    do {
      try SchemaSource.replay(graph, up.steps, phase: "upgrade", on: connection)
      let scripts = try down.steps.map { try SchemaSource.sqlScript(graph.record($0.revision)) }
      // A revision whose upgrade does something but whose downgrade is missing or empty cannot
      // be undone by design: the round trip stops before it. (An empty upgrade with an empty
      // downgrade, like a merge revision's, is a complete pair.)
      if let missing = scripts.first(where: { script in
        script.downgrade.map { $0.isEmpty && !script.upgrade.isEmpty } ?? true
      }) {
        return Outcome(failure: nil, noDowngrade: missing.revision)
      }
      try SchemaSource.replay(
        graph, down.steps, .downgrade, phase: "downgrade (after upgrading to the heads)", on: connection)
      try SchemaSource.replay(
        graph, up.steps, phase: "upgrade after the downgrades (did a downgrade leave something behind?)",
        on: connection)
    } catch let failure as SchemaError {
      guard case .replayFailed = failure else { throw failure }
      return Outcome(failure: failure)
    }
    return Outcome(failure: nil)
  }

  /// What identifies this replay: the revision files' paths and bytes (sorted by path). A
  /// replay that passed under this key need not run again.
  public static func key(_ graph: RevisionGraph) -> String? {
    var bytes = [UInt8]()
    for record in graph.records.sorted(by: { $0.path < $1.path }) {
      guard let data = FileManager.default.contents(atPath: record.path) else { return nil }
      bytes += Array(record.path.utf8) + [0] + Array(String(data.count).utf8) + [0] + Array(data)
    }
    return Checksum.sha256Hex(bytes)
  }
}
