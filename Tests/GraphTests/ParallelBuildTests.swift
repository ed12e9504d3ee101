import TestSupport
import Testing

@testable import Graph

/// Large graphs are built on two threads (``RevisionGraph/parallelThreshold``). The result,
/// and the error for a bad history, must be those of the build on one thread.
@Suite struct ParallelBuildTests {
  static func build(_ records: [RevisionRecord], parallel: Bool) -> Result<RevisionGraph, GraphError> {
    Result { try RevisionGraph(records: records, parallelThreshold: parallel ? 0 : .max) }.mapError {
      $0 as? GraphError ?? .invalidTarget(text: "\($0)", reason: "not a GraphError")
    }
  }

  @Test("the error cases throw the same errors on two threads", arguments: BuildingTests.errorCases)
  func errors(_ c: BuildingTests.ErrorCase) {
    #expect(throws: c.expected) { try RevisionGraph(records: c.records, parallelThreshold: 0) }
  }

  @Test("random histories give the same graph on two threads", arguments: Array(UInt64(1)...20))
  func sameGraph(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let records = RandomGraph.records(size: Int.random(in: 1...200, using: &rng), rng: &rng)
    let one = try Self.build(records, parallel: false).get()
    let two = try Self.build(records, parallel: true).get()
    two.checkInvariants()
    let rows = { (a: Adjacency) in (0..<Int32(a.nodeCount)).map { Array(a[$0]) } }
    #expect(rows(one.parents) == rows(two.parents) && rows(one.dependencies) == rows(two.dependencies))
    #expect(rows(one.children) == rows(two.children) && rows(one.dependents) == rows(two.dependents))
    #expect(rows(one.propagatedLabels) == rows(two.propagatedLabels))
    #expect(one.topologicalOrder == two.topologicalOrder && one.idRank == two.idRank)
    #expect(one.heads == two.heads && one.realHeads == two.realHeads)
    #expect(one.bases == two.bases && one.realBases == two.realBases)
    #expect(one.sortedKeys.map(\.text) == two.sortedKeys.map(\.text))
    #expect(one.labelNames == two.labelNames && one.labelOwner == two.labelOwner)
  }

  @Test("histories with several faults throw the same error on two threads", arguments: Array(UInt64(1)...60))
  func sameError(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var records = RandomGraph.records(size: Int.random(in: 2...60, using: &rng), rng: &rng)
    // Faults of every stage, anywhere: bad ids, duplicates, label clashes, unknown links, cycles.
    for _ in 0..<Int.random(in: 1...3, using: &rng) {
      let i = Int.random(in: 0..<records.count, using: &rng)
      let other = records[Int.random(in: 0..<records.count, using: &rng)].id
      switch Int.random(in: 0..<7, using: &rng) {
      case 0: records[i].id = "bad@id"
      case 1: records.append(RevisionRecord(id: other, path: "dup.sql"))
      case 2: records[i].branchLabels.append(other)
      case 3: records[i].downRevisions.append("nowhere")
      case 4: records[i].dependsOn.append("nowhere")
      case 5: records[i].downRevisions = [other]
      default: records[i].dependsOn = [records[i].id]
      }
    }
    let one = Self.build(records, parallel: false), two = Self.build(records, parallel: true)
    switch (one, two) {
    case (.failure(let a), .failure(let b)): #expect(a == b, "seed \(seed)")
    case (.success, .success): break
    default: Issue.record("seed \(seed): one build failed and the other did not")
    }
  }
}
