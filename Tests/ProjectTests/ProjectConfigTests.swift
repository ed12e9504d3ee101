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
    template: String? = nil, slug: Int? = nil, settings: [String: String] = [:],
    warnings: [ProjectWarning] = []
  ) -> ProjectConfig {
    ProjectConfig(
      kind: kind, configPath: "ROOT/\(file)", scriptLocation: script,
      versionLocations: versions ?? [script + "/versions"], recursiveVersionLocations: recursive,
      database: database,
      versionTable: table ?? (kind == .revgraph ? "revgraph_version" : "alembic_version"),
      fileTemplate: template, truncateSlugLength: slug, settings: settings, warnings: warnings)
  }
}

@Suite struct ProjectConfigTests {
  @Test(arguments: revgraphCases + discoveryCases + alembicINICases + pyprojectCases + nearMissCases)
  func loads(_ c: ConfigCase) throws {
    let project = try TemporaryProject(c.files)
    #expect(try project.discover(explicitPath: c.explicitPath) == c.expected)
  }

  @Test(arguments: errorCases + unknownKeyCases + alembicErrorCases)
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
    // A relative location, never the absolute path baked into the config (issue 17).
    #expect(message.contains("`revgraph init migrations`") && !message.contains("revgraph init ROOT"))
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
      name: "every revgraph.toml key, the ones read by name as settings",
      files: [
        "revgraph.toml": """
        script_location = "db/migrations"
        version_locations = ["db/migrations/versions", "/opt/shared/versions", "db/../shared/./v"]
        recursive_version_locations = true
        database = "sqlite:///app.db"
        version_table = "schema_history"
        version_table_schema = "ops"
        file_template = "%(rev)s_%(slug)s"
        truncate_slug_length = 30
        lock_timeout = 5
        timezone = "UTC"
        """
      ],
      expected: .expected(
        .revgraph, file: "revgraph.toml", script: "ROOT/db/migrations",
        versions: ["ROOT/db/migrations/versions", "/opt/shared/versions", "ROOT/shared/v"],
        recursive: true, database: "sqlite:///app.db", table: "schema_history",
        template: "%(rev)s_%(slug)s", slug: 30,
        settings: ["version_table_schema": "ops", "lock_timeout": "5", "timezone": "UTC"])
    ),
    ConfigCase(
      name: "lock_timeout as a fraction",
      files: ["revgraph.toml": "script_location = \"migrations\"\nlock_timeout = 2.5\n"],
      expected: .expected(.revgraph, file: "revgraph.toml", settings: ["lock_timeout": "2.5"])
    ),
    ConfigCase(
      name: "lock_timeout as text",
      files: ["revgraph.toml": "script_location = \"migrations\"\nlock_timeout = \"10\"\n"],
      expected: .expected(.revgraph, file: "revgraph.toml", settings: ["lock_timeout": "10"])
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

// MARK: - Unknown keys in revgraph.toml

extension ProjectConfigTests {
  /// Every key `revgraph.toml` accepts, with a value of the right type.
  static let acceptedKeySamples: [String: String] = [
    "script_location": "\"migrations\"",
    "version_locations": "[\"migrations/versions\"]",
    "recursive_version_locations": "true",
    "database": "\"sqlite:///app.db\"",
    "version_table": "\"history\"",
    "version_table_schema": "\"ops\"",
    "file_template": "\"%(rev)s\"",
    "truncate_slug_length": "20",
    "allow_multiple_heads": "true",
    "branches": "[\"net\"]",
    "schema": "\"db/schema.sql\"",
    "lock_timeout": "30",
    "timezone": "\"UTC\"",
  ]

  @Test("the accepted keys are exactly those the loader and the commands read")
  func acceptedKeys() {
    #expect(Set(ProjectConfig.revgraphKeys) == Set(Self.acceptedKeySamples.keys))
  }

  @Test("every accepted key loads", arguments: acceptedKeySamples.keys.sorted())
  func acceptedKeyLoads(_ key: String) throws {
    let line = key == "script_location" ? "" : "\(key) = \(Self.acceptedKeySamples[key] ?? "")\n"
    let project = try TemporaryProject(["revgraph.toml": "script_location = \"migrations\"\n" + line])
    _ = try project.discover()
  }

  static let accepted = ProjectConfig.revgraphKeys.sorted()

  static let unknownKeyCases: [ConfigErrorCase] = [
    ConfigErrorCase(
      name: "a misspelled key suggests the one meant",
      files: ["revgraph.toml": "script_location = \"m\"\ndatabse = \"sqlite:///app.db\"\n"],
      expected: {
        .unknownKey(
          location: "\($0)/revgraph.toml:2", key: "databse", suggestion: "database", accepted: accepted)
      }
    ),
    ConfigErrorCase(
      name: "two letters swapped count as one mistake",
      files: ["revgraph.toml": "script_location = \"m\"\n\n# history\nversion_tabel = \"v\"\n"],
      expected: {
        .unknownKey(
          location: "\($0)/revgraph.toml:4", key: "version_tabel", suggestion: "version_table",
          accepted: accepted)
      }
    ),
    ConfigErrorCase(
      name: "the singular of a plural key",
      files: ["revgraph.toml": "script_location = \"m\"\nversion_location = \"v\"\n"],
      expected: {
        .unknownKey(
          location: "\($0)/revgraph.toml:2", key: "version_location",
          suggestion: "version_locations", accepted: accepted)
      }
    ),
    ConfigErrorCase(
      name: "a key with nothing close lists the accepted keys",
      files: ["revgraph.toml": "script_location = \"m\"\neditor = \"vim\"\n"],
      expected: {
        .unknownKey(
          location: "\($0)/revgraph.toml:2", key: "editor", suggestion: nil, accepted: accepted)
      }
    ),
    ConfigErrorCase(
      name: "the first unknown key in the file is reported",
      files: ["revgraph.toml": "zzz = 1\nscript_location = \"m\"\naaa = 2\n"],
      expected: {
        .unknownKey(location: "\($0)/revgraph.toml:1", key: "zzz", suggestion: nil, accepted: accepted)
      }
    ),
    ConfigErrorCase(
      name: "an unknown table is named at its header",
      files: ["revgraph.toml": "script_location = \"m\"\n\n[hooks]\nblack = true\n"],
      expected: {
        .unknownKey(location: "\($0)/revgraph.toml:3", key: "hooks", suggestion: nil, accepted: accepted)
      }
    ),
    ConfigErrorCase(
      name: "Alembic's sqlalchemy.url as a dotted key points to database",
      files: ["revgraph.toml": "script_location = \"m\"\nsqlalchemy.url = \"sqlite://\"\n"],
      expected: {
        .unknownKey(
          location: "\($0)/revgraph.toml:2", key: "sqlalchemy", suggestion: "database",
          accepted: accepted)
      }
    ),
    ConfigErrorCase(
      name: "a quoted key, after a multi-line string that looks like keys",
      files: [
        "revgraph.toml": """
        script_location = "m"
        file_template = \"\"\"
        databse = "not a key"
        \"\"\"
        "Database" = "sqlite://"
        """
      ],
      expected: {
        .unknownKey(
          location: "\($0)/revgraph.toml:5", key: "Database", suggestion: "database", accepted: accepted)
      }
    ),
    ConfigErrorCase(
      name: "an explicit file is named in the error",
      files: ["config/ci.toml": "script_location = \"../m\"\nshema = \"s.sql\"\n"],
      explicitPath: "config/ci.toml",
      expected: {
        .unknownKey(
          location: "\($0)/config/ci.toml:2", key: "shema", suggestion: "schema", accepted: accepted)
      }
    ),
    ConfigErrorCase(
      name: "timezone as a table",
      files: ["revgraph.toml": "script_location = \"m\"\n[timezone]\nname = \"UTC\"\n"],
      expected: {
        .invalidValue(
          location: "\($0)/revgraph.toml", key: "timezone", reason: "expected a string, found a table")
      }
    ),
    ConfigErrorCase(
      name: "lock_timeout as an array",
      files: ["revgraph.toml": "script_location = \"m\"\nlock_timeout = [1]\n"],
      expected: {
        .invalidValue(
          location: "\($0)/revgraph.toml", key: "lock_timeout",
          reason: "expected a number of seconds, found an array")
      }
    ),
  ]

  /// A `revgraph.toml` and what the message for its unknown key must say.
  struct MessageCase: Sendable, CustomTestStringConvertible {
    var name: String
    var toml: String
    var fragments: [String]
    var testDescription: String { name }
  }

  static let unknownKeyMessages: [MessageCase] = [
    MessageCase(
      name: "with a suggestion",
      toml: "script_location = \"m\"\ndatabse = \"sqlite:///app.db\"\n",
      fragments: ["ROOT/revgraph.toml:2: unknown key 'databse'", "did you mean `database`?"]),
    MessageCase(
      name: "without one",
      toml: "script_location = \"m\"\neditor = \"vim\"\n",
      fragments: [
        "ROOT/revgraph.toml:2: unknown key 'editor'",
        "allow_multiple_heads, branches, database, file_template, lock_timeout,",
        "version_table, version_table_schema",
      ]),
  ]

  @Test("an unknown key's message names the file, the line and the fix", arguments: unknownKeyMessages)
  func unknownKeyMessage(_ c: MessageCase) throws {
    let project = try TemporaryProject(["revgraph.toml": c.toml])
    let error = #expect(throws: ProjectError.self) {
      try ProjectConfig.discover(explicitPath: nil, in: project.root)
    }
    let message = project.relativized(String(describing: error))
    for fragment in c.fragments {
      #expect(message.contains(fragment), "\(message)")
    }
  }
}
