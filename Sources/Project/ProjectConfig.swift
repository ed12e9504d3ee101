import Foundation

/// Where a project keeps its revisions and how it is set up, read from its configuration file.
///
/// A project is configured by a native `revgraph.toml`, by Alembic's `alembic.ini`, or by
/// the `[tool.alembic]` table of a `pyproject.toml` (Alembic 1.16+). All paths are absolute.
///
/// ## Topics
///
/// ### Finding a configuration
/// - ``discover(explicitPath:in:)``
/// - ``load(path:relativeTo:)``
public struct ProjectConfig: Sendable, Equatable {
  /// The kind of file a configuration came from.
  public enum Kind: String, Sendable {
    /// A native `revgraph.toml`.
    case revgraph
    /// An Alembic project (`alembic.ini`, `pyproject.toml`, or both).
    case alembic
  }

  /// The kind of file the configuration came from.
  public var kind: Kind
  /// The absolute path of the file that was loaded (for an `alembic.ini` whose options live
  /// in `pyproject.toml`, the `alembic.ini`).
  public var configPath: String
  /// The absolute path of the script directory (`script_location`).
  public var scriptLocation: String
  /// The absolute directories holding revision files, in configuration order
  /// (default: `scriptLocation/versions`).
  public var versionLocations: [String]
  /// Whether revision files are also searched for in subdirectories of the version locations.
  public var recursiveVersionLocations: Bool
  /// The database URL: `database` in `revgraph.toml`, `sqlalchemy.url` for Alembic.
  public var database: String?
  /// The table recording applied revisions (`version_table`; default `revgraph_version` for
  /// `revgraph.toml` and `alembic_version` for Alembic projects).
  public var versionTable: String
  /// The template for new revision file names (`file_template`), after interpolation.
  public var fileTemplate: String?
  /// The maximum length of the slug in new file names (`truncate_slug_length`).
  public var truncateSlugLength: Int?
  /// Whether several heads are normal for this project (`allow_multiple_heads`), so that
  /// `revgraph check` does not report them.
  public var allowMultipleHeads: Bool
  /// The named branches (branch labels) that may each have one head (`branches`); empty
  /// means the project should have a single head.
  public var branches: [String]
  /// The declared schema file (`schema` in `revgraph.toml`, absolute) for autogenerate and
  /// `check`; nil when not configured (``declaredSchemaPath`` then defaults to `schema.sql`).
  public var declaredSchema: String?
  /// Every other key read, as text (nested TOML keys joined with `.`): from `revgraph.toml`
  /// only `version_table_schema`, `lock_timeout` and `timezone` (any other key is an error);
  /// from Alembic files every key without a property of its own.
  public var settings: [String: String]
  /// Problems that did not stop the file from loading, in file order, for the user to see.
  public var warnings: [ProjectWarning]

  /// The schema of the version and log tables (`version_table_schema`, Alembic's option), or
  /// nil for the database's default.
  public var versionTableSchema: String? {
    settings["version_table_schema"].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// Creates a configuration from values already resolved.
  public init(
    kind: Kind, configPath: String, scriptLocation: String, versionLocations: [String],
    recursiveVersionLocations: Bool = false, database: String? = nil, versionTable: String,
    fileTemplate: String? = nil, truncateSlugLength: Int? = nil, allowMultipleHeads: Bool = false,
    branches: [String] = [], declaredSchema: String? = nil, settings: [String: String] = [:],
    warnings: [ProjectWarning] = []
  ) {
    self.kind = kind
    self.configPath = configPath
    self.scriptLocation = scriptLocation
    self.versionLocations = versionLocations
    self.recursiveVersionLocations = recursiveVersionLocations
    self.database = database
    self.versionTable = versionTable
    self.fileTemplate = fileTemplate
    self.truncateSlugLength = truncateSlugLength
    self.allowMultipleHeads = allowMultipleHeads
    self.branches = branches
    self.declaredSchema = declaredSchema
    self.settings = settings
    self.warnings = warnings
  }

  /// The declared schema file: the configured one, else `schema.sql` beside the
  /// configuration file; `configured` tells which.
  public var declaredSchemaPath: (path: String, configured: Bool) {
    if let declaredSchema { return (declaredSchema, true) }
    return (ConfigPath.join(ConfigPath.parent(configPath), "schema.sql"), false)
  }

  // MARK: - Finding a configuration

  /// Finds and loads the configuration of the project in `directory`.
  ///
  /// With `explicitPath` (the CLI's `-c/--config FILE`) exactly that file is loaded.
  /// Otherwise the first of these is used: `revgraph.toml`, `alembic.ini`, and
  /// `pyproject.toml` if it has a `[tool.alembic]` table. An `alembic.ini` without
  /// `script_location` takes its options from a `pyproject.toml` beside it, as Alembic 1.16+
  /// does (the ini still supplies `sqlalchemy.url` and wins for keys both set).
  ///
  /// Relative paths in Alembic files are resolved against `directory` (Alembic resolves them
  /// against the directory it runs in); use `%(here)s` for paths relative to the file.
  ///
  /// - Parameters:
  ///   - explicitPath: A configuration file, relative to `directory`, or `nil` to search.
  ///   - directory: The project directory (relative paths are taken from the current one).
  /// - Throws: ``ProjectError`` when no configuration is found or it cannot be read.
  ///   - section: The `alembic.ini` section to read (Alembic's `-n/--name`).
  public static func discover(explicitPath: String?, in directory: String, section: String = alembicSection) throws
    -> ProjectConfig
  {
    let directory = ConfigPath.absolute(
      directory, relativeTo: FileManager.default.currentDirectoryPath)
    if let explicitPath {
      let path = ConfigPath.absolute(explicitPath, relativeTo: directory)
      guard isFile(path) else { throw ProjectError.fileNotFound(path: path) }
      return try load(path: path, relativeTo: directory, section: section)
    }
    let revgraph = ConfigPath.join(directory, "revgraph.toml")
    if isFile(revgraph) { return try loadRevgraph(path: revgraph) }
    let ini = ConfigPath.join(directory, "alembic.ini")
    if isFile(ini) { return try loadAlembicINI(path: ini, baseDirectory: directory, section: section) }
    let pyproject = ConfigPath.join(directory, "pyproject.toml")
    if isFile(pyproject), try hasAlembicTable(pyproject: pyproject) {
      return try loadPyproject(path: pyproject, baseDirectory: directory, section: section)
    }
    throw ProjectError.noProject(directory: directory)
  }

  /// Loads one configuration file, choosing the format by its name.
  ///
  /// `pyproject.toml` is read as Alembic's `[tool.alembic]`, any other `*.toml` as a
  /// `revgraph.toml`, and `*.ini` as an `alembic.ini`.
  ///
  /// - Parameters:
  ///   - path: The file (relative paths are taken from the current directory).
  ///   - baseDirectory: The directory relative paths inside Alembic files are resolved
  ///     against; `nil` means the file's own directory. (`revgraph.toml` paths are always
  ///     relative to the file.)
  /// - Throws: ``ProjectError`` when the file is missing, malformed, or lacks `script_location`.
  public static func load(path: String, relativeTo baseDirectory: String? = nil, section: String = alembicSection)
    throws -> ProjectConfig
  {
    let cwd = FileManager.default.currentDirectoryPath
    let path = ConfigPath.absolute(path, relativeTo: cwd)
    guard isFile(path) else { throw ProjectError.fileNotFound(path: path) }
    let base =
      baseDirectory.map { ConfigPath.absolute($0, relativeTo: cwd) } ?? ConfigPath.parent(path)
    let name = ConfigPath.name(path)
    if name == "pyproject.toml" { return try loadPyproject(path: path, baseDirectory: base, section: section) }
    if name.hasSuffix(".toml") { return try loadRevgraph(path: path) }
    if name.hasSuffix(".ini") { return try loadAlembicINI(path: path, baseDirectory: base, section: section) }
    throw ProjectError.unsupportedFile(path: path)
  }

  // MARK: - Files

  static func isFile(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      && !isDirectory.boolValue
  }

  /// The contents of a file as UTF-8 text.
  static func readText(_ path: String) throws(ProjectError) -> String {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw .unreadableFile(path: path, reason: error.localizedDescription)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .unreadableFile(path: path, reason: "it is not UTF-8 text")
    }
    return text
  }
}
