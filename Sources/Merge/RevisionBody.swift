import Foundation
import Graph

/// Reads what a revision's upgrade does to the schema, from the body of its file (the
/// graph loader reads headers only).
public enum RevisionBody {
  /// The `-- +upgrade` section of a native revision: its text and the file line it starts on.
  ///
  /// The section runs from the line after `-- +upgrade` to the line before `-- +downgrade`
  /// (or the end of the file); `nil` when there is no upgrade marker.
  public static func upgradeSection(ofNative text: String) -> (text: String, firstLine: Int)? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    func marker(_ line: Substring) -> String {
      String(line.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\r")))
    }
    guard let start = lines.firstIndex(where: { marker($0) == "-- +upgrade" }) else { return nil }
    let end = lines[(start + 1)...].firstIndex { marker($0) == "-- +downgrade" } ?? lines.count
    return (lines[(start + 1)..<end].joined(separator: "\n"), start + 2)
  }

  /// The schema changes of a revision file's upgrade, given its text and format.
  public static func changes(inText text: String, format: RevisionRecord.Format) -> [SchemaChange] {
    switch format {
    case .sql:
      guard let section = upgradeSection(ofNative: text) else { return [] }
      return SQLSchemaScanner.changes(in: section.text, firstLine: section.firstLine)
    case .alembic:
      return AlembicOpScanner.changes(inScript: text)
    }
  }

  /// Reads a revision's file and returns the schema changes of its upgrade.
  ///
  /// - Throws: ``MergeError/io(path:reason:)`` when the file cannot be read.
  public static func changes(of record: RevisionRecord) throws -> [SchemaChange] {
    guard let data = FileManager.default.contents(atPath: record.path) else {
      throw MergeError.io(path: record.path, reason: "cannot read the revision file")
    }
    return changes(inText: String(decoding: data, as: UTF8.self), format: record.format)
  }
}
