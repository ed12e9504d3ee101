import Foundation
import Graph
import Testing

@testable import Project

/// `revgraph revision`'s rules (group F of alembic-cases.md), on a graph in memory.
@Suite struct NativeRevisionTests {
  static let config = ProjectConfig(
    kind: .revgraph, configPath: "/p/revgraph.toml", scriptLocation: "/p/mig", versionLocations: ["/p/mig/versions"],
    versionTable: "revgraph_version")
  static let date = CreateDate(year: 2026, month: 11, day: 24, hour: 10, minute: 0, second: 0, microsecond: 0)

  static func graph(_ entries: [(String, [String], [String])]) throws -> RevisionGraph {
    try RevisionGraph(
      records: entries.map { id, parents, labels in
        RevisionRecord(id: id, downRevisions: parents, branchLabels: labels, path: "/p/mig/versions/\(id).sql")
      })
  }

  /// `a<base, b<a, c1<b [c1br], c2<b`
  static let branched: [(String, [String], [String])] = [
    ("a", [], []), ("b", ["a"], []), ("c1", ["b"], ["c1br"]), ("c2", ["b"], []),
  ]

  struct Case: Sendable, CustomTestStringConvertible {
    var id: String
    var request: NativeRevision.Request
    /// The parents written, or an error kind.
    var expected: Result<[String], Failure>
    struct Failure: Error, Equatable { var kind: String }
    var testDescription: String { id }
  }

  static let cases: [Case] = [
    Case(id: "F01 several heads", request: .init(message: "x"), expected: .failure(.init(kind: "multiple-heads"))),
    Case(
      id: "F01 not a head", request: .init(message: "x", head: "b"), expected: .failure(.init(kind: "invalid-target"))),
    Case(id: "F01 --splice", request: .init(message: "x", head: "b", splice: true), expected: .success(["b"])),
    Case(
      id: "F02 invalid id", request: .init(message: "x", head: "c1", revisionID: "bad-id"),
      expected: .failure(.init(kind: "invalid-script"))),
    Case(
      id: "F02 id already used (Alembic writes a duplicate)",
      request: .init(message: "x", head: "c1", revisionID: "c2"),
      expected: .failure(.init(kind: "duplicate-revision"))),
    Case(id: "F05 --head heads merges", request: .init(message: "x", head: "heads"), expected: .success(["c1", "c2"])),
    Case(id: "new base", request: .init(message: "x", head: "base"), expected: .success([])),
    Case(id: "label@head", request: .init(message: "x", head: "c1br@head"), expected: .success(["c1"])),
    Case(
      id: "F04 label clash found before writing", request: .init(message: "x", head: "base", branchLabels: ["c1br"]),
      expected: .failure(.init(kind: "label-conflict"))),
    Case(
      id: "unknown dependency", request: .init(message: "x", head: "c1", dependsOn: ["nope"]),
      expected: .failure(.init(kind: "unknown-revision"))),
  ]

  @Test(arguments: cases)
  func plan(_ c: Case) throws {
    let graph = try Self.graph(Self.branched)
    let result = Result {
      try NativeRevision.plan(
        c.request, config: Self.config, graph: graph, template: NativeRevision.defaultTemplate, date: Self.date,
        newID: { "0123456789ab" })
    }
    switch (c.expected, result) {
    case (.success(let parents), .success(let planned)):
      #expect(planned.record.downRevisions == parents)
      #expect(planned.path.hasPrefix("/p/mig/versions/") && planned.path.hasSuffix("_x.sql"))
    case (.failure(let expected), .failure(let error)):
      let kind = (error as? AuthoringError)?.kind ?? (error as? GraphError)?.kind
      #expect(kind == expected.kind, "\(error)")
    default:
      Issue.record("expected \(c.expected), got \(result)")
    }
  }

  @Test("F07 --depends-on keeps an exact label, resolves prefixes to ids; empty header lines are left out")
  func dependsOnAndText() throws {
    let graph = try Self.graph(Self.branched + [("dddd1", ["c2"], [])])
    let planned = try NativeRevision.plan(
      .init(message: "Add users!", head: "c1", dependsOn: ["c1br", "dddd"], revisionID: "n1"), config: Self.config,
      graph: graph, template: NativeRevision.defaultTemplate, date: Self.date)
    #expect(planned.record.dependsOn == ["c1br", "dddd1"])
    #expect(planned.path == "/p/mig/versions/n1_add_users.sql")
    #expect(
      planned.text == """
        -- revision: n1
        -- down_revision: c1
        -- depends_on: c1br, dddd1
        -- message: Add users!
        -- create_date: 2026-11-24 10:00:00

        -- +upgrade


        -- +downgrade

        """)
  }
}
