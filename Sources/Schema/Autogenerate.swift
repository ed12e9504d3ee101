import Runner

/// Generates the upgrade and downgrade between the schema the migrations produce and the
/// declared one, and proves each on an in-memory copy before returning it.
///
/// Renames are never guessed: a dropped and an added table or column of the same shape is
/// reported in ``Migration/possibleRenames``; only renames the caller asks for
/// (``Renames``) become `ALTER TABLE … RENAME`.
public enum Autogenerate {
  /// Renames the user asked for (`--rename-table`, `--rename-column`).
  public struct Renames: Sendable, Equatable {
    /// A table rename: its name at head and in the declared schema.
    public struct Table: Sendable, Equatable {
      public var old: String
      public var new: String
      public init(old: String, new: String) {
        self.old = old
        self.new = new
      }
    }

    /// A column rename; `table` is the table's name at head.
    public struct Column: Sendable, Equatable {
      public var table: String
      public var old: String
      public var new: String
      public init(table: String, old: String, new: String) {
        self.table = table
        self.old = old
        self.new = new
      }
    }

    public var tables: [Table]
    public var columns: [Column]

    public init(tables: [Table] = [], columns: [Column] = []) {
      self.tables = tables
      self.columns = columns
    }

    /// Parses `OLD:NEW` (tables) and `TABLE.OLD:NEW` (columns).
    public init(tableOptions: [String], columnOptions: [String]) throws {
      tables = try tableOptions.map { option in
        let parts = option.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
          throw SchemaError.invalidRename(option: "--rename-table \(option)", reason: "write it as OLD:NEW")
        }
        return Table(old: parts[0], new: parts[1])
      }
      columns = try columnOptions.map { option in
        let parts = option.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let dot = parts[0].lastIndex(of: "."), !parts[1].isEmpty,
          dot != parts[0].startIndex, parts[0].index(after: dot) != parts[0].endIndex
        else {
          throw SchemaError.invalidRename(option: "--rename-column \(option)", reason: "write it as TABLE.OLD:NEW")
        }
        return Column(
          table: String(parts[0][..<dot]), old: String(parts[0][parts[0].index(after: dot)...]), new: parts[1])
      }
    }

    /// The renames that undo these (for the downgrade): tables back first, then columns.
    var inverted: Renames {
      let tableNames = Dictionary(tables.map { ($0.old.lowercased(), $0.new) }, uniquingKeysWith: { a, _ in a })
      return Renames(
        tables: tables.map { Table(old: $0.new, new: $0.old) },
        columns: columns.map { Column(table: tableNames[$0.table.lowercased()] ?? $0.table, old: $0.new, new: $0.old) })
    }

    var isEmpty: Bool { tables.isEmpty && columns.isEmpty }
  }

  /// One direction's script.
  public struct Script: Sendable, Equatable {
    /// The SQL, with comments.
    public var sql: String
    /// Destructive changes and filled values, in words.
    public var warnings: [String]
  }

  /// What autogenerate produced.
  public struct Migration: Sendable, Equatable {
    /// From the head schema to the declared one.
    public var upgrade: Script
    /// Back from the declared schema to the head schema.
    public var downgrade: Script
    /// The differences, head → declared.
    public var diff: SchemaDiff
    /// Same-shape drops and adds that may be renames (none of them was treated as one).
    public var possibleRenames: [SchemaDiff.PossibleRename]
    /// The renames asked for, in words.
    public var renames: [String]
    /// Everything the upgrade does, one line each: the renames, then ``diff``'s lines.
    public var summary: [String] { renames + diff.lines }
    /// True when there is nothing to do.
    public var isEmpty: Bool { renames.isEmpty && diff.isEmpty }
  }

  /// Generates and verifies the migration from `head` to `declared`.
  /// - Throws: ``SchemaError/invalidRename(option:reason:)`` for a rename that does not fit,
  ///   ``SchemaError/inexact(direction:remaining:)`` when a script would not reach its target.
  public static func migration(from head: SchemaCatalog, to declared: SchemaCatalog, renames: Renames = Renames())
    throws -> Migration
  {
    try validate(renames, head: head, declared: declared)
    let (upgrade, diff) = try script(from: head, to: declared, renames: renames, direction: "upgrade")
    let (downgrade, _) = try script(from: declared, to: head, renames: renames.inverted, direction: "downgrade")
    let renameLines =
      renames.columns.map { "~ rename column \($0.table).\($0.old) → \($0.new)" }
      + renames.tables.map { "~ rename table \($0.old) → \($0.new)" }
    return Migration(
      upgrade: upgrade, downgrade: downgrade, diff: diff, possibleRenames: diff.possibleRenames, renames: renameLines)
  }

  /// The rename statements, columns first (by their tables' old names), then tables.
  static func renameStatements(_ renames: Renames) -> [String] {
    renames.columns.map {
      "ALTER TABLE \(SQLName.quoted($0.table)) RENAME COLUMN \(SQLName.quoted($0.old)) TO \(SQLName.quoted($0.new));"
    }
      + renames.tables.map { "ALTER TABLE \(SQLName.quoted($0.old)) RENAME TO \(SQLName.quoted($0.new));" }
  }

  /// One direction's script, proved, and the differences it covers (after the renames).
  private static func script(from: SchemaCatalog, to: SchemaCatalog, renames: Renames, direction: String) throws
    -> (Script, SchemaDiff)
  {
    let scratch = try SchemaSource.database(from)
    let prelude = renameStatements(renames)
    for statement in prelude { try scratch.execute(statement) }
    let start = try SchemaCatalog.read(scratch)
    let diff = SchemaDiff(from: start, to: to)
    let output = try MigrationWriter(from: start, to: to, scratch: scratch).write(diff: diff)
    var lines: [String] = []
    if !prelude.isEmpty {
      lines.append("-- renames asked for on the command line")
      lines += prelude
    }
    lines += output.lines
    let sql = lines.joined(separator: "\n")
    // Proof: the script turns a copy of `from` into exactly `to`.
    let check = try SchemaSource.database(from)
    do {
      try check.executeScript(sql)
    } catch {
      throw SchemaError.inexact(
        direction: direction, remaining: ["line \(error.line) of the script: \(error.message)"], script: sql)
    }
    let remaining = SchemaDiff(from: try SchemaCatalog.read(check), to: to)
    guard remaining.isEmpty else {
      throw SchemaError.inexact(direction: direction, remaining: remaining.lines, script: sql)
    }
    return (Script(sql: sql, warnings: output.warnings), diff)
  }

  private static func validate(_ renames: Renames, head: SchemaCatalog, declared: SchemaCatalog) throws {
    for rename in renames.columns {
      let option = "--rename-column \(rename.table).\(rename.old):\(rename.new)"
      guard let table = head.table(rename.table) else {
        throw SchemaError.invalidRename(option: option, reason: "the schema at head has no table \(rename.table)")
      }
      guard table.column(rename.old) != nil else {
        throw SchemaError.invalidRename(
          option: option, reason: "table \(table.name) has no column \(rename.old) at head")
      }
      guard table.column(rename.new) == nil else {
        throw SchemaError.invalidRename(
          option: option, reason: "table \(table.name) already has a column \(rename.new)")
      }
      let newTable = renames.tables.first { $0.old.lowercased() == rename.table.lowercased() }?.new ?? rename.table
      guard declared.table(newTable)?.column(rename.new) != nil else {
        throw SchemaError.invalidRename(
          option: option, reason: "the declared schema has no column \(rename.new) in table \(newTable)")
      }
    }
    for rename in renames.tables {
      let option = "--rename-table \(rename.old):\(rename.new)"
      guard head.table(rename.old) != nil else {
        throw SchemaError.invalidRename(option: option, reason: "the schema at head has no table \(rename.old)")
      }
      guard head.table(rename.new) == nil else {
        throw SchemaError.invalidRename(option: option, reason: "a table \(rename.new) already exists at head")
      }
      guard declared.table(rename.new) != nil else {
        throw SchemaError.invalidRename(option: option, reason: "the declared schema has no table \(rename.new)")
      }
    }
  }
}
