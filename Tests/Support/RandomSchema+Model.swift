// The model behind RandomSchema: plain values that render to SQL, so mutations and rows can
// reason about tables and columns instead of text.

extension RandomSchema {
  /// What a column holds in the rows; it fixes the declared types the column may have in
  /// either schema, so that every value compares equal (`IS`) after any type change.
  enum ValueKind: Equatable {
    /// Integers: any type without TEXT affinity (REAL stores 7 as 7.0, which `IS` 7).
    case integer
    /// Text that never looks like a number: any type.
    case text
    /// Integers, text and blobs: BLOB or no type, which convert nothing.
    case any

    /// The declared types a column of this kind may have (nil: no type).
    var types: [String?] {
      switch self {
      case .integer: ["INTEGER", "NUMERIC", "REAL", "BLOB", nil]
      case .text: ["TEXT", "VARCHAR(20)", "INTEGER", "NUMERIC", "REAL", "BLOB", nil]
      case .any: ["BLOB", nil]
      }
    }

    /// The types schema A usually gives a column of this kind.
    var naturalTypes: [String?] {
      switch self {
      case .integer: ["INTEGER", "INTEGER", "NUMERIC", "REAL", nil]
      case .text: ["TEXT", "TEXT", "VARCHAR(20)", nil]
      case .any: ["BLOB", nil]
      }
    }
  }

  /// A single-column foreign key, written on its column or as a table constraint.
  struct Reference: Equatable {
    var table: String
    var column: String
    var onDelete: String?
    var onUpdate: String?
    var isTableLevel = false
  }

  /// A CHECK constraint from a fixed list of templates that every generated value (NULL, the
  /// zero values and defaults a migration fills in included) satisfies.
  struct Check: Equatable {
    var template: Int
    var columns: [String]
    var name: String?
  }

  struct Column: Equatable {
    var name: String
    var kind: ValueKind
    var type: String?
    var isNotNull = false
    /// SQL text of the default; never "NULL" on a NOT NULL column.
    var defaultValue: String?
    var collation: String?
    var isUnique = false
    /// A column-level CHECK; its only column is this one.
    var check: Check?
    var reference: Reference?

    /// True when adding this column to a table with rows gives every row the same non-NULL value.
    var isFilledWhenAdded: Bool { isNotNull || (defaultValue != nil && defaultValue != "NULL") }
  }

  struct Table: Equatable {
    var name: String
    var columns: [Column] = []
    var primaryKey: [String] = []
    /// A one-column primary key written on its column rather than as a table constraint.
    var isPrimaryKeyInline = false
    var isWithoutRowid = false
    /// Table-level UNIQUE constraints.
    var uniques: [[String]] = []
    /// Table-level CHECK constraints.
    var checks: [Check] = []
    /// The log table that triggers insert into; never mutated and never given rows.
    var isLog = false

    func column(_ name: String) -> Column? { columns.first { $0.name == name } }
    func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }
    func has(_ name: String) -> Bool { columns.contains { $0.name == name } }
    /// True when a column of that name, in any case, exists: SQLite compares names without case.
    func hasName(_ name: String) -> Bool { columns.contains { $0.name.lowercased() == name.lowercased() } }

    /// True when a foreign key may reference `column`: it is the whole primary key or UNIQUE.
    func isKey(_ column: String) -> Bool {
      primaryKey == [column] || self.column(column)?.isUnique == true || uniques.contains([column])
    }

    /// Columns other tables' foreign keys may reference.
    var keyColumns: [String] {
      isLog ? [] : columns.filter { $0.kind != .any && isKey($0.name) }.map(\.name)
    }

    /// The column that is an alias of the rowid (`x INTEGER PRIMARY KEY` in a rowid table).
    var rowidAlias: Column? {
      guard !isWithoutRowid, primaryKey.count == 1, let key = column(primaryKey[0]), key.type == "INTEGER"
      else { return nil }
      return key
    }
  }

  struct IndexTerm: Equatable {
    var column: String
    /// "lower" or "length": an expression term.
    var function: String?
    var collation: String?
    var isDescending = false
  }

  /// A harmless condition on one column, used by partial indexes, views and triggers.
  struct Predicate: Equatable {
    var column: String
    var form: Int
  }

  struct Index: Equatable {
    var name: String
    var table: String
    var isUnique: Bool
    var terms: [IndexTerm]
    var predicate: Predicate?

    var columns: [String] { terms.map(\.column) + (predicate.map { [$0.column] } ?? []) }
  }

  struct ViewColumn: Equatable {
    /// 0: the view's source; 1: the joined table.
    var side: Int
    var column: String
    var alias: String?
  }

  struct Join: Equatable {
    var table: String
    var leftColumn: String
    var rightColumn: String
  }

  struct View: Equatable {
    var name: String
    /// A table or an earlier view.
    var source: String
    var join: Join?
    var columns: [ViewColumn]
    /// A condition on a column of the source.
    var filter: Predicate?
    var isDistinct = false
    /// Groups by the columns and adds `count(*) AS row_count`.
    var countsRows = false

    var outputs: [String] { columns.map { $0.alias ?? $0.column } + (countsRows ? ["row_count"] : []) }
  }

  enum TriggerEvent: Equatable, CaseIterable {
    case insert, update, delete
  }

  /// One statement of a trigger body; none of them changes any row.
  enum TriggerAction: Equatable {
    /// `SELECT RAISE(IGNORE) WHERE 0;`
    case ignore
    /// `SELECT RAISE(ABORT, …) WHERE NEW.c = 'forbidden';` (no generated value is 'forbidden').
    case abortIfForbidden(String)
    /// `UPDATE t SET c = c WHERE 0;` on the trigger's own table.
    case touch(String)
    /// `INSERT INTO <log table> (tbl, ref) VALUES ('t', NEW.c);`
    case log(String)

    var column: String? {
      switch self {
      case .ignore: nil
      case .abortIfForbidden(let column), .touch(let column), .log(let column): column
      }
    }
  }

  struct Trigger: Equatable {
    var name: String
    var table: String
    var isBefore: Bool
    var event: TriggerEvent
    /// `UPDATE OF` columns; empty for any update.
    var updateColumns: [String] = []
    /// `WHEN NEW.c IS NOT NULL`
    var condition: String?
    var actions: [TriggerAction]

    var columns: [String] { updateColumns + (condition.map { [$0] } ?? []) + actions.compactMap(\.column) }
  }

  struct Schema: Equatable {
    var tables: [Table] = []
    var indexes: [Index] = []
    var views: [View] = []
    var triggers: [Trigger] = []

    var logTable: String? { tables.first(where: \.isLog)?.name }
    func table(_ name: String) -> Table? { tables.first { $0.name == name } }
    func tableIndex(_ name: String) -> Int? { tables.firstIndex { $0.name == name } }
    func view(_ name: String) -> View? { views.first { $0.name == name } }

    /// True when rows must hold distinct values (NULLs aside) in `column` and possibly others.
    func isUniqueish(_ table: Table, _ column: String) -> Bool {
      table.primaryKey.contains(column) || table.column(column)?.isUnique == true
        || table.uniques.contains { $0.contains(column) }
        || indexes.contains { $0.table == table.name && $0.isUnique && $0.terms.contains { $0.column == column } }
    }

    /// Column groups whose values no two rows may share.
    func uniqueSets(_ table: Table) -> [[String]] {
      var sets = table.primaryKey.isEmpty ? [] : [table.primaryKey]
      sets += table.columns.filter(\.isUnique).map { [$0.name] }
      sets += table.uniques
      sets += indexes.filter { $0.table == table.name && $0.isUnique }.map { $0.terms.map(\.column) }
      return sets
    }

    /// The rules SQLite enforces when the schema is used, beyond what repairs keep.
    var isValid: Bool {
      tables.allSatisfy { table in
        !table.columns.isEmpty && table.primaryKey.allSatisfy(table.has)
          && (!table.isWithoutRowid || !table.primaryKey.isEmpty)
          && (table.rowidAlias.map { $0.kind == .integer } ?? true)
      } && views.allSatisfy { !$0.columns.isEmpty }
    }
  }
}
