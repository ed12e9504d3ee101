import Foundation
import Graph

/// A native project on disk for end-to-end tests: `revgraph.toml`, `mig/versions/*.sql` and
/// the database path `app.db`.
///
/// By default every revision `x` creates table `t_x` and its downgrade drops it, so the
/// tables present tell exactly which revisions are applied.
public struct NativeProject {
  public let root: URL
  public var versions: URL { root.appendingPathComponent("mig/versions") }
  public var database: URL { root.appendingPathComponent("app.db") }

  /// Writes the project for `records`; `body(record)` gives (upgrade, downgrade) SQL.
  public init(
    _ records: [RevisionRecord], name: String = "revgraph-test",
    body: (RevisionRecord) -> (upgrade: String, downgrade: String?) = NativeProject.tableBody
  ) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("mig/versions"), withIntermediateDirectories: true)
    try "script_location = \"mig\"\ndatabase = \"sqlite:///app.db\"\n".write(
      to: root.appendingPathComponent("revgraph.toml"), atomically: true, encoding: .utf8)
    for record in records { try write(record, body: body(record)) }
  }

  /// Writes (or rewrites) one revision file, `<id>.sql`.
  public func write(_ record: RevisionRecord, body: (upgrade: String, downgrade: String?)) throws {
    var text = "-- revision: \(record.id)\n"
    if !record.downRevisions.isEmpty { text += "-- down_revision: \(record.downRevisions.joined(separator: ", "))\n" }
    if !record.branchLabels.isEmpty { text += "-- branch_labels: \(record.branchLabels.joined(separator: ", "))\n" }
    if !record.dependsOn.isEmpty { text += "-- depends_on: \(record.dependsOn.joined(separator: ", "))\n" }
    if let transactional = record.attributes["transactional"] { text += "-- transactional: \(transactional)\n" }
    text += "-- message: \(record.message)\n\n-- +upgrade\n\(body.upgrade)\n"
    if let downgrade = body.downgrade { text += "\n-- +downgrade\n\(downgrade)\n" }
    try text.write(to: path(record.id), atomically: true, encoding: .utf8)
  }

  public func path(_ id: String) -> URL { versions.appendingPathComponent("\(id).sql") }

  /// Loads the project's graph from its files.
  public func graph() throws -> RevisionGraph { try RevisionLoader.graph(locations: [versions.path]) }

  /// `CREATE TABLE "t_<id>"` up, `DROP TABLE` down.
  public static func tableBody(_ record: RevisionRecord) -> (upgrade: String, downgrade: String?) {
    ("CREATE TABLE \"t_\(record.id)\" (x INTEGER);", "DROP TABLE \"t_\(record.id)\";")
  }

  /// The revision ids whose `t_<id>` table exists, sorted, read through the sqlite3 shell-free
  /// path the caller provides (the list of table names).
  public static func revisions(fromTables tables: [String]) -> [String] {
    tables.filter { $0.hasPrefix("t_") }.map { String($0.dropFirst(2)) }.sorted()
  }

  public func remove() { try? FileManager.default.removeItem(at: root) }
}
