import Foundation
import TestSupport
import Testing

@testable import Graph

/// A native header line that lost its colon is reported by the built binary, warm header
/// cache or not, instead of turning the revision into a base.
@Suite struct HeaderStrictnessCLITests {
  @Test("check and heads report `-- down_revision a` (no colon) instead of a second base")
  func malformedHeaderLine() throws {
    let project = try NativeProject(
      [RevisionRecord(id: "a", downRevisions: [], path: ""), RevisionRecord(id: "b", downRevisions: ["a"], path: "")],
      name: "revgraph-header-strictness")
    defer { project.remove() }
    let cache = project.root.appendingPathComponent("cache").path
    // Old enough for the header cache to record both files.
    usleep(3_200_000)
    var (status, out, err) = try OfflineSQLCLITests.run(["check"], in: project.root, cache: cache)
    #expect(status == 0, "\(out)\(err)")
    #expect(out.contains("2 revision files, 1 head (b): ok"), "\(out)")

    try "-- revision: b\n-- down_revision a\n-- message: rev b\n\n-- +upgrade\nSELECT 1;\n".write(
      to: project.path("b"), atomically: true, encoding: .utf8)
    let fix = "write it as `-- down_revision: a`"
    for _ in 0..<2 {
      (status, out, err) = try OfflineSQLCLITests.run(["check"], in: project.root, cache: cache)
      #expect(status != 0, "\(out)\(err)")
      #expect(!out.contains(": ok"), "\(out)")
      #expect((out + err).contains("b.sql:2") && (out + err).contains(fix), "\(out)\(err)")
    }
    (status, out, err) = try OfflineSQLCLITests.run(["heads"], in: project.root, cache: "off")
    #expect(status == 1, "\(out)\(err)")
    #expect(out.isEmpty && err.contains("b.sql:2") && err.contains(fix), "\(out)\(err)")
  }
}
