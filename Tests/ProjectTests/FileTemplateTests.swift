import Foundation
import Testing

@testable import Project

/// One template, its inputs, and the name Alembic's `_rev_path` gives (checked with Python).
struct TemplateCase: Sendable, CustomTestStringConvertible {
  var name: String
  var template: String
  var message: String?
  var truncate = 40
  var expected: String
  var testDescription: String { name }
}

@Suite struct FileTemplateTests {
  /// 2026-03-04 05:06:07 UTC.
  static let date = CreateDate(year: 2026, month: 3, day: 4, hour: 5, minute: 6, second: 7, utcOffset: 0)

  static let cases: [TemplateCase] = [
    .init(
      name: "default", template: "%(rev)s_%(slug)s", message: "Add account, email!", expected: "ae10_add_account_email"),
    .init(name: "no message", template: "%(rev)s_%(slug)s", message: nil, expected: "ae10_"),
    .init(
      name: "unicode words", template: "%(rev)s_%(slug)s", message: "Hello, World! ünïcode  stuff",
      expected: "ae10_hello_world_ünïcode_stuff"),
    .init(
      name: "punctuation and doubled underscores", template: "%(rev)s_%(slug)s", message: "Ab-Cd.Ef__gh  ij",
      expected: "ae10_ab_cd_ef__gh_ij"),
    .init(
      name: "one long word is cut and gets _", template: "%(rev)s_%(slug)s", message: String(repeating: "a", count: 45),
      expected: "ae10_" + String(repeating: "a", count: 40) + "_"),
    .init(
      name: "cut at the last underscore", template: "%(rev)s_%(slug)s",
      message: "create the account table with many columns please", truncate: 20,
      expected: "ae10_create_the_account_"),
    .init(
      name: "zero-padded date tokens",
      template: "%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s",
      message: "merge", expected: "2026_03_04_0506-ae10_merge"),
    .init(name: "epoch", template: "%(epoch)s_%(rev)s", message: "x", expected: "1772600767_ae10"),
    .init(name: "subdirectories", template: "%(year)d/%(month)02d/%(rev)s", message: "x", expected: "2026/03/ae10"),
    .init(name: "width, sign, %%", template: "%(rev)-6s|%(second)+03d|%%", message: "x", expected: "ae10  |+07|%"),
    .init(name: "precision and alternate hex", template: "%(rev).2s_%(minute)#x", message: "x", expected: "ae_0x6"),
  ]

  @Test(arguments: cases)
  func rendersLikeAlembic(_ c: TemplateCase) throws {
    let template = FileTemplate(template: c.template, truncateSlugLength: c.truncate)
    #expect(
      try template.fileName(revision: "ae10", message: c.message, date: Self.date, fileExtension: "py") == c.expected
        + ".py")
  }

  @Test("defaults: Alembic's template, slug length 40 (0 means unset)")
  func defaults() {
    let template = FileTemplate(template: nil, truncateSlugLength: 0)
    #expect(template.template == "%(rev)s_%(slug)s")
    #expect(template.truncateSlugLength == 40)
    #expect(!template.usesDateTokens)
    #expect(FileTemplate(template: "%(year)d_%(rev)s").usesDateTokens)
  }

  @Test(
    "bad templates name file_template and say what to write",
    arguments: [
      ("%(revision)s", "unknown token '%(revision)'"), ("%(rev)d", "formats text as a number"),
      ("%s_%(rev)s", "write '%%' for '%'"), ("%(rev)", "needs a conversion"), ("%(year)f", "not supported"),
    ])
  func rejects(template: String, fragment: String) {
    #expect {
      try FileTemplate(template: template, source: "/p/alembic.ini").fileName(
        revision: "a", message: nil, date: Self.date, fileExtension: "py")
    } throws: { error in
      guard case .invalidValue(let location, let key, let reason)? = error as? ProjectError else { return false }
      return location == "/p/alembic.ini" && key == "file_template" && reason.contains(fragment)
    }
  }

  @Test("the template comes from the project config")
  func fromConfig() throws {
    let project = try TemporaryProject([
      "revgraph.toml": "script_location = \"m\"\nfile_template = \"%(rev)s\"\ntruncate_slug_length = 10\n"
    ])
    let template = FileTemplate(config: try ProjectConfig.discover(explicitPath: nil, in: project.root))
    #expect(template.template == "%(rev)s")
    #expect(template.truncateSlugLength == 10)
  }
}

@Suite struct CreateDateTests {
  @Test(
    "reads and writes Python's str(datetime) exactly",
    arguments: [
      "2026-01-02 03:04:05", "2026-01-02 03:04:05.000120", "2026-01-02 03:04:05+05:30",
      "2026-11-24 10:00:00.123456-08:00",
    ])
  func roundTrip(text: String) throws {
    let date = try #require(CreateDate(parsing: text))
    #expect(date.description == text)
  }

  @Test("lenient forms: T separator, Z, no seconds; garbage is unknown")
  func lenient() {
    #expect(CreateDate(parsing: "2026-01-02T03:04Z")?.description == "2026-01-02 03:04:00+00:00")
    #expect(CreateDate(parsing: " 2026-01-02 03:04:05.5 ")?.microsecond == 500_000)
    #expect(CreateDate(parsing: "yesterday") == nil)
    #expect(CreateDate(parsing: "2026-13-02 03:04:05") == nil)
    #expect(CreateDate(parsing: "2026-01-02 03:04:05 and more") == nil)
  }

  @Test("epoch of aware and naive dates")
  func epoch() throws {
    #expect(CreateDate(year: 1970, month: 1, day: 2, utcOffset: 0).epoch() == 86_400)
    #expect(
      CreateDate(year: 2026, month: 3, day: 4, hour: 5, minute: 6, second: 7, utcOffset: 3600).epoch() == 1_772_597_167)
    let utc = try #require(TimeZone(identifier: "UTC"))
    #expect(CreateDate(year: 2000, month: 3, day: 1).epoch(localTimeZone: utc) == 951_868_800)
  }

  @Test("now in a zone carries its offset")
  func now() throws {
    let zone = try #require(TimeZone(secondsFromGMT: 3600))
    let date = CreateDate.now(in: zone, at: Date(timeIntervalSince1970: 0))
    #expect(date.description == "1970-01-01 01:00:00+01:00")
  }
}

@Suite struct HeadPolicyConfigTests {
  @Test(
    "allow_multiple_heads and branches in revgraph.toml, alembic.ini and pyproject.toml",
    arguments: [
      ["revgraph.toml": "script_location = \"m\"\nallow_multiple_heads = true\nbranches = [\"net\", \"cart\"]\n"],
      ["alembic.ini": "[alembic]\nscript_location = m\nallow_multiple_heads = yes\nbranches = net, cart\n"],
      [
        "pyproject.toml":
          "[tool.alembic]\nscript_location = \"m\"\nallow_multiple_heads = true\nbranches = [\"net\", \"cart\"]\n"
      ],
    ])
  func headPolicy(files: [String: String]) throws {
    let project = try TemporaryProject(files)
    let config = try project.discover()
    #expect(config.allowMultipleHeads)
    #expect(config.branches == ["net", "cart"])
    #expect(config.settings["branches"] == nil)
  }

  @Test("defaults: one head expected")
  func defaults() throws {
    let config = try TemporaryProject(["revgraph.toml": "script_location = \"m\"\n"]).discover()
    #expect(!config.allowMultipleHeads)
    #expect(config.branches.isEmpty)
  }
}
