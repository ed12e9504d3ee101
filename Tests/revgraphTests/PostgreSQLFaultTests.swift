import Foundation
import TestSupport
import Testing

@testable import Graph

/// PostgreSQL only: the server ends the runner's session, or restarts, in the middle of a long
/// upgrade. Each time the database is left at a revision boundary whose tables match the
/// version table, revgraph exits non-zero saying where the database is, and a rerun finishes.
@Suite(.serialized) struct PostgreSQLFaultTests {
  /// The database name of a PostgreSQL test database's URL.
  static func databaseName(_ url: String) -> String {
    String(url.split(separator: "/").last?.split(separator: "?").first ?? "")
  }

  @Test("pg_terminate_backend during upgrades: boundaries, a clear error, and a rerun finishes")
  func terminatedSessions() throws {
    let count = 120
    let records = RunnerCLITests.linearRecords(count)
    let project = try NativeProject(records, name: "revgraph-terminate", body: RunnerCLITests.heavyBody(.postgresql))
    defer { project.remove() }
    guard let db = try TestDatabase.make(.postgresql, in: project.root) else { return }
    defer { db.remove() }
    let name = Self.databaseName(db.url)
    var terminated = 0
    var lastApplied = 0
    for round in 0..<12 where lastApplied < count {
      let (process, out, err) = try RunnerCLITests.start(["upgrade", "heads"], in: project.root, database: db.url)
      // Wait until the runner is connected and working, then end its session from the server.
      var ended = false
      for _ in 0..<400 where process.isRunning && !ended {
        usleep(10_000)
        let pids = try db.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' "
            + "AND application_name = 'revgraph' AND state = 'active'")
        ended = pids.contains("t")
      }
      let output = String(decoding: out.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
      let errors = String(decoding: err.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
      process.waitUntilExit()
      if ended {
        terminated += 1
        #expect(process.terminationStatus != 0, "round \(round): \(output)")
        #expect(errors.contains("connection to database") && errors.contains("was lost"), "round \(round): \(errors)")
        #expect(!errors.contains("Fatal error") && !errors.contains("Stack dump"), "\(errors)")
      }
      lastApplied = try RunnerCLITests.checkBoundary(project, db, records, "round \(round)")
      // The error names the revisions the database is at, as `current` does.
      if ended, lastApplied > 0 {
        #expect(errors.contains(String(format: "r%03d", lastApplied - 1)), "round \(round): \(errors)")
      }
    }
    #expect(terminated > 0)
    try RunnerCLITests.checkFinished(project, db, count: count)
  }

  @Test("the server restarting mid-upgrade: a boundary, a clear error, and a rerun finishes")
  func serverRestart() throws {
    guard TestDatabase.serverURL != nil else { return }
    // A server of its own: restarting the shared one would cut the other tests' sessions.
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-restart-\(UUID())")
    let admin = try TestDatabase.startServer(in: directory.path)
    defer { TestDatabase.stopServer(in: directory.path) }
    _ = try TestDatabase.psql(admin, "CREATE DATABASE restart_test")
    let url = TestDatabase.url(admin, database: "restart_test")
    let count = 120
    let records = RunnerCLITests.linearRecords(count)
    let project = try NativeProject(records, name: "revgraph-restart", body: RunnerCLITests.heavyBody(.postgresql))
    defer { project.remove() }
    let db = TestDatabase(postgresql: url)
    var restarts = 0
    var lastApplied = 0
    for round in 0..<6 where lastApplied < count {
      let (process, _, err) = try RunnerCLITests.start(["upgrade", "heads"], in: project.root, database: url)
      var started = false
      for _ in 0..<400 where process.isRunning && !started {
        usleep(10_000)
        started =
          try TestDatabase.psql(
            admin,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = 'restart_test' AND application_name = 'revgraph'"
          ) != ["0"]
      }
      if started && process.isRunning {
        try TestDatabase.restartServer(in: directory.path)
        restarts += 1
      }
      let errors = String(decoding: err.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
      process.waitUntilExit()
      #expect(!errors.contains("Fatal error") && !errors.contains("Stack dump"), "\(errors)")
      lastApplied = try RunnerCLITests.checkBoundary(project, db, records, "round \(round)")
    }
    #expect(restarts > 0)
    try RunnerCLITests.checkFinished(project, db, count: count)
  }
}
