import Foundation
import Testing

/// Golden files under `Tests/GraphTests/Golden/` (a test resource). Set
/// `REVGRAPH_UPDATE_GOLDEN=1` to rewrite them from the current output instead of comparing.
enum Golden {
  /// The checked-in directory, for updates.
  static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Golden")

  static var isUpdating: Bool { ProcessInfo.processInfo.environment["REVGRAPH_UPDATE_GOLDEN"] == "1" }

  /// The copy bundled with the tests.
  static func url(_ name: String) -> URL? {
    Bundle.module.resourceURL?.appendingPathComponent("Golden").appendingPathComponent(name)
  }

  static let hint = "run REVGRAPH_UPDATE_GOLDEN=1 swift test to rewrite the golden files, then review the diff"

  /// Compares `actual` with the golden file `name` (e.g. `dot/linear.dot`) and records an
  /// issue when they differ, or rewrites the file when updating.
  static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if isUpdating {
      let target = sourceDirectory.appendingPathComponent(name)
      try FileManager.default.createDirectory(
        at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      try actual.write(to: target, atomically: true, encoding: .utf8)
      return
    }
    if let problem = mismatch(actual, name) { Issue.record("\(problem)\n\(hint)", sourceLocation: sourceLocation) }
  }

  /// What differs between `actual` and the golden file `name`, or nil when they are equal.
  static func mismatch(_ actual: String, _ name: String) -> String? {
    guard let url = url(name), let expected = try? String(contentsOf: url, encoding: .utf8) else {
      return "golden file \(name) is missing"
    }
    guard actual != expected else { return nil }
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let common = min(actualLines.count, expectedLines.count)
    let line = (0..<common).first { actualLines[$0] != expectedLines[$0] } ?? common
    let got = line < actualLines.count ? String(actualLines[line]) : "(end of output)"
    let wanted = line < expectedLines.count ? String(expectedLines[line]) : "(end of file)"
    return "output differs from golden file \(name) at line \(line + 1):\n  expected: \(wanted)\n  actual:   \(got)"
  }

  /// The names of the bundled golden files in a subdirectory, sorted.
  static func names(in directory: String) -> [String] {
    guard let url = url(directory),
      let names = try? FileManager.default.contentsOfDirectory(atPath: url.path)
    else { return [] }
    return names.sorted().map { directory + "/" + $0 }
  }
}
