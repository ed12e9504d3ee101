import Foundation
import Testing

@testable import Project

/// Files in a project directory and the configuration discovery should find there.
struct ConfigCase: Sendable, CustomTestStringConvertible {
  var name: String
  var files: [String: String]
  var explicitPath: String? = nil
  /// The expected configuration, with the project directory written as `ROOT`.
  var expected: ProjectConfig

  var testDescription: String { name }
}

/// Files in a project directory and the error discovery should report.
struct ConfigErrorCase: Sendable, CustomTestStringConvertible {
  var name: String
  var files: [String: String]
  var explicitPath: String? = nil
  /// The expected error, given the project directory.
  var expected: @Sendable (String) -> ProjectError

  var testDescription: String { name }
}

extension ProjectConfig {
  /// A configuration with the defaults for `kind`, rooted at `ROOT`.
  static func expected(
    _ kind: Kind, file: String, script: String = "ROOT/migrations", versions: [String]? = nil,
    recursive: Bool = false, database: String? = nil, table: String? = nil,
    template: String? = nil, slug: Int? = nil, settings: [String: String] = [:]
  ) -> ProjectConfig {
    ProjectConfig(
      kind: kind, configPath: "ROOT/\(file)", scriptLocation: script,
      versionLocations: versions ?? [script + "/versions"], recursiveVersionLocations: recursive,
      database: database,
      versionTable: table ?? (kind == .revgraph ? "revgraph_version" : "alembic_version"),
      fileTemplate: template, truncateSlugLength: slug, settings: settings)
  }
}

@Suite struct ProjectConfigTests {
  @Test(arguments: revgraphCases + discoveryCases + alembicINICases + pyprojectCases)
  func loads(_ c: ConfigCase) throws {
    let project = try TemporaryProject(c.files)
    #expect(try project.discover(explicitPath: c.explicitPath) == c.expected)
  }

  @Test(arguments: errorCases + alembicErrorCases)
  func rejects(_ c: ConfigErrorCase) throws {
    let project = try TemporaryProject(c.files)
    #expect(throws: c.expected(ConfigPath.normalize(project.root))) {
      try ProjectConfig.discover(explicitPath: c.explicitPath, in: project.root)
    }
  }

  @Test("an empty directory suggests revgraph init and -c")
  func noProjectMessage() throws {
    let project = try TemporaryProject()
    let error = #expect(throws: ProjectError.self) {
      try ProjectConfig.discover(explicitPath: nil, in: project.root)
    }
    let message = project.relativized(String(describing: error))
    #expect(message.contains("no project found in ROOT"))
    #expect(message.contains("revgraph init ROOT"))
    #expect(message.contains("-c FILE"))
  }

  @Test("a TOML syntax error names the file and the line")
  func tomlSyntaxError() throws {
    let project = try TemporaryProject(["revgraph.toml": "script_location = \"m\"\ndatabase = \n"])
    let error = #expect(throws: ProjectError.self) {
      try ProjectConfig.discover(explicitPath: nil, in: project.root)
    }
    guard case .syntaxError(let location, let reason)? = error else {
      Issue.record("expected a syntax error, got \(String(describing: error))")
      return
    }
    #expect(project.relativized(location) == "ROOT/revgraph.toml:2")
    #expect(reason.hasPrefix("invalid TOML at column"))
  }

  @Test("load(path:) resolves Alembic paths against the file's directory by default")
  func loadByPath() throws {
    let project = try TemporaryProject(["sub/alembic.ini": "[alembic]\nscript_location = alembic\n"])
    let config = try ProjectConfig.load(path: project.root + "/sub/alembic.ini")
    #expect(project.relativized(config) == .expected(.alembic, file: "sub/alembic.ini", script: "ROOT/sub/alembic"))
  }
}

// MARK: - revgraph.toml

extension ProjectConfigTests {
  static let revgraphCases: [ConfigCase] = [
    ConfigCase(
      name: "minimal revgraph.toml",
      files: ["revgraph.toml": "script_location = \"migrations\"\n"],
      expected: .expected(.revgraph, file: "revgraph.toml")
    ),
    ConfigCase(
      name: "every revgraph.toml key, unknown keys as settings",
      files: [
        "revgraph.toml": """
        script_location = "db/migrations"
        version_locations = ["db/migrations/versions", "/opt/shared/versions", "db/../shared/./v"]
        recursive_version_locations = true
        database = "sqlite:///app.db"
        version_table = "schema_history"
        file_template = "%(rev)s_%(slug)s"
        truncate_slug_length = 30
        editor = "vim"
        retries = 3

        [hooks]
        black = true
        """
      ],
      expected: .expected(
        .revgraph, file: "revgraph.toml", script: "ROOT/db/migrations",
        versions: ["ROOT/db/migrations/versions", "/opt/shared/versions", "ROOT/shared/v"],
        recursive: true, database: "sqlite:///app.db", table: "schema_history",
        template: "%(rev)s_%(slug)s", slug: 30,
        settings: ["editor": "vim", "retries": "3", "hooks.black": "true"])
    ),
    ConfigCase(
      name: "version_locations as a single string",
      files: ["revgraph.toml": "script_location = \"m\"\nversion_locations = \"v\"\n"],
      expected: .expected(.revgraph, file: "revgraph.toml", script: "ROOT/m", versions: ["ROOT/v"])
    ),
    ConfigCase(
      name: "paths in an explicit revgraph.toml are relative to the file",
      files: ["config/ci.toml": "script_location = \"../migrations\"\n"],
      explicitPath: "config/ci.toml",
      expected: .expected(.revgraph, file: "config/ci.toml")
    ),
  ]
}

// MARK: - Discovery

extension ProjectConfigTests {
  static let discoveryCases: [ConfigCase] = [
    ConfigCase(
      name: "revgraph.toml wins over alembic.ini and pyproject.toml",
      files: [
        "revgraph.toml": "script_location = \"migrations\"\n",
        "alembic.ini": "[alembic]\nscript_location = alembic\n",
        "pyproject.toml": "[tool.alembic]\nscript_location = \"alembic\"\n",
      ],
      expected: .expected(.revgraph, file: "revgraph.toml")
    ),
    ConfigCase(
      name: "alembic.ini wins over pyproject.toml when it has script_location",
      files: [
        "alembic.ini": "[alembic]\nscript_location = migrations\n",
        "pyproject.toml": "[tool.alembic]\nscript_location = \"elsewhere\"\n",
      ],
      expected: .expected(.alembic, file: "alembic.ini")
    ),
    ConfigCase(
      name: "pyproject.toml without [tool.alembic] is skipped in favour of alembic.ini",
      files: [
        "pyproject.toml": "[project]\nname = \"app\"\n",
        "alembic.ini": "[alembic]\nscript_location = migrations\n",
      ],
      expected: .expected(.alembic, file: "alembic.ini")
    ),
  ]
}

// MARK: - Errors

extension ProjectConfigTests {
  static let errorCases: [ConfigErrorCase] = [
    ConfigErrorCase(
      name: "no configuration at all",
      files: ["pyproject.toml": "[project]\nname = \"app\"\n"],
      expected: { .noProject(directory: $0) }
    ),
    ConfigErrorCase(
      name: "explicit file that does not exist",
      files: ["revgraph.toml": "script_location = \"m\"\n"], explicitPath: "nope.toml",
      expected: { .fileNotFound(path: "\($0)/nope.toml") }
    ),
    ConfigErrorCase(
      name: "explicit file of an unknown format",
      files: ["config.yaml": "script_location: m\n"], explicitPath: "config.yaml",
      expected: { .unsupportedFile(path: "\($0)/config.yaml") }
    ),
    ConfigErrorCase(
      name: "revgraph.toml without script_location",
      files: ["revgraph.toml": "database = \"sqlite://\"\n"],
      expected: { .missingKey(path: "\($0)/revgraph.toml", section: nil, key: "script_location") }
    ),
    ConfigErrorCase(
      name: "script_location of the wrong type",
      files: ["revgraph.toml": "script_location = 3\n"],
      expected: {
        .invalidValue(
          location: "\($0)/revgraph.toml", key: "script_location",
          reason: "expected a string, found an integer (3)")
      }
    ),
    ConfigErrorCase(
      name: "version_locations with a non-string element",
      files: ["revgraph.toml": "script_location = \"m\"\nversion_locations = [\"a\", 1]\n"],
      expected: {
        .invalidValue(
          location: "\($0)/revgraph.toml", key: "version_locations",
          reason: "expected an array of strings, found an integer (1)")
      }
    ),
    ConfigErrorCase(
      name: "recursive_version_locations as a string",
      files: ["revgraph.toml": "script_location = \"m\"\nrecursive_version_locations = \"yes\"\n"],
      expected: {
        .invalidValue(
          location: "\($0)/revgraph.toml", key: "recursive_version_locations",
          reason: "expected a boolean (true or false), found a string")
      }
    ),
    ConfigErrorCase(
      name: "truncate_slug_length as a string in revgraph.toml",
      files: ["revgraph.toml": "script_location = \"m\"\ntruncate_slug_length = \"40\"\n"],
      expected: {
        .invalidValue(
          location: "\($0)/revgraph.toml", key: "truncate_slug_length",
          reason: "expected an integer, found a string")
      }
    ),
  ]
}
