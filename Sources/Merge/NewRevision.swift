import Graph
import Project

/// The header of a revision file about to be written, and its text in either format.
///
/// The native text has the documented `-- key: value` header and empty `-- +upgrade` and
/// `-- +downgrade` sections. The Alembic text is what Alembic's generic `script.py.mako`
/// renders (docstring with `Revision ID`, `Revises` and `Create Date`, the four typed
/// assignments, and `upgrade()`/`downgrade()` that `pass`), so a merge written by revgraph
/// looks like one written by `alembic merge`.
public struct NewRevision: Sendable, Equatable {
  /// The revision id.
  public var id: String
  /// The `down_revision` entries, in the order they are written.
  public var parents: [String]
  /// Branch labels declared on the revision.
  public var branchLabels: [String]
  /// `depends_on` entries.
  public var dependsOn: [String]
  /// The message (Alembic: the docstring's first line).
  public var message: String
  /// The create date; `nil` leaves the date out of the file.
  public var createDate: CreateDate?

  /// Creates a header.
  public init(
    id: String, parents: [String], branchLabels: [String] = [], dependsOn: [String] = [], message: String,
    createDate: CreateDate?
  ) {
    self.id = id
    self.parents = parents
    self.branchLabels = branchLabels
    self.dependsOn = dependsOn
    self.message = message
    self.createDate = createDate
  }

  /// The file text in `format`.
  public func text(for format: RevisionRecord.Format) -> String {
    format == .sql ? nativeText() : alembicText()
  }

  /// A native `.sql` revision with the given section bodies (empty by default).
  public func nativeText(upgrade: String = "", downgrade: String = "") -> String {
    var out = "-- revision: \(id)\n"
    if !parents.isEmpty { out += "-- down_revision: \(parents.joined(separator: ", "))\n" }
    if !branchLabels.isEmpty { out += "-- branch_labels: \(branchLabels.joined(separator: ", "))\n" }
    if !dependsOn.isEmpty { out += "-- depends_on: \(dependsOn.joined(separator: ", "))\n" }
    let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    out += "-- message: \(oneLine)\n"
    if let createDate { out += "-- create_date: \(createDate)\n" }
    out += "\n-- +upgrade\n"
    if !upgrade.isEmpty { out += upgrade.hasSuffix("\n") ? upgrade : upgrade + "\n" }
    out += "\n-- +downgrade\n"
    if !downgrade.isEmpty { out += downgrade.hasSuffix("\n") ? downgrade : downgrade + "\n" }
    return out
  }

  /// The script Alembic's generic template renders for this header.
  public func alembicText() -> String {
    let docMessage = message.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"\"\"", with: "\\\"\\\"\\\"")
    var out = "\"\"\"\(docMessage)\n\nRevision ID: \(id)\nRevises: \(parents.joined(separator: ", "))\n"
    if let createDate { out += "Create Date: \(createDate)\n" }
    out += """

      \"\"\"
      from typing import Sequence, Union

      from alembic import op
      import sqlalchemy as sa


      # revision identifiers, used by Alembic.
      revision: str = \(Self.pythonRepr(id))
      down_revision: Union[str, Sequence[str], None] = \(Self.pythonScalarOrTuple(parents))
      branch_labels: Union[str, Sequence[str], None] = \(Self.pythonTuple(branchLabels))
      depends_on: Union[str, Sequence[str], None] = \(Self.pythonScalarOrList(dependsOn))


      def upgrade() -> None:
          \"\"\"Upgrade schema.\"\"\"
          pass


      def downgrade() -> None:
          \"\"\"Downgrade schema.\"\"\"
          pass

      """
    return out
  }

  // MARK: - Python literals

  /// Python's `repr` of a string.
  public static func pythonRepr(_ text: String, preferredQuote: Character = "'") -> String {
    let other: Character = preferredQuote == "'" ? "\"" : "'"
    let quote = text.contains(preferredQuote) && !text.contains(other) ? other : preferredQuote
    var out = String(quote)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where Character(scalar) == quote: out += "\\" + String(quote)
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        let hex = String(scalar.value, radix: 16)
        out += "\\x" + (hex.count < 2 ? "0" : "") + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + String(quote)
  }

  /// `None`, `'a'`, or `('a', 'b')`: how Alembic writes `down_revision`.
  public static func pythonScalarOrTuple(_ items: [String], quote: Character = "'") -> String {
    switch items.count {
    case 0: "None"
    case 1: pythonRepr(items[0], preferredQuote: quote)
    default: "(" + items.map { pythonRepr($0, preferredQuote: quote) }.joined(separator: ", ") + ")"
    }
  }

  /// `None` or a tuple (`('a',)` for one): how Alembic writes `branch_labels`.
  static func pythonTuple(_ items: [String]) -> String {
    switch items.count {
    case 0: "None"
    case 1: "(" + pythonRepr(items[0]) + ",)"
    default: "(" + items.map { pythonRepr($0) }.joined(separator: ", ") + ")"
    }
  }

  /// `None`, `'a'`, or `['a', 'b']`: how Alembic writes `depends_on`.
  static func pythonScalarOrList(_ items: [String]) -> String {
    switch items.count {
    case 0: "None"
    case 1: pythonRepr(items[0])
    default: "[" + items.map { pythonRepr($0) }.joined(separator: ", ") + "]"
    }
  }
}
