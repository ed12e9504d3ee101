/// A SQLite schema as SQLite's own catalog describes it: `sqlite_schema`, `pragma
/// table_xinfo`, `index_list`, `index_xinfo`, `foreign_key_list` and `table_list`, plus the
/// few facts only the statement text holds (CHECK constraints, generated-column expressions).
///
/// Two catalogs are equal in the sense of ``SchemaDiff`` when every table, column, index,
/// constraint, view and trigger has the same definition; white space, comments, letter case
/// and quoting of names do not count.
public struct SchemaCatalog: Sendable, Equatable {
  /// The tables, in creation order.
  public var tables: [Table]
  /// The indexes made by `CREATE INDEX`, in creation order (those made by UNIQUE and PRIMARY
  /// KEY constraints belong to their table).
  public var indexes: [Index]
  /// The views, in creation order.
  public var views: [View]
  /// The triggers, in creation order.
  public var triggers: [Trigger]

  /// Creates a catalog from its parts.
  public init(tables: [Table] = [], indexes: [Index] = [], views: [View] = [], triggers: [Trigger] = []) {
    self.tables = tables
    self.indexes = indexes
    self.views = views
    self.triggers = triggers
  }

  /// The table named `name` (case-insensitive).
  public func table(_ name: String) -> Table? {
    let key = name.lowercased()
    return tables.first { $0.key == key }
  }

  /// True when a table, index, view or trigger is named `name` (case-insensitive).
  func hasObject(named name: String) -> Bool {
    let key = name.lowercased()
    return tables.contains { $0.key == key } || indexes.contains { $0.key == key } || views.contains { $0.key == key }
      || triggers.contains { $0.key == key }
  }

  /// The statements that recreate this schema, in creation order.
  public var statements: [String] {
    var items: [(Int, String)] = tables.map { ($0.order, $0.sql) }
    items += indexes.map { ($0.order, $0.sql) }
    items += views.map { ($0.order, $0.sql) }
    items += triggers.map { ($0.order, $0.sql) }
    return items.sorted { $0.0 < $1.0 }.map(\.1)
  }

  /// One column.
  public struct Column: Sendable, Equatable {
    /// How a generated column is stored.
    public enum Generated: String, Sendable {
      case virtual = "VIRTUAL"
      case stored = "STORED"
    }

    /// The name as declared.
    public var name: String
    /// The declared type as written (empty when none).
    public var type: String
    /// `NOT NULL`.
    public var notNull: Bool
    /// The DEFAULT expression as written, or nil.
    public var defaultValue: String?
    /// The collating sequence (`BINARY` unless declared), upper-cased.
    public var collation: String
    /// The 1-based position in the primary key, 0 when not part of it.
    public var primaryKeyPosition: Int
    /// Set for generated columns.
    public var generated: Generated?
    /// The normalized expression of a generated column.
    public var generatedExpression: String?
    /// The normalized expressions of the column's own CHECK constraints.
    public var checks: [String]
    /// The definition as written in the CREATE TABLE statement (for ADD COLUMN).
    public var definition: String

    var key: String { name.lowercased() }

    /// The facts compared (the definition's spelling is not one of them).
    var shape: [String] {
      [
        key, SQLLexer.normalized(type), String(notNull), defaultValue.map { SQLLexer.normalized($0) } ?? "<none>",
        collation, String(primaryKeyPosition), generated?.rawValue ?? "", generatedExpression ?? "",
        checks.sorted().joined(separator: " ; "),
      ]
    }

    /// Equal in everything but the name.
    func sameShape(as other: Column) -> Bool { shape.dropFirst() == other.shape.dropFirst() }
  }

  /// One part of an index key: a column or an expression, its order and collation.
  public struct KeyPart: Sendable, Hashable, CustomStringConvertible {
    /// The column name (lower-cased), or nil for an expression.
    public var column: String?
    /// The normalized expression, for expression keys.
    public var expression: String?
    /// `DESC`.
    public var descending: Bool
    /// The collating sequence, upper-cased.
    public var collation: String

    public var description: String {
      var text = column ?? "(\(expression ?? "?"))"
      if collation != "BINARY" { text += " COLLATE \(collation)" }
      if descending { text += " DESC" }
      return text
    }
  }

  /// A UNIQUE or PRIMARY KEY constraint's index, which SQLite names itself.
  public struct ConstraintIndex: Sendable, Hashable, CustomStringConvertible {
    /// `u` (UNIQUE) or `pk` (PRIMARY KEY).
    public var origin: String
    /// The key.
    public var keys: [KeyPart]

    public var description: String {
      (origin == "pk" ? "PRIMARY KEY" : "UNIQUE") + " (" + keys.map(\.description).joined(separator: ", ") + ")"
    }
  }

  /// A FOREIGN KEY constraint.
  public struct ForeignKey: Sendable, Hashable, CustomStringConvertible {
    /// The child columns (lower-cased).
    public var columns: [String]
    /// The parent table (lower-cased).
    public var parent: String
    /// The parent columns (lower-cased; empty strings when the parent's primary key is meant).
    public var parentColumns: [String]
    /// ON UPDATE action.
    public var onUpdate: String
    /// ON DELETE action.
    public var onDelete: String
    /// MATCH clause.
    public var match: String

    public var description: String {
      let target = parentColumns.allSatisfy(\.isEmpty) ? "" : "(" + parentColumns.joined(separator: ", ") + ")"
      var text = "(\(columns.joined(separator: ", "))) REFERENCES \(parent)\(target)"
      if onDelete != "NO ACTION" { text += " ON DELETE \(onDelete)" }
      if onUpdate != "NO ACTION" { text += " ON UPDATE \(onUpdate)" }
      if match != "NONE" { text += " MATCH \(match)" }
      return text
    }
  }

  /// A table.
  public struct Table: Sendable, Equatable {
    /// The name as declared.
    public var name: String
    /// The CREATE TABLE statement SQLite stores.
    public var sql: String
    /// The columns, in order (including generated ones).
    public var columns: [Column]
    /// UNIQUE and non-INTEGER PRIMARY KEY constraints, as SQLite indexes them.
    public var constraintIndexes: [ConstraintIndex]
    /// FOREIGN KEY constraints.
    public var foreignKeys: [ForeignKey]
    /// The normalized expressions of table-level CHECK constraints.
    public var checks: [String]
    /// `WITHOUT ROWID`.
    public var withoutRowid: Bool
    /// `STRICT`.
    public var strict: Bool
    /// `AUTOINCREMENT` on its INTEGER PRIMARY KEY.
    public var autoincrement: Bool
    /// A virtual table (`CREATE VIRTUAL TABLE … USING module`): compared by its statement,
    /// changed by dropping and creating it.
    public var isVirtual: Bool = false
    /// Position in `sqlite_schema`.
    var order: Int

    var key: String { name.lowercased() }

    /// The column named `name` (case-insensitive).
    public func column(_ name: String) -> Column? {
      let key = name.lowercased()
      return columns.first { $0.key == key }
    }

    /// True when the table's rows have a rowid that is not one of its columns.
    var hasHiddenRowid: Bool {
      !withoutRowid && !columns.contains { $0.primaryKeyPosition == 1 && isIntegerPrimaryKey($0) }
    }

    /// The INTEGER PRIMARY KEY column (an alias of the rowid), when there is one.
    func isIntegerPrimaryKey(_ column: Column) -> Bool {
      column.primaryKeyPosition == 1 && columns.filter { $0.primaryKeyPosition > 0 }.count == 1
        && column.type.uppercased() == "INTEGER" && !withoutRowid
        && !constraintIndexes.contains { $0.origin == "pk" }
    }
  }

  /// An index made by CREATE INDEX.
  public struct Index: Sendable, Equatable {
    /// The name.
    public var name: String
    /// The table it indexes.
    public var table: String
    /// `UNIQUE`.
    public var unique: Bool
    /// The key.
    public var keys: [KeyPart]
    /// The normalized WHERE clause of a partial index.
    public var partial: String?
    /// The statement.
    public var sql: String
    var order: Int

    var key: String { name.lowercased() }
    var tableKey: String { table.lowercased() }

    /// What is compared.
    var shape: [String] {
      [key, tableKey, String(unique), keys.map(\.description).joined(separator: ","), partial ?? ""]
    }

    /// One line: `UNIQUE ON t (a, b DESC) WHERE …`.
    var summary: String {
      (unique ? "UNIQUE " : "") + "ON \(table) (" + keys.map(\.description).joined(separator: ", ") + ")"
        + (partial.map { " WHERE \($0)" } ?? "")
    }
  }

  /// A view.
  public struct View: Sendable, Equatable {
    /// The name.
    public var name: String
    /// The statement.
    public var sql: String
    var order: Int
    var key: String { name.lowercased() }
    var normalized: String { SQLLexer.normalized(sql) }
  }

  /// A trigger.
  public struct Trigger: Sendable, Equatable {
    /// The name.
    public var name: String
    /// The table (or view) it is on.
    public var table: String
    /// The statement.
    public var sql: String
    var order: Int
    var key: String { name.lowercased() }
    var tableKey: String { table.lowercased() }
    var normalized: String { SQLLexer.normalized(sql) }
  }
}
