import Graph

/// What `revgraph verify` found: applied revisions whose file changed since they ran, and
/// version-table rows naming revisions that no longer exist.
public struct Verification: Sendable, Equatable {
  /// An applied revision whose upgrade section differs from what ran.
  public struct Changed: Sendable, Equatable {
    public var revision: String
    public var path: String
    /// SHA-256 of the section when it ran.
    public var appliedChecksum: String
    /// SHA-256 of the section now.
    public var currentChecksum: String
    /// When it ran (UTC, ISO 8601).
    public var appliedAt: String
  }

  /// The version table's rows.
  public var rows: [String]
  /// Applied revisions whose file changed.
  public var changed: [Changed]
  /// Rows that name no revision file.
  public var missing: [String]
  /// Applied revisions the log cannot vouch for (stamped, applied by another tool, or
  /// Alembic scripts).
  public var unverified: [String]
  /// Applied revisions whose section matches the log.
  public var verified: Int

  /// True when nothing is wrong.
  public var isClean: Bool { changed.isEmpty && missing.isEmpty }
}

extension MigrationRunner {
  /// Compares every applied revision with the log of what ran; never writes.
  public func verify() throws -> Verification {
    guard let db = try location.openReadOnly(timeout: lockTimeout) else {
      return Verification(rows: [], changed: [], missing: [], unverified: [], verified: 0)
    }
    defer { db.close() }
    let rows = try bookkeeping.rows(in: db)
    let missing = rows.filter { graph.index(of: $0) == nil }
    let applied = try graph.appliedRevisions(rows.filter { graph.index(of: $0) != nil })
    // The latest log entry of each revision.
    var latest = [String: (direction: String, checksum: String?, at: String)]()
    if try db.tableExists(bookkeeping.logTableName) {
      let log = try db.rows(
        "SELECT revision, direction, checksum, started_at FROM \(bookkeeping.logTableName.quoted) ORDER BY id", [])
      for row in log where row.count == 4 {
        latest[row[0] ?? ""] = (row[1] ?? "", row[2], row[3] ?? "")
      }
    }
    var changed = [Verification.Changed]()
    var unverified = [String]()
    var verified = 0
    for node in applied {
      let record = graph.record(node)
      guard record.format == .sql, let entry = latest[record.id], entry.direction == "upgrade",
        let checksum = entry.checksum
      else {
        unverified.append(record.id)
        continue
      }
      let script = try RevisionScript.load(record)
      if script.upgrade.checksum == checksum {
        verified += 1
      } else {
        changed.append(
          Verification.Changed(
            revision: record.id, path: record.path, appliedChecksum: checksum,
            currentChecksum: script.upgrade.checksum, appliedAt: entry.at))
      }
    }
    return Verification(rows: rows, changed: changed, missing: missing, unverified: unverified, verified: verified)
  }
}
