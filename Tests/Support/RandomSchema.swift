/// A random pair of SQLite schemas with rows: the input of autogenerate's property test.
///
/// Schema B (``to``) is schema A (``from``) after one to six random changes, plus whatever the
/// changes imply (a view on a dropped column loses it, for example). Both scripts load into an
/// empty database. The rows fit A; on the columns both schemas keep they fit B as well, and they
/// still fit A after a round trip through B. Every value is an integer, a text that never looks
/// like a number, a blob (only where the column's type is BLOB or none in both schemas) or NULL,
/// so each compares equal (`IS`) to itself after any change of declared type.
public struct RandomSchemaPair: Sendable, Equatable {
  /// The seed that produced this pair.
  public var seed: UInt64
  /// Schema A: CREATE TABLE, INDEX, VIEW and TRIGGER statements, each after what it reads.
  public var from: String
  /// Schema B: A after the changes listed in ``changes``.
  public var to: String
  /// INSERT statements valid under A, one per row, parents before children.
  ///
  /// Triggers of A may add rows to a log table while these run. A column that gains NOT NULL in
  /// B may hold NULLs: a migration fills them with the column's default or a zero value, and
  /// the rows are chosen so that this breaks no key, CHECK or foreign key.
  public var rows: String
  /// What turned A into B, one line each: a ``RandomSchema/ChangeKind`` raw value, ": ", the
  /// subject (`table`, `table.column` or the name of an index, view or trigger) and, for most
  /// kinds, ": " and a detail, e.g. `not-null-added: users.email` or
  /// `index-changed: ix_orders_total: now partial: WHERE total IS NOT NULL`.
  public var changes: [String]
  /// For each table in both schemas (same name), the columns in both, in A's order.
  ///
  /// Renames are only "rename-shaped" (a drop plus an add), so a kept column has the same name
  /// in both schemas and every other column of A is lost by the upgrade.
  public var keptColumns: [String: [String]]

  /// A pair written by hand, e.g. to show that a check rejects it.
  public init(
    seed: UInt64, from: String, to: String, rows: String, changes: [String], keptColumns: [String: [String]]
  ) {
    self.seed = seed
    self.from = from
    self.to = to
    self.rows = rows
    self.changes = changes
    self.keptColumns = keptColumns
  }
}

/// Seeded generator of ``RandomSchemaPair`` values.
///
/// The same seed gives byte-identical output. A pair takes about a millisecond in a debug build.
public enum RandomSchema {
  /// The kinds of change between schema A and schema B; each raw value starts a line of
  /// ``RandomSchemaPair/changes``.
  public enum ChangeKind: String, CaseIterable, Sendable {
    case tableAdded = "table-added"
    case tableRemoved = "table-removed"
    /// A table dropped and an identical one created under a new name (references follow it).
    case tableRenamedShape = "table-renamed-shape"
    case columnAddedAtEnd = "column-added-at-end"
    case columnAddedInMiddle = "column-added-in-middle"
    case columnRemoved = "column-removed"
    /// A column dropped and an identical one added in its place under a new name.
    case columnRenamedShape = "column-renamed-shape"
    case columnTypeChanged = "column-type-changed"
    case notNullAdded = "not-null-added"
    case notNullRemoved = "not-null-removed"
    case defaultAdded = "default-added"
    case defaultChanged = "default-changed"
    case defaultRemoved = "default-removed"
    case collationChanged = "collation-changed"
    case primaryKeyChanged = "primary-key-changed"
    case withoutRowidChanged = "without-rowid-changed"
    case uniqueAdded = "unique-added"
    case uniqueRemoved = "unique-removed"
    case indexAdded = "index-added"
    case indexRemoved = "index-removed"
    /// Columns, UNIQUE, partial WHERE, an expression, DESC or COLLATE of a term.
    case indexChanged = "index-changed"
    case foreignKeyAdded = "foreign-key-added"
    case foreignKeyRemoved = "foreign-key-removed"
    /// ON DELETE, ON UPDATE or the referenced table.
    case foreignKeyChanged = "foreign-key-changed"
    case checkAdded = "check-added"
    case checkRemoved = "check-removed"
    case checkChanged = "check-changed"
    case viewAdded = "view-added"
    case viewRemoved = "view-removed"
    case viewChanged = "view-changed"
    case triggerAdded = "trigger-added"
    case triggerRemoved = "trigger-removed"
    case triggerChanged = "trigger-changed"
  }

  /// The pair for `seed`.
  public static func pair(seed: UInt64) -> RandomSchemaPair {
    var generator = Generator(seed: seed)
    let from = generator.schema()
    var mutator = Mutator(original: from, generator: generator)
    mutator.mutate(times: mutator.generator.dice.int(1...6))
    var builder = RowBuilder(from: from, to: mutator.schema, dice: mutator.generator.dice)
    let rows = builder.inserts()
    return RandomSchemaPair(
      seed: seed, from: from.sql, to: mutator.schema.sql, rows: rows, changes: mutator.changes.map(\.text),
      keptColumns: builder.keptColumns)
  }

  /// The kind a line of ``RandomSchemaPair/changes`` starts with.
  public static func kind(of change: String) -> ChangeKind? {
    change.split(separator: ":", maxSplits: 1).first.flatMap { ChangeKind(rawValue: String($0)) }
  }
}
