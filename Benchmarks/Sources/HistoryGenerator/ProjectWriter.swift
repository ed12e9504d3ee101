import Foundation

/// Writes a ``TeamHistory`` as files: a native revgraph project and an Alembic project that
/// describe the same graph (same ids, parents, labels, `depends_on`, messages and file names,
/// so the same load order).
///
/// ```
/// <out>/native/revgraph.toml                  script_location = "migrations"
/// <out>/native/migrations/versions/<id>_<slug>.sql
/// <out>/alembic/alembic.ini                   sqlalchemy.url = sqlite:///%(here)s/alembic.db
/// <out>/alembic/migrations/env.py             offline (--sql) and online (SQLite) modes
/// <out>/alembic/migrations/script.py.mako
/// <out>/alembic/migrations/versions/<id>_<slug>.py
/// ```
///
/// Upgrade and downgrade bodies are empty (`pass` in Alembic), so a database run measures
/// the tools, not the SQL.
public struct ProjectWriter {
  public let history: TeamHistory

  public init(history: TeamHistory) { self.history = history }

  /// The native `.sql` file of revision `index`.
  public func native(_ index: Int) -> String {
    let revision = history.revisions[index]
    var text = "-- revision: \(revision.id)\n"
    let parents = history.parentIDs(index)
    if !parents.isEmpty { text += "-- down_revision: \(parents.joined(separator: ", "))\n" }
    if !revision.branchLabels.isEmpty { text += "-- branch_labels: \(revision.branchLabels.joined(separator: ", "))\n" }
    if !revision.dependsOn.isEmpty { text += "-- depends_on: \(revision.dependsOn.joined(separator: ", "))\n" }
    text += "-- message: \(revision.message)\n"
    text += "-- create_date: \(Self.date(revision.minute))\n"
    text += "\n-- +upgrade\n\n-- +downgrade\n"
    return text
  }

  /// The Alembic `.py` file of revision `index`, in the shape `alembic revision` writes.
  public func alembic(_ index: Int) -> String {
    let revision = history.revisions[index]
    let parents = history.parentIDs(index)
    let revises = parents.isEmpty ? "" : parents.joined(separator: ", ")
    return """
      \"\"\"\(revision.message)

      Revision ID: \(revision.id)
      Revises: \(revises)
      Create Date: \(Self.date(revision.minute)).000000

      \"\"\"
      from typing import Sequence, Union

      from alembic import op
      import sqlalchemy as sa


      # revision identifiers, used by Alembic.
      revision: str = \(Self.python(revision.id))
      down_revision: Union[str, Sequence[str], None] = \(Self.python(parents))
      branch_labels: Union[str, Sequence[str], None] = \(Self.python(revision.branchLabels))
      depends_on: Union[str, Sequence[str], None] = \(Self.python(revision.dependsOn))


      def upgrade() -> None:
          \"\"\"Upgrade schema.\"\"\"
          pass


      def downgrade() -> None:
          \"\"\"Downgrade schema.\"\"\"
          pass

      """
  }

  static func python(_ text: String) -> String { "'\(text)'" }

  /// `None`, `'a'` or `('a', 'b')`, as Alembic writes them.
  static func python(_ list: [String]) -> String {
    switch list.count {
    case 0: return "None"
    case 1: return python(list[0])
    default: return "(" + list.map(python).joined(separator: ", ") + ")"
    }
  }

  /// `2024-01-01 00:00:00` plus `minutes`, without Foundation's calendar (deterministic).
  static func date(_ minutes: Int) -> String {
    var days = minutes / 1440
    let rest = minutes % 1440
    var year = 2024, month = 1
    func monthLength(_ y: Int, _ m: Int) -> Int {
      if m == 2 { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28 }
      return [4, 6, 9, 11].contains(m) ? 30 : 31
    }
    while days >= monthLength(year, month) {
      days -= monthLength(year, month)
      month += 1
      if month > 12 {
        month = 1
        year += 1
      }
    }
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(year)-\(two(month))-\(two(days + 1)) \(two(rest / 60)):\(two(rest % 60)):00"
  }

  static let envPy = """
    # Written by the revgraph benchmark generator: offline (--sql) and online (SQLite) runs
    # with no models; every revision's upgrade() is `pass`.
    from alembic import context
    from sqlalchemy import engine_from_config, pool

    config = context.config


    def offline():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=None,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()


    def online():
        engine = engine_from_config(
            config.get_section(config.config_ini_section, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=None)
            with context.begin_transaction():
                context.run_migrations()


    if context.is_offline_mode():
        offline()
    else:
        online()

    """

  static let mako = """
    \"\"\"${message}

    Revision ID: ${up_revision}
    Revises: ${down_revision | comma,n}
    Create Date: ${create_date}

    \"\"\"
    from alembic import op
    import sqlalchemy as sa

    revision = ${repr(up_revision)}
    down_revision = ${repr(down_revision)}
    branch_labels = ${repr(branch_labels)}
    depends_on = ${repr(depends_on)}


    def upgrade():
        ${upgrades if upgrades else "pass"}


    def downgrade():
        ${downgrades if downgrades else "pass"}

    """

  /// Writes `<directory>/native` and/or `<directory>/alembic` (each replaced if present).
  public func write(to directory: String, native: Bool = true, alembic: Bool = true) throws {
    if native {
      let root = directory + "/native"
      try reset(root)
      try make(root + "/migrations/versions")
      try put("script_location = \"migrations\"\n", root + "/revgraph.toml")
      for i in history.revisions.indices {
        try put(self.native(i), root + "/migrations/versions/" + history.fileStem(i) + ".sql")
      }
    }
    if alembic {
      let root = directory + "/alembic"
      try reset(root)
      try make(root + "/migrations/versions")
      try put(
        "[alembic]\nscript_location = %(here)s/migrations\npath_separator = os\n"
          + "sqlalchemy.url = sqlite:///%(here)s/alembic.db\n", root + "/alembic.ini")
      try put(Self.envPy, root + "/migrations/env.py")
      try put(Self.mako, root + "/migrations/script.py.mako")
      for i in history.revisions.indices {
        try put(self.alembic(i), root + "/migrations/versions/" + history.fileStem(i) + ".py")
      }
    }
  }

  func reset(_ path: String) throws {
    if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
  }

  func make(_ path: String) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  /// One `open`/`write`/`close` per file (FileManager is several times slower at 100k files).
  func put(_ text: String, _ path: String) throws {
    let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw WriteError(path: path) }
    defer { Glibc.close(fd) }
    var text = text
    let written = text.withUTF8 { bytes in Glibc.write(fd, bytes.baseAddress, bytes.count) }
    guard written == text.utf8.count else { throw WriteError(path: path) }
  }
}

/// A file could not be written.
public struct WriteError: Error, CustomStringConvertible {
  public var path: String
  public var description: String { "cannot write \(path)" }
}
