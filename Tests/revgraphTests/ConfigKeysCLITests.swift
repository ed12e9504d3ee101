import Foundation
import Testing

/// Unknown keys through the built binary: refused in `revgraph.toml`, warned about in
/// `alembic.ini` when they look like a misspelling.
@Suite struct ConfigKeysCLITests {
  @Test("a misspelled revgraph.toml key fails with file, line and the key meant")
  func misspelledRevgraphKey() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-cli-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("m/versions"), withIntermediateDirectories: true)
    try "script_location = \"m\"\ndatabse = \"sqlite:///app.db\"\n".write(
      to: root.appendingPathComponent("revgraph.toml"), atomically: true, encoding: .utf8)
    let (status, out, stderr) = try CLITests.run(["heads"], in: root)
    #expect(status == 2)
    #expect(out.isEmpty)
    #expect(stderr.hasPrefix("revgraph: error: "), "\(stderr)")
    #expect(stderr.contains("revgraph.toml:2: unknown key 'databse'"), "\(stderr)")
    #expect(stderr.contains("did you mean `database`?"), "\(stderr)")
  }

  @Test("a near miss in alembic.ini warns once on standard error and the command still works")
  func nearMissInAlembicINI() throws {
    let root = try CLITests.alembicProject()
    defer { try? FileManager.default.removeItem(at: root) }
    let ini = root.appendingPathComponent("alembic.ini")
    let text = try String(contentsOf: ini, encoding: .utf8)
    try (text + "version_location = %(here)s/elsewhere\nprepend_sys_path = .\n").write(
      to: ini, atomically: true, encoding: .utf8)
    let (status, out, stderr) = try CLITests.run(["heads"], in: root)
    #expect(status == 0)
    #expect(out == "x1 (xbr) (effective head)\ny2 (ybr) (head)\n")
    #expect(stderr.hasPrefix("revgraph: warning: "), "\(stderr)")
    #expect(stderr.contains("alembic.ini:3: 'version_location'"), "\(stderr)")
    #expect(stderr.contains("did you mean `version_locations`?"), "\(stderr)")
    #expect(stderr.components(separatedBy: "revgraph: warning:").count == 2, "\(stderr)")
    #expect(!stderr.contains("prepend_sys_path"), "\(stderr)")
  }
}
