/// Words of the shell commands revgraph prints or runs.
public enum ShellWord {
  /// `word` as one POSIX shell word: unchanged when it is made of safe characters, else in
  /// single quotes (a quote inside written `'\''`).
  public static func quoted(_ word: String) -> String {
    if !word.isEmpty && word.allSatisfy({ safe.contains($0) }) { return word }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  private static let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@%+=,")
}
