import Foundation
import Graph
import Merge
import Project
import Runner

/// What the configured database knows, for the team-workflow commands that check against it.
///
/// These are the seams between the Merge library (which takes the answers as plain values)
/// and the runner. `nil` means "not checked".
enum DatabaseState {
  /// Applied revisions whose file changed since they were applied (`revgraph check`):
  /// `.compared` with the list, or `.notCompared` with why not (no database configured —
  /// nil then — the history does not build, or the database cannot be read).
  enum AppliedComparison {
    case compared([ChangedRevision], rows: [String])
    case notCompared(reason: String?)

    var changed: [ChangedRevision]? {
      if case .compared(let changed, _) = self { return changed }
      return nil
    }

    /// The version-table rows read.
    var rows: [String]? {
      if case .compared(_, let rows) = self { return rows }
      return nil
    }
  }

  static func changedAppliedRevisions(project: ProjectConfig, history: LoadedHistory, database: DatabaseOptions)
    -> AppliedComparison
  {
    guard database.setting(project) != nil else { return .notCompared(reason: nil) }
    guard let graph = try? RevisionGraph(records: history.records) else {
      return .notCompared(reason: "the history does not build (see the findings above)")
    }
    let report: Verification
    do {
      report = try database.runner(project, graph).verify()
    } catch {
      return .notCompared(reason: "\(error)")
    }
    return .compared(
      report.changed.map { item in
        ChangedRevision(
          revision: item.revision, path: item.path,
          reason: "upgrade section edited after it was applied at \(item.appliedAt) (sha256 was "
            + "\(item.appliedChecksum.prefix(12))…, is now \(item.currentChecksum.prefix(12))…)")
      }, rows: report.rows)
  }

  /// The revisions applied in the configured database (`revgraph rebase` refuses to move them),
  /// with its version-table rows. Nil when no database is configured or it does not exist yet.
  static func appliedRevisions(project: ProjectConfig, graph: RevisionGraph, database: DatabaseOptions) throws
    -> (applied: Set<String>, rows: [String])?
  {
    guard database.setting(project) != nil else { return nil }
    let runner = try database.runner(project, graph)
    guard let rows = try runner.readRows() else { return nil }
    let known = try runner.knownRows(rows)
    return (Set(try graph.appliedRevisions(known).map(graph.id)), known)
  }
}
