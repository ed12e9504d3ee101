import Foundation
import Graph
import Project

/// A project in a temporary directory: a config file and revision files, removed on deinit.
final class TestProject {
  let root: String
  let kind: ProjectConfig.Kind

  /// Creates `revgraph.toml` (or `alembic.ini`) with `extraConfig`, and a `m/versions` directory.
  init(kind: ProjectConfig.Kind = .revgraph, extraConfig: String = "") throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-merge-\(UUID().uuidString)").path
    self.kind = kind
    try FileManager.default.createDirectory(atPath: versions, withIntermediateDirectories: true)
    if kind == .revgraph {
      try write("revgraph.toml", "script_location = \"m\"\n" + extraConfig)
    } else {
      try write("alembic.ini", "[alembic]\nscript_location = %(here)s/m\n" + extraConfig)
    }
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  var versions: String { root + "/m/versions" }

  /// Writes a file relative to the root.
  func write(_ name: String, _ text: String) throws {
    let url = URL(fileURLWithPath: root).appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  /// Writes a native revision `m/versions/<id>.sql` with an upgrade section.
  func revision(
    _ id: String, parents: [String] = [], labels: [String] = [], date: String? = nil, upgrade: String = ""
  ) throws {
    var text = "-- revision: \(id)\n"
    if !parents.isEmpty { text += "-- down_revision: \(parents.joined(separator: ", "))\n" }
    if !labels.isEmpty { text += "-- branch_labels: \(labels.joined(separator: ", "))\n" }
    text += "-- message: rev \(id)\n"
    if let date { text += "-- create_date: \(date)\n" }
    text += "\n-- +upgrade\n\(upgrade)\n\n-- +downgrade\n"
    try write("m/versions/\(id).sql", text)
  }

  /// Writes an Alembic script `m/versions/<id>_r.py` in the generic template's layout.
  func script(
    _ id: String, parents: [String] = [], date: String = "2026-01-01 10:00:00.000001", upgrade: String = "pass"
  )
    throws
  {
    let down =
      parents.isEmpty
      ? "None" : parents.count == 1 ? "'\(parents[0])'" : "(\(parents.map { "'\($0)'" }.joined(separator: ", ")))"
    let text = """
      \"\"\"rev \(id)

      Revision ID: \(id)
      Revises: \(parents.joined(separator: ", "))
      Create Date: \(date)

      \"\"\"
      from typing import Sequence, Union

      from alembic import op
      import sqlalchemy as sa


      # revision identifiers, used by Alembic.
      revision: str = '\(id)'
      down_revision: Union[str, Sequence[str], None] = \(down)
      branch_labels: Union[str, Sequence[str], None] = None
      depends_on: Union[str, Sequence[str], None] = None


      def upgrade() -> None:
          \(upgrade)


      def downgrade() -> None:
          pass

      """
    try write("m/versions/\(id)_r.py", text)
  }

  func config() throws -> ProjectConfig { try ProjectConfig.discover(explicitPath: nil, in: root) }

  func graph() throws -> RevisionGraph { try RevisionLoader.graph(locations: [versions]) }

  /// Every file under the versions directory: name → bytes.
  func snapshot() throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: versions) {
      files[name] = FileManager.default.contents(atPath: versions + "/" + name)
    }
    return files
  }
}
