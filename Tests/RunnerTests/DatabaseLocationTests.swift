import Foundation
import Testing

@testable import Runner

/// Database settings: which driver, which file, and the settings refused with the reason.
@Suite struct DatabaseLocationTests {
  @Test(
    "SQLite settings name a file (relative ones from the project's directory)",
    arguments: [
      ("app.db", "/srv/project/app.db"), ("sqlite:///app.db", "/srv/project/app.db"),
      ("sqlite:///data/../app.db", "/srv/project/app.db"), ("sqlite:////var/db/app.db", "/var/db/app.db"),
      ("sqlite+pysqlite:///app.db", "/srv/project/app.db"), ("/var/db/app.db", "/var/db/app.db"),
      ("sqlite:///:memory:", ":memory:"),
    ])
  func sqlite(setting: String, path: String) throws {
    let location = try DatabaseLocation(setting, relativeTo: "/srv/project")
    #expect(location.path == path)
    #expect(location.dialect == .sqlite)
  }

  @Test(
    "malformed settings are refused, saying why, without a password",
    arguments: [
      ("sqlite://", "the path is empty"), ("sqlite:///", "the path is empty"),
      ("sqlite://host/app.db", "a SQLite URL has no host"),
      ("sqlite:///app.db?mode=ro", "query parameters are not supported"),
      ("mysql://root:hunter22@localhost/app", "not 'mysql'"),
      ("", "the path is empty"),
    ])
  func refused(setting: String, reason: String) {
    #expect {
      _ = try DatabaseLocation(setting, relativeTo: "/srv/project")
    } throws: { error in
      let text = "\(error)"
      return text.contains(reason) && !text.contains("hunter22") && (error as? RunnerError)?.kind == "invalid-url"
    }
  }

  @Test("an empty SQLite path says what SQLAlchemy would have done and how to mean it")
  func emptyPathAdvice() {
    #expect {
      _ = try DatabaseLocation("sqlite:///", relativeTo: "/srv/project")
    } throws: { error in
      "\(error)".contains("in-memory database, which vanishes") && "\(error)".contains("sqlite:///relative.db")
    }
  }

  @Test("PostgreSQL settings choose the PostgreSQL driver", arguments: ["postgresql://u@h/db", "host=h dbname=db"])
  func postgresql(setting: String) throws {
    let location = try DatabaseLocation(setting, relativeTo: "/srv/project")
    #expect(location.dialect == .postgresql)
    #expect(location.path == nil)
  }
}
