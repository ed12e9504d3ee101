/// One revision as read from its file, before it is checked against the others.
///
/// A record is what the loader produces for every `*.sql` or `*.py` revision file. It
/// keeps the header values exactly as declared (order included) and where they came from,
/// so that errors found while building the graph can name the file and the line.
public struct RevisionRecord: Hashable, Sendable {
  /// The file format a record was read from.
  public enum Format: String, Hashable, Sendable, Codable {
    /// A native SQL revision (`-- key: value` header).
    case sql
    /// An Alembic revision script, read statically.
    case alembic
  }

  /// The revision id.
  public var id: String
  /// The declared `down_revision` entries, in declared order (empty for a base).
  public var downRevisions: [String]
  /// The declared `branch_labels`, in declared order.
  public var branchLabels: [String]
  /// The declared `depends_on` entries (revision ids or branch labels), in declared order.
  public var dependsOn: [String]
  /// The first line of the message (Alembic: the first paragraph of the docstring).
  public var message: String
  /// The whole message or docstring, for verbose output.
  public var longMessage: String
  /// The file the record was read from (empty for records built in memory).
  public var path: String
  /// The format of that file.
  public var format: Format
  /// The 1-based line of each header key in the file, when known (`revision`, `down_revision`, …).
  ///
  /// Built on each read; ``line(of:)`` answers for one key without building a dictionary.
  public var lines: [String: Int] {
    get { lineFields.dictionary }
    set { lineFields = HeaderFields(newValue) }
  }
  /// Extra header values a format carries (for example `create_date`, `transactional`).
  ///
  /// Built on each read; ``attribute(_:)`` answers for one key without building a dictionary.
  public var attributes: [String: String] {
    get { attributeFields.dictionary }
    set { attributeFields = HeaderFields(newValue) }
  }
  /// ``lines`` and ``attributes`` as stored: a few entries each, sorted by key.
  var lineFields: HeaderFields<Int>
  var attributeFields: HeaderFields<String>

  /// Creates a record.
  public init(
    id: String, downRevisions: [String] = [], branchLabels: [String] = [],
    dependsOn: [String] = [], message: String = "", longMessage: String? = nil,
    path: String = "", format: Format = .sql, lines: [String: Int] = [:],
    attributes: [String: String] = [:]
  ) {
    self.id = id
    self.downRevisions = downRevisions
    self.branchLabels = branchLabels
    self.dependsOn = dependsOn
    self.message = message
    self.longMessage = longMessage ?? message
    self.path = path
    self.format = format
    self.lineFields = HeaderFields(lines)
    self.attributeFields = HeaderFields(attributes)
  }

  /// A record from header tables as the loader builds them.
  init(
    id: String, downRevisions: [String], branchLabels: [String], dependsOn: [String], message: String,
    longMessage: String, path: String, format: Format, lineFields: HeaderFields<Int>,
    attributeFields: HeaderFields<String>
  ) {
    self.id = id
    self.downRevisions = downRevisions
    self.branchLabels = branchLabels
    self.dependsOn = dependsOn
    self.message = message
    self.longMessage = longMessage
    self.path = path
    self.format = format
    self.lineFields = lineFields
    self.attributeFields = attributeFields
  }

  /// The 1-based line of a header key in the file, when known.
  public func line(of key: String) -> Int? { lineFields[key] }

  /// One of the extra header values (for example `create_date`), when the file has it.
  public func attribute(_ key: String) -> String? { attributeFields[key] }

  /// Where a header key stands, as `path:line` (or the path alone when the line is unknown).
  public func location(of key: String) -> String {
    guard !path.isEmpty else { return "revision \(id)" }
    if let line = lineFields[key] { return "\(path):\(line)" }
    return path
  }
}
