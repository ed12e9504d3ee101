import Foundation
import Testing

@testable import Runner

/// PostgreSQL settings: what libpq is given, how the setting is shown (never its password),
/// and how libpq's connection failures become the runner's error kinds.
@Suite struct PostgreSQLURLTests {
  struct ParseCase: Sendable, CustomTestStringConvertible {
    var setting: String
    var conninfo: String
    var display: String
    var testDescription: String { setting }
  }

  static let parseCases: [ParseCase] = [
    .init(
      setting: "postgresql://app@db.internal:5433/shop", conninfo: "postgresql://app@db.internal:5433/shop",
      display: "postgresql://app@db.internal:5433/shop"),
    .init(
      setting: "postgres://app:s3cret@localhost/shop?sslmode=require",
      conninfo: "postgresql://app:s3cret@localhost/shop?sslmode=require",
      display: "postgres://app:***@localhost/shop?sslmode=require"),
    .init(
      setting: "postgresql+psycopg2://app:pw@localhost/shop", conninfo: "postgresql://app:pw@localhost/shop",
      display: "postgresql+psycopg2://app:***@localhost/shop"),
    .init(
      setting: "postgresql+asyncpg://app@localhost/shop", conninfo: "postgresql://app@localhost/shop",
      display: "postgresql+asyncpg://app@localhost/shop"),
    .init(
      setting: "postgresql+psycopg://localhost/shop?user=app&password=hunter2&sslmode=disable",
      conninfo: "postgresql://localhost/shop?user=app&password=hunter2&sslmode=disable",
      display: "postgresql+psycopg://localhost/shop?user=app&password=***&sslmode=disable"),
    // A raw `@`, `?` or `:` in the password: hidden whole.
    .init(
      setting: "postgresql://app:p@ss?w:rd@localhost/shop", conninfo: "postgresql://app:p@ss?w:rd@localhost/shop",
      display: "postgresql://app:***@localhost/shop"),
    .init(
      setting: "postgresql://app:p%40ss@[::1]:5432/shop", conninfo: "postgresql://app:p%40ss@[::1]:5432/shop",
      display: "postgresql://app:***@[::1]:5432/shop"),
    .init(
      setting: "postgresql://h1:5432,h2:5433/shop?target_session_attrs=read-write",
      conninfo: "postgresql://h1:5432,h2:5433/shop?target_session_attrs=read-write",
      display: "postgresql://h1:5432,h2:5433/shop?target_session_attrs=read-write"),
    .init(setting: "postgresql:///shop", conninfo: "postgresql:///shop", display: "postgresql:///shop"),
    .init(
      setting: "host=localhost dbname=shop password=s3cret user=app",
      conninfo: "host=localhost dbname=shop password=s3cret user=app",
      display: "host=localhost dbname=shop password=*** user=app"),
    .init(
      setting: "dbname = shop password = 'a b\\'c' sslmode=require",
      conninfo: "dbname = shop password = 'a b\\'c' sslmode=require",
      display: "dbname = shop password = *** sslmode=require"),
    .init(setting: "service=prod", conninfo: "service=prod", display: "service=prod"),
  ]

  @Test("settings are handed to libpq and shown without their password", arguments: parseCases)
  func parse(_ example: ParseCase) throws {
    let url = try PostgreSQLURL(example.setting)
    #expect(url.conninfo == example.conninfo)
    #expect(url.displayName == example.display)
    #expect(PostgreSQLURL.isPostgreSQL(example.setting))
  }

  @Test(
    "the passwords of a setting are known, so libpq's messages are scrubbed of them",
    arguments: [
      ("postgresql://app:s3cret@localhost/shop", ["s3cret"]),
      ("postgresql://app:p%40ss@localhost/shop", ["p%40ss", "p@ss"]),
      ("postgresql://localhost/shop?password=hunter2", ["hunter2"]),
      ("host=x password='a b\\'c'", ["a b'c"]),
      ("host=x password=plain dbname=y", ["plain"]),
      ("postgresql://app@localhost/shop", []),
    ])
  func secrets(setting: String, passwords: [String]) throws {
    let url = try PostgreSQLURL(setting)
    #expect(Set(url.secrets) == Set(passwords))
    for password in passwords {
      #expect(!url.scrub("libpq: invalid token \"\(password)\" in \(setting)").contains(password))
    }
  }

  @Test(
    "settings that are not PostgreSQL's, or are malformed, are refused without their password",
    arguments: [
      ("mysql://root:topsecret@localhost/app", "'mysql' is not a PostgreSQL URL"),
      ("postgresql://app:topsecret@localhost:54x2/app", "the port '54x2' is not a number"),
      ("postgresqlx://app:topsecret@localhost/app", "is not a PostgreSQL URL"),
    ])
  func refused(setting: String, reason: String) {
    #expect {
      _ = try PostgreSQLURL(setting)
    } throws: { error in
      let text = "\(error)"
      return text.contains(reason) && !text.contains("topsecret") && text.contains("***")
    }
  }

  @Test("a setting of another kind is not taken for PostgreSQL's", arguments: ["app.db", "sqlite:///app.db", "x=1"])
  func notPostgreSQL(setting: String) {
    #expect(!PostgreSQLURL.isPostgreSQL(setting))
  }

  struct FailureCase: Sendable, CustomTestStringConvertible {
    var message: String
    var needsPassword = false
    var kind: String
    var mentions: [String]
    var testDescription: String { kind + ": " + message }
  }

  static let server = PostgreSQLConnection.Server(host: "127.0.0.1", port: "5433", user: "app")

  static let failureCases: [FailureCase] = [
    .init(
      message:
        "connection to server at \"127.0.0.1\", port 5433 failed: Connection refused\n\tIs the server running on "
        + "that host and accepting TCP/IP connections?\n",
      kind: "connection-failed", mentions: ["Connection refused", "start the server"]),
    .init(
      message: "connection to server at \"127.0.0.1\", port 5433 failed: FATAL:  database \"shop\" does not exist\n",
      kind: "unknown-database", mentions: ["no database 'shop'", "createdb -h 127.0.0.1 -p 5433 -U app shop"]),
    .init(
      message:
        "connection to server at \"127.0.0.1\", port 5433 failed: FATAL:  password authentication failed for user "
        + "\"app\"\n",
      kind: "authentication-failed", mentions: ["password authentication failed", "PGPASSWORD or ~/.pgpass"]),
    .init(
      message: "connection to server at \"127.0.0.1\", port 5433 failed: fe_sendauth: no password supplied\n",
      needsPassword: true, kind: "authentication-failed", mentions: ["no password supplied"]),
    .init(
      message: "connection to server at \"127.0.0.1\", port 5433 failed: FATAL:  role \"app\" does not exist\n",
      kind: "authentication-failed", mentions: ["role \"app\" does not exist", "check the role name"]),
    .init(
      message:
        "connection to server at \"127.0.0.1\", port 5433 failed: FATAL:  no pg_hba.conf entry for host "
        + "\"127.0.0.1\", user \"app\", database \"shop\", no encryption\n",
      kind: "authentication-failed", mentions: ["pg_hba.conf"]),
    .init(
      message: "could not translate host name \"db.invalid\" to address: Name or service not known\n",
      kind: "connection-failed", mentions: ["db.invalid", "check the host and port"]),
    .init(
      message: "invalid percent-encoded token: \"s3cr%zzet\"\n", kind: "connection-failed",
      mentions: ["invalid percent-encoded token"]),
  ]

  @Test("libpq's connection failures become distinct error kinds, each with its fix", arguments: failureCases)
  func connectionFailures(_ example: FailureCase) throws {
    let url = try PostgreSQLURL("postgresql://app:s3cr%zzet@127.0.0.1:5433/shop")
    let error = PostgreSQLConnection.connectionError(
      example.message, needsPassword: example.needsPassword, url: url, server: Self.server)
    let text = "\(error)"
    #expect(error.kind == example.kind, "\(text)")
    for mention in example.mentions { #expect(text.contains(mention), "\(text)") }
    #expect(!text.contains("s3cr"), "\(text)")
    #expect(!text.contains("\n") && !text.contains("\t"), "\(text)")
  }

  @Test(
    "the createdb command is quoted for the shell",
    arguments: [
      (
        PostgreSQLConnection.Server(host: "/tmp/pg dir", port: "5432", user: "o'neil"), "my db",
        "createdb -h '/tmp/pg dir' -p 5432 -U 'o'\\''neil' 'my db'"
      ),
      (PostgreSQLConnection.Server(host: nil, port: nil, user: nil), "shop", "createdb shop"),
    ])
  func createCommand(server: PostgreSQLConnection.Server, database: String, expected: String) {
    #expect(PostgreSQLConnection.createCommand(database, on: server) == expected)
  }
}
