import Foundation
import Merge
import Project

/// What the configured database knows, for the team-workflow commands that check against it.
///
/// These are the seams between the Merge library (which takes the answers as plain values)
/// and the SQLite runner. `nil` means "not checked".
enum DatabaseState {
  /// Applied revisions whose file changed since they were applied (`revgraph check`).
  static func changedAppliedRevisions(project: ProjectConfig, history: LoadedHistory) -> [ChangedRevision]? {
    // Runner integration: filled in when the SQLite runner lands (issue 3).
    nil
  }

  /// The revisions applied in the configured database (`revgraph rebase` refuses to move them).
  static func appliedRevisions(project: ProjectConfig) -> Set<String>? {
    // Runner integration: filled in when the SQLite runner lands (issue 3).
    nil
  }
}

/// Paths as the user typed them: relative to the current directory when inside it.
enum DisplayPath {
  static func relative(_ path: String) -> String {
    let cwd = FileManager.default.currentDirectoryPath
    let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }
}
