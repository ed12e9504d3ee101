import Testing

@testable import Project

// MARK: - alembic.ini

extension ProjectConfigTests {
  /// The `alembic init` generic template of Alembic 1.16+, trimmed of most comments.
  static let genericINI = """
    # A generic, single database configuration.

    [alembic]
    # path to migration scripts.
    script_location = %(here)s/alembic

    # template used to generate migration file names; The default value is %%(rev)s_%%(slug)s
    file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s

    prepend_sys_path = .

    # version_locations = %(here)s/bar:%(here)s/bat:%(here)s/alembic/versions
    path_separator = os

    sqlalchemy.url = driver://user:pass@localhost/dbname

    [post_write_hooks]

    [loggers]
    keys = root,sqlalchemy,alembic

    [formatter_generic]
    format = %(levelname)-5.5s [%(name)s] %(message)s
    datefmt = %H:%M:%S
    """

  static let alembicINICases: [ConfigCase] =
    [
      ConfigCase(
        name: "the generic alembic.ini template",
        files: ["alembic.ini": genericINI],
        expected: .expected(
          .alembic, file: "alembic.ini", script: "ROOT/alembic",
          database: "driver://user:pass@localhost/dbname",
          template: "%(year)d_%(month).2d_%(day).2d_%(rev)s_%(slug)s",
          settings: ["prepend_sys_path": ".", "path_separator": "os"])
      ),
      ConfigCase(
        name: "relative script_location is relative to the project directory",
        files: ["alembic.ini": "[alembic]\nscript_location = db/alembic\n"],
        expected: .expected(.alembic, file: "alembic.ini", script: "ROOT/db/alembic")
      ),
      ConfigCase(
        name: "configparser syntax: colons, case, comments, continuations, DEFAULT, %%",
        files: [
          "alembic.ini": """
          [DEFAULT]
          base = %(here)s/db

          [alembic]
          ; a comment
          Script_Location: %(base)s/migrations
          version_locations =
              %(base)s/one

              # a comment inside the value
              %(base)s/two
          path_separator = newline
          Recursive_Version_Locations = Yes
          truncate_slug_length = 20
          version_table = my_versions
          note = 100%% done
          """
        ],
        expected: .expected(
          .alembic, file: "alembic.ini", script: "ROOT/db/migrations",
          versions: ["ROOT/db/one", "ROOT/db/two"], recursive: true, table: "my_versions", slug: 20,
          settings: ["base": "ROOT/db", "path_separator": "newline", "note": "100% done"])
      ),
    ] + separatorCases

  /// `version_locations` split by each `path_separator`, and by the legacy rule.
  static let separatorCases: [ConfigCase] = [
    ("os", "a:%(here)s/b"), (":", "a:b"), (";", "a; b"), ("space", "a  b"), (nil, "a, b c,d"),
  ].map { separator, value in
    let versions = separator == nil ? ["ROOT/a", "ROOT/b", "ROOT/c", "ROOT/d"] : ["ROOT/a", "ROOT/b"]
    let line = separator.map { "path_separator = \($0)\n" } ?? ""
    return ConfigCase(
      name: "version_locations split with path_separator \(separator ?? "unset (legacy)")",
      files: ["alembic.ini": "[alembic]\nscript_location = m\nversion_locations = \(value)\n\(line)"],
      expected: .expected(
        .alembic, file: "alembic.ini", script: "ROOT/m", versions: versions,
        settings: separator.map { ["path_separator": $0] } ?? [:]))
  }
}

// MARK: - pyproject.toml

extension ProjectConfigTests {
  static let pyprojectCases: [ConfigCase] = [
    ConfigCase(
      name: "the pyproject template's [tool.alembic]",
      files: [
        "pyproject.toml": """
        [project]
        name = "app"

        [tool.alembic]
        script_location = "%(here)s/alembic"
        file_template = "%%(rev)s_%%(slug)s"
        prepend_sys_path = ["."]
        version_locations = ["%(here)s/alembic/versions", "other"]
        recursive_version_locations = true
        truncate_slug_length = "30"
        """
      ],
      expected: .expected(
        .alembic, file: "pyproject.toml", script: "ROOT/alembic",
        versions: ["ROOT/alembic/versions", "ROOT/other"], recursive: true,
        template: "%(rev)s_%(slug)s", slug: 30, settings: ["prepend_sys_path": "[ '.' ]"])
    ),
    ConfigCase(
      name: "alembic.ini without script_location takes its options from pyproject.toml",
      files: [
        "alembic.ini": "[alembic]\nsqlalchemy.url = sqlite:///app.db\n",
        "pyproject.toml": "[tool.alembic]\nscript_location = \"migrations\"\n",
      ],
      expected: .expected(.alembic, file: "alembic.ini", database: "sqlite:///app.db")
    ),
    ConfigCase(
      name: "an explicit pyproject.toml takes the URL from the alembic.ini beside it",
      files: [
        "alembic.ini": "[alembic]\nsqlalchemy.url = sqlite:///app.db\n",
        "pyproject.toml": "[tool.alembic]\nscript_location = \"migrations\"\n",
      ],
      explicitPath: "pyproject.toml",
      expected: .expected(.alembic, file: "pyproject.toml", database: "sqlite:///app.db")
    ),
  ]
}

// MARK: - Alembic errors

extension ProjectConfigTests {
  static let alembicErrorCases: [ConfigErrorCase] = [
    ConfigErrorCase(
      name: "alembic.ini without script_location",
      files: ["alembic.ini": "[alembic]\nsqlalchemy.url = sqlite://\n"],
      expected: { .missingKey(path: "\($0)/alembic.ini", section: "alembic", key: "script_location") }
    ),
    ConfigErrorCase(
      name: "explicit pyproject.toml without [tool.alembic]",
      files: ["pyproject.toml": "[project]\nname = \"app\"\n"], explicitPath: "pyproject.toml",
      expected: { .missingSection(path: "\($0)/pyproject.toml", section: "tool.alembic") }
    ),
    ConfigErrorCase(
      name: "an option before any section",
      files: ["alembic.ini": "script_location = m\n[alembic]\n"],
      expected: { root in
        .syntaxError(
          location: "\(root)/alembic.ini:1",
          reason: "'script_location = m' comes before any section header; add `[alembic]` above it")
      }
    ),
    ConfigErrorCase(
      name: "a line that is not key = value",
      files: ["alembic.ini": "[alembic]\nscript_location = m\njust words\n"],
      expected: {
        .syntaxError(
          location: "\($0)/alembic.ini:3", reason: "cannot read 'just words'; expected `key = value`")
      }
    ),
    ConfigErrorCase(
      name: "a key set twice",
      files: ["alembic.ini": "[alembic]\nscript_location = m\nSCRIPT_LOCATION = n\n"],
      expected: {
        .syntaxError(
          location: "\($0)/alembic.ini:3", reason: "'script_location' is set twice in [alembic]; keep one")
      }
    ),
    ConfigErrorCase(
      name: "interpolation of an unknown key",
      files: ["alembic.ini": "[alembic]\n\nscript_location = %(nope)s/m\n"],
      expected: {
        .invalidValue(
          location: "\($0)/alembic.ini:3", key: "script_location",
          reason: "'%(nope)s' names no key in [alembic] or [DEFAULT]; write '%%' for a literal '%'")
      }
    ),
    ConfigErrorCase(
      name: "a lone percent sign",
      files: ["alembic.ini": "[alembic]\nscript_location = m\nfile_template = %d_%%(rev)s\n"],
      expected: {
        .invalidValue(
          location: "\($0)/alembic.ini:3", key: "file_template",
          reason: "'%d_%%(rev)s' is not '%%' or '%(name)s'; write '%%' for a literal '%'")
      }
    ),
    ConfigErrorCase(
      name: "an unknown path_separator",
      files: ["alembic.ini": "[alembic]\nscript_location = m\nversion_locations = a\npath_separator = tab\n"],
      expected: {
        .invalidValue(
          location: "\($0)/alembic.ini:4", key: "path_separator",
          reason: "'tab' is not a path separator; expected 'space', 'newline', 'os', ':' or ';'")
      }
    ),
    ConfigErrorCase(
      name: "a boolean that is not one",
      files: ["alembic.ini": "[alembic]\nscript_location = m\nrecursive_version_locations = maybe\n"],
      expected: {
        .invalidValue(
          location: "\($0)/alembic.ini:3", key: "recursive_version_locations",
          reason: "expected a boolean (true or false), found 'maybe'")
      }
    ),
    ConfigErrorCase(
      name: "truncate_slug_length that is not a number",
      files: ["alembic.ini": "[alembic]\nscript_location = m\ntruncate_slug_length = forty\n"],
      expected: {
        .invalidValue(
          location: "\($0)/alembic.ini:3", key: "truncate_slug_length",
          reason: "expected an integer, found 'forty'")
      }
    ),
    ConfigErrorCase(
      name: "pyproject.toml recursive_version_locations must be a TOML boolean",
      files: ["pyproject.toml": "[tool.alembic]\nscript_location = \"m\"\nrecursive_version_locations = \"true\"\n"],
      expected: {
        .invalidValue(
          location: "\($0)/pyproject.toml", key: "recursive_version_locations",
          reason: "expected a boolean (true or false), found a string")
      }
    ),
  ]
}

// MARK: - Near misses in Alembic files

extension ProjectConfigTests {
  /// Alembic files may hold options for Alembic and its plugins, so unknown keys load; a key
  /// one or two edits away from a key revgraph reads (and not itself an Alembic option) warns.
  static let nearMissCases: [ConfigCase] = [
    ConfigCase(
      name: "alembic.ini: a near miss of version_locations warns with file and line",
      files: ["alembic.ini": "[alembic]\nscript_location = m\nversion_location = %(here)s/v\n"],
      expected: .expected(
        .alembic, file: "alembic.ini", script: "ROOT/m", settings: ["version_location": "ROOT/v"],
        warnings: [
          .nearMiss(location: "ROOT/alembic.ini:3", key: "version_location", suggestion: "version_locations")
        ])
    ),
    ConfigCase(
      name: "alembic.ini: several near misses warn in line order",
      files: [
        "alembic.ini": """
        [alembic]
        script_location = m
        sqlalchemy.ulr = sqlite:///app.db
        version_tabel = history
        script_locaton = elsewhere
        """
      ],
      expected: .expected(
        .alembic, file: "alembic.ini", script: "ROOT/m",
        settings: [
          "sqlalchemy.ulr": "sqlite:///app.db", "version_tabel": "history", "script_locaton": "elsewhere",
        ],
        warnings: [
          .nearMiss(location: "ROOT/alembic.ini:3", key: "sqlalchemy.ulr", suggestion: "sqlalchemy.url"),
          .nearMiss(location: "ROOT/alembic.ini:4", key: "version_tabel", suggestion: "version_table"),
          .nearMiss(location: "ROOT/alembic.ini:5", key: "script_locaton", suggestion: "script_location"),
        ])
    ),
    ConfigCase(
      name: "alembic.ini: Alembic's own options and unrelated plugin keys do not warn",
      files: [
        "alembic.ini": """
        [alembic]
        script_location = m
        prepend_sys_path = .
        version_path_separator = os
        output_encoding = utf-8
        revision_environment = true
        sourceless = false
        timezone = UTC
        my_plugin_option = 1
        """
      ],
      expected: .expected(
        .alembic, file: "alembic.ini", script: "ROOT/m",
        settings: [
          "prepend_sys_path": ".", "version_path_separator": "os", "output_encoding": "utf-8",
          "revision_environment": "true", "sourceless": "false", "timezone": "UTC",
          "my_plugin_option": "1",
        ])
    ),
    ConfigCase(
      name: "alembic.ini: a near miss in both [DEFAULT] and [alembic] warns once",
      files: [
        "alembic.ini": "[DEFAULT]\nversion_tabel = a\n\n[alembic]\nscript_location = m\nversion_tabel = b\n"
      ],
      expected: .expected(
        .alembic, file: "alembic.ini", script: "ROOT/m", settings: ["version_tabel": "b"],
        warnings: [
          .nearMiss(location: "ROOT/alembic.ini:6", key: "version_tabel", suggestion: "version_table")
        ])
    ),
    ConfigCase(
      name: "pyproject.toml: near misses in [tool.alembic], dotted keys included",
      files: [
        "pyproject.toml": """
        [project]
        name = "app"

        [tool.alembic]
        script_location = "m"
        recursive_version_location = true
        sqlalchemy.ulr = "sqlite://"
        prepend_sys_path = ["."]
        """
      ],
      expected: .expected(
        .alembic, file: "pyproject.toml", script: "ROOT/m",
        settings: [
          "recursive_version_location": "true", "sqlalchemy.ulr": "sqlite://", "prepend_sys_path": "[ '.' ]",
        ],
        warnings: [
          .nearMiss(
            location: "ROOT/pyproject.toml:6", key: "recursive_version_location",
            suggestion: "recursive_version_locations"),
          .nearMiss(location: "ROOT/pyproject.toml:7", key: "sqlalchemy.ulr", suggestion: "sqlalchemy.url"),
        ])
    ),
    ConfigCase(
      name: "alembic.ini and pyproject.toml together: each file's near misses, the ini's first",
      files: [
        "alembic.ini": "[alembic]\nsqlalchemy.url = sqlite:///app.db\nlock_timout = 5\n",
        "pyproject.toml": "[tool.alembic]\nscript_location = \"migrations\"\nbranchs = [\"a\"]\n",
      ],
      expected: .expected(
        .alembic, file: "alembic.ini", database: "sqlite:///app.db",
        settings: ["lock_timout": "5", "branchs": "[ 'a' ]"],
        warnings: [
          .nearMiss(location: "ROOT/alembic.ini:3", key: "lock_timout", suggestion: "lock_timeout"),
          .nearMiss(location: "ROOT/pyproject.toml:3", key: "branchs", suggestion: "branches"),
        ])
    ),
  ]

  @Test("a near-miss warning names the file, the line and the key meant")
  func nearMissMessage() throws {
    let project = try TemporaryProject(["alembic.ini": "[alembic]\nscript_location = m\nversion_location = v\n"])
    let warnings = try project.discover().warnings.map(String.init(describing:))
    #expect(
      warnings == [
        "ROOT/alembic.ini:3: 'version_location' is neither an option revgraph reads nor one of Alembic's,"
          + " so it is ignored; did you mean `version_locations`?"
      ])
  }
}
