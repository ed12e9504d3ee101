import Foundation
import Graph
import Merge
import Project
import Runner

/// What the configured database knows, for the team-workflow commands that check against it.
///
/// These are the seams between the Merge library (which takes the answers as plain values)
/// and the SQLite runner. `nil` means "not checked".
enum DatabaseState {
  /// Applied revisions whose file changed since they were applied (`revgraph check`).
  /// Nil when no database is configured, the history does not build, or the database
  /// cannot be read (the other findings, or `revgraph verify`, say why).
  static func changedAppliedRevisions(project: ProjectConfig, history: LoadedHistory, database: DatabaseOptions)
    -> [ChangedRevision]?
  {
    guard database.setting(project) != nil, let graph = try? RevisionGraph(records: history.records),
      let report = try? database.runner(project, graph).verify()
    else { return nil }
    return report.changed.map { item in
      ChangedRevision(
        revision: item.revision, path: item.path,
        reason: "upgrade section edited after it was applied at \(item.appliedAt) (sha256 was "
          + "\(item.appliedChecksum.prefix(12))…, is now \(item.currentChecksum.prefix(12))…)")
    }
  }

  /// The revisions applied in the configured database (`revgraph rebase` refuses to move them).
  /// Nil when no database is configured or it does not exist yet.
  static func appliedRevisions(project: ProjectConfig, graph: RevisionGraph, database: DatabaseOptions) throws
    -> Set<String>?
  {
    guard database.setting(project) != nil else { return nil }
    let runner = try database.runner(project, graph)
    guard let rows = try runner.readRows() else { return nil }
    return Set(try graph.appliedRevisions(runner.knownRows(rows)).map(graph.id))
  }
}
