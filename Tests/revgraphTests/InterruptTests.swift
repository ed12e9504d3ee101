import Foundation
import Project
import TestSupport
import Testing

@testable import Graph

/// Ctrl-C during an upgrade: the revision under way is rolled back, the ones before it stay,
/// the message says both, the exit status is 130, and a rerun finishes.
@Suite(.serialized) struct InterruptTests {
  @Test("SIGINT mid-upgrade: a boundary, what was completed and rolled back, exit 130", arguments: TestDriver.allCases)
  func interrupt(driver: TestDriver) throws {
    let count = 120
    let records = RunnerCLITests.linearRecords(count)
    let project = try NativeProject(records, name: "revgraph-interrupt", body: RunnerCLITests.heavyBody(driver))
    defer { project.remove() }
    guard let db = try TestDatabase.make(driver, in: project.root) else { return }
    defer { db.remove() }
    var interrupted = 0
    var lastApplied = 0
    for round in 0..<5 where lastApplied < count {
      let (process, out, err) = try RunnerCLITests.start(["upgrade", "heads"], in: project.root, database: db.url)
      usleep(useconds_t(400_000 + 150_000 * round))
      let running = process.isRunning
      if running { process.interrupt() }
      let output = String(decoding: out.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
      let errors = String(decoding: err.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
      process.waitUntilExit()
      try db.waitForClientSessions()
      lastApplied = try RunnerCLITests.checkBoundary(project, db, records, "round \(round)")
      // Finished before the signal came (or as it came): nothing to say about it.
      guard running, process.terminationStatus != 0 else { continue }
      interrupted += 1
      #expect(process.terminationStatus == 130, "round \(round): \(errors)")
      #expect(errors.contains("interrupted (Ctrl-C): "), "round \(round): \(errors)")
      #expect(!errors.contains("Fatal error"), "\(errors)")
      // The message's rows are the database's.
      if lastApplied > 0 {
        #expect(errors.contains("the database is at \(String(format: "r%03d", lastApplied - 1))"), "\(errors)")
      }
      // What it says was completed ran in this round (its step lines were printed).
      if let range = errors.range(of: "completed: ") {
        let completed = errors[range.upperBound...].prefix { $0 != ";" }.split(separator: ",").map {
          $0.trimmingCharacters(in: .whitespaces)
        }
        for id in completed { #expect(output.contains("-> \(id), "), "round \(round): \(id) in \(output)") }
      }
    }
    #expect(interrupted > 0)
    try RunnerCLITests.checkFinished(project, db, count: count)
  }
}
