/// A database object a revision's upgrade touches.
///
/// Names are compared case-insensitively (``key``), as SQL compares unquoted names; a column
/// is named `table.column`, and a schema qualifier stays part of the name.
public struct SchemaObject: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// What kind of object.
  public enum Kind: String, Sendable, CaseIterable, Comparable {
    case table, column, index, view, trigger

    public static func < (a: Kind, b: Kind) -> Bool {
      allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }
  }

  /// The kind.
  public var kind: Kind
  /// The name as first written (`public.users`, `users.email`).
  public var name: String

  /// Creates an object.
  public init(_ kind: Kind, _ name: String) {
    self.kind = kind
    self.name = name
  }

  /// The name used for comparisons: lower-cased.
  public var key: String { name.lowercased() }

  public static func == (a: SchemaObject, b: SchemaObject) -> Bool { a.kind == b.kind && a.key == b.key }
  public func hash(into hasher: inout Hasher) {
    hasher.combine(kind)
    hasher.combine(key)
  }
  public static func < (a: SchemaObject, b: SchemaObject) -> Bool {
    a.kind != b.kind ? a.kind < b.kind : a.key < b.key
  }

  /// `table users`, `column users.email`.
  public var description: String { "\(kind.rawValue) \(name)" }
}

/// What a statement does to an object.
public enum SchemaAction: String, Sendable, CaseIterable, Comparable {
  /// Creates it (`CREATE TABLE`, `ADD COLUMN`, `op.create_table`, the new name of a rename).
  case create
  /// Changes it (`ALTER TABLE`, `ALTER COLUMN`, an index or trigger on a table).
  case alter
  /// Renames it (the old name).
  case rename
  /// Drops it.
  case drop
  /// Writes rows (`INSERT`, `UPDATE`, `DELETE`, `op.bulk_insert`).
  case data

  public static func < (a: SchemaAction, b: SchemaAction) -> Bool {
    allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
  }
}

/// One thing one statement of a revision does to one object.
public struct SchemaChange: Hashable, Sendable, CustomStringConvertible {
  /// The object.
  public var object: SchemaObject
  /// What is done to it.
  public var action: SchemaAction
  /// A short account of the statement (`add column email`, `create index ix_users_email`).
  public var detail: String
  /// The 1-based line in the revision file.
  public var line: Int

  /// Creates a change.
  public init(_ object: SchemaObject, _ action: SchemaAction, detail: String = "", line: Int) {
    self.object = object
    self.action = action
    self.detail = detail
    self.line = line
  }

  /// `line 7: alter table users (add column email)`.
  public var description: String {
    "line \(line): \(action.rawValue) \(object)" + (detail.isEmpty ? "" : " (\(detail))")
  }
}
