/// Everything that can go wrong while reading or migrating a database.
///
/// ``kind`` is the stable name used in JSON output; ``description`` names the database,
/// the revision file and line where they matter, and the fix.
public enum RunnerError: Error, Equatable, Sendable {
  /// No database is configured and none was given.
  case noDatabase
  /// The database setting is not a SQLite URL or path.
  case invalidURL(String, reason: String)
  /// SQLite could not open the file.
  case cannotOpen(path: String, reason: String)
  /// The file exists but is not a SQLite database.
  case notADatabase(path: String)
  /// Another connection holds the lock longer than the busy timeout.
  case locked(path: String, reason: String)
  /// The file or its directory cannot be written.
  case readOnly(path: String, reason: String)
  /// Any other SQLite failure.
  case sqlite(path: String, code: Int32, message: String, sql: String?)
  /// The version table names revisions that have no file.
  case unknownRows(table: String, rows: [String], versionLocations: [String])
  /// A statement of a revision failed; nothing of that revision is left in the database.
  case statementFailed(
    revision: String, direction: String, location: String, statement: String, message: String, note: String?)
  /// A revision has no `-- +downgrade` section but the plan reverts it.
  case missingDowngrade(revision: String, path: String)
  /// A revision file cannot be run by revgraph (an Alembic Python script).
  case notRunnable(revision: String, path: String)
  /// A revision file changed or disappeared between loading and running.
  case unreadableScript(path: String, reason: String)
  /// The request is not valid (e.g. `--purge` with `--sql`).
  case invalidRequest(String)
  /// `current --check-heads`: the version table is not exactly the heads.
  case notAtHeads(rows: [String], heads: [String])
  /// Another program changed the version table while the runner was migrating.
  case versionTableChanged(database: String, message: String)
  /// The connection to the database server ended during the run.
  case connectionLost(database: String, reason: String)
  /// The PostgreSQL server cannot be reached.
  case connectionFailed(database: String, reason: String)
  /// The server refused the role or its password.
  case authenticationFailed(database: String, reason: String)
  /// The server has no database of that name; `create` is the `createdb` command that makes it.
  case unknownDatabase(database: String, name: String, create: String)
  /// The role lacks a privilege the run needs.
  case permissionDenied(database: String, reason: String)
  /// The PostgreSQL session refuses writes (SQLSTATE 25006): a standby server, or
  /// `default_transaction_read_only` set for the role or the database `name`.
  case readOnlySession(database: String, name: String, reason: String)
  /// Ctrl-C: the revisions `completed` stay; `rolledBack` (the one under way) was undone;
  /// the database is at `at`.
  /// `goOn`: what to run to go on.
  case interrupted(completed: [String], rolledBack: String?, at: [String], goOn: String)
  /// `version_table_schema` names a schema the database does not have.
  case missingSchema(database: String, schema: String, dialect: SQLDialect)
  /// Any other PostgreSQL failure.
  case postgresql(database: String, sqlstate: String, message: String, sql: String?)

  /// The stable, machine-readable kind used in JSON output.
  public var kind: String {
    switch self {
    case .noDatabase: "no-database"
    case .invalidURL: "invalid-url"
    case .cannotOpen: "cannot-open"
    case .notADatabase: "not-a-database"
    case .locked: "locked"
    case .readOnly: "read-only"
    case .sqlite: "sqlite-error"
    case .unknownRows: "unknown-revision"
    case .statementFailed: "statement-failed"
    case .missingDowngrade: "missing-downgrade"
    case .notRunnable: "not-runnable"
    case .unreadableScript: "invalid-script"
    case .invalidRequest: "invalid-request"
    case .notAtHeads: "not-at-heads"
    case .versionTableChanged: "version-table-changed"
    case .connectionLost: "connection-lost"
    case .connectionFailed: "connection-failed"
    case .authenticationFailed: "authentication-failed"
    case .unknownDatabase: "unknown-database"
    case .permissionDenied: "permission-denied"
    case .readOnlySession: "read-only"
    case .interrupted: "interrupted"
    case .missingSchema: "missing-schema"
    case .postgresql: "postgresql-error"
    }
  }
}

extension RunnerError {
  /// True for the database's "no such schema" (PostgreSQL's 3F000, SQLite's unknown database).
  var isMissingSchema: Bool {
    switch self {
    case .postgresql(_, "3F000", _, _): true
    case .sqlite(_, _, let message, _): message.hasPrefix("unknown database")
    default: false
    }
  }
}

extension RunnerError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .noDatabase:
      return "no database configured: set database = \"sqlite:///app.db\" (or a postgresql:// URL) in revgraph.toml, "
        + "or pass --url, or set REVGRAPH_DATABASE"
    case .invalidURL(let url, let reason):
      return
        "invalid database '\(url)': \(reason); use a file path, sqlite:///relative.db, sqlite:////absolute.db or postgresql://user@host/db"
    case .cannotOpen(let path, let reason):
      return "cannot open database \(path): \(reason); check that the directory exists and is writable"
    case .notADatabase(let path):
      return "\(path) is not a SQLite database (file is not a database); check the database setting or --url"
    case .locked(let path, let reason):
      return "database \(path) is locked by another process (\(reason)); wait for it to finish or raise --lock-timeout"
    case .readOnly(let path, let reason):
      return "database \(path) is read-only: \(reason); make the file and its directory writable for this user "
        + "(ls -ld shows who may write), or run as their owner"
    case .sqlite(let path, _, let message, let sql):
      return "database \(path): \(message)" + (sql.map { " (in: \($0))" } ?? "")
    case .unknownRows(let table, let rows, let locations):
      let list = rows.joined(separator: ", ")
      return "the version table \(table) names \(rows.count == 1 ? "a revision" : "revisions") with no file: \(list); "
        + "no file in \(locations.joined(separator: ", ")) declares \(rows.count == 1 ? "it" : "them"). "
        + "Restore the missing files (e.g. from git), or reset the table with 'revgraph stamp --purge REV'"
    case .statementFailed(let revision, let direction, let location, let statement, let message, let note):
      return "\(direction) of \(revision) failed at \(location): \(message)\n  statement: \(statement)\n"
        + (note ?? "  nothing of \(revision) was kept; the database is at the last completed revision")
    case .missingDowngrade(let revision, let path):
      return "cannot downgrade \(revision): \(path) has no '-- +downgrade' section; add one "
        + "(it may be empty if reverting needs no SQL)"
    case .notRunnable(let revision, let path):
      return "cannot run \(revision): \(path) is an Alembic Python script; revgraph runs only native .sql "
        + "revisions (use alembic for this project, or revgraph's read-only commands)"
    case .unreadableScript(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .invalidRequest(let message):
      return message
    case .notAtHeads(let rows, let heads):
      let at = rows.isEmpty ? "base" : rows.joined(separator: ", ")
      return
        "the database is not on all head revisions: it is at \(at); the heads are \(heads.joined(separator: ", ")) "
        + "(run 'revgraph upgrade heads')"
    case .versionTableChanged(let database, let message):
      return "database \(database): \(message)"
    case .connectionLost(let database, let reason):
      return "the connection to database \(database) was lost \(reason)"
    case .connectionFailed(let database, let reason):
      return "cannot connect to database \(database): \(reason); check the host and port in the URL (or "
        + "PGHOST/PGPORT), or start the server"
    case .authenticationFailed(let database, let reason):
      return "the server refused the login to database \(database): \(reason); give the password in the URL, "
        + "PGPASSWORD or ~/.pgpass, and check the role name"
    case .unknownDatabase(let database, let name, let create):
      return "database \(database): the server has no database '\(name)'; create it (\(create)) or fix the URL"
    case .permissionDenied(let database, let reason):
      return "database \(database): permission denied (\(reason)); GRANT the role what it needs (e.g. CREATE on the "
        + "schema of the version table) or run as a role that owns the schema"
    case .interrupted(let completed, let rolledBack, let at, let goOn):
      let done = completed.isEmpty ? "no revision was completed" : "completed: \(completed.joined(separator: ", "))"
      let undone = rolledBack.map { "; rolled back: \($0) (it was running)" } ?? ""
      return "interrupted (Ctrl-C): \(done)\(undone); the database is at \(MigrationRunner.position(at)); \(goOn)"
    case .readOnlySession(let database, let name, let reason):
      return "database \(database) refuses writes: \(reason); the session is read-only: the server is a standby "
        + "(connect to the primary), or default_transaction_read_only is on for the role or the database (as its "
        + "owner: ALTER DATABASE \(Bookkeeping.quote(name)) SET default_transaction_read_only = off)"
    case .missingSchema(let database, let schema, .postgresql):
      return "database \(database) has no schema '\(schema)' for the version table (version_table_schema); "
        + "create it (CREATE SCHEMA \(Bookkeeping.quote(schema));) or change version_table_schema"
    case .missingSchema(let database, let schema, .sqlite):
      return "database \(database): version_table_schema is '\(schema)', but SQLite has no schemas (only attached "
        + "databases); remove version_table_schema from the configuration"
    case .postgresql(let database, let sqlstate, let message, let sql):
      return "database \(database): \(message)" + (sqlstate.isEmpty ? "" : " (SQLSTATE \(sqlstate))")
        + (sql.map { " (in: \($0))" } ?? "")
    }
  }
}
