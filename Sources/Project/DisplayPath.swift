import Foundation

/// Paths as the user typed them: relative to the current directory when inside it.
public enum DisplayPath {
  /// `path` relative to the current directory when it lies below it, else unchanged.
  public static func relative(_ path: String) -> String {
    let cwd = FileManager.default.currentDirectoryPath
    let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }
}
