import Foundation
import Graph
import Project
import Testing

@testable import Merge

@Suite struct MergePlannerTests {
  @Test("SHA-256 matches the standard test vectors")
  func sha256() {
    #expect(Checksum.sha256Hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(Checksum.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    #expect(Checksum.sha256Hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test("the merge id depends only on the set of parents (same as printf | sort | sha256sum)")
  func deterministicID() {
    #expect(MergePlanner.deterministicID(parents: ["b1", "b2"]) == "60f7d20526ca")
    #expect(MergePlanner.deterministicID(parents: ["b2", "b1"]) == "60f7d20526ca")
    #expect(MergePlanner.deterministicID(parents: ["b1", "b3"]) != "60f7d20526ca")
  }

  @Test("a deterministic native merge: sorted parents, derived id, latest parent date, empty sections")
  func nativeMerge() throws {
    let project = try TestProject()
    try project.revision("a", date: "2026-01-01 10:00:00")
    try project.revision("b2", parents: ["a"], date: "2026-01-03 09:00:00")
    try project.revision("b1", parents: ["a"], date: "2026-01-02 10:00:00")
    let planner = MergePlanner(graph: try project.graph(), project: try project.config())
    let plan = try planner.plan(MergeRequest(revisions: ["b2", "b1"]))
    #expect(plan.isDeterministic)
    #expect(plan.file.path == project.versions + "/60f7d20526ca_merge_b1_and_b2.sql")
    #expect(
      plan.file.text == """
        -- revision: 60f7d20526ca
        -- down_revision: b1, b2
        -- message: merge b1 and b2
        -- create_date: 2026-01-03 09:00:00

        -- +upgrade

        -- +downgrade

        """)
    // `heads` gives the same plan, and so does a second planner (another clone).
    #expect(try planner.plan(MergeRequest(revisions: ["heads"])) == plan)
    let record = try SQLRevisionParser.parse(plan.file.text, path: plan.file.path)
    #expect(record.downRevisions == ["b1", "b2"])
  }

  @Test("an explicit id keeps the given order and is dated now")
  func explicitID() throws {
    let project = try TestProject()
    try project.revision("a")
    try project.revision("b2", parents: ["a"])
    try project.revision("b1", parents: ["a"])
    let planner = MergePlanner(graph: try project.graph(), project: try project.config())
    let date = CreateDate(year: 2026, month: 5, day: 6, hour: 7, minute: 8, second: 9)
    let plan = try planner.plan(
      MergeRequest(
        revisions: ["b2", "b1"], message: "Join!", branchLabels: ["joined"], revisionID: "m1", createDate: date))
    #expect(!plan.isDeterministic)
    #expect(plan.file.path.hasSuffix("/m1_join.sql"))
    #expect(
      plan.file.text.hasPrefix(
        "-- revision: m1\n-- down_revision: b2, b1\n-- branch_labels: joined\n-- message: Join!\n-- create_date: 2026-05-06 07:08:09\n"
      ))
    let undated = try planner.plan(MergeRequest(revisions: ["b2", "b1"], revisionID: "m2"))
    #expect(undated.revision.createDate != nil)
  }

  @Test("file_template with date tokens takes the derived date")
  func templateDates() throws {
    let project = try TestProject(extraConfig: "file_template = \"%(year)d_%(month).2d_%(day).2d_%(rev)s_%(slug)s\"\n")
    try project.revision("a", date: "2026-01-01 10:00:00")
    try project.revision("b1", parents: ["a"], date: "2026-02-03 10:00:00.5")
    try project.revision("b2", parents: ["a"])
    let planner = MergePlanner(graph: try project.graph(), project: try project.config())
    let plan = try planner.plan(MergeRequest(revisions: ["heads"], message: "merge"))
    #expect(plan.file.path.hasSuffix("/2026_02_03_60f7d20526ca_merge.sql"))
    #expect(plan.file.text.contains("-- create_date: 2026-02-03 10:00:00.500000\n"))
  }

  @Test("date tokens without any parent date: refused, with the way out")
  func templateWithoutDates() throws {
    let project = try TestProject(extraConfig: "file_template = \"%(epoch)s_%(rev)s\"\n")
    try project.revision("a")
    try project.revision("b1", parents: ["a"])
    try project.revision("b2", parents: ["a"])
    let planner = MergePlanner(graph: try project.graph(), project: try project.config())
    #expect(throws: MergeError.noCreateDate(template: "%(epoch)s_%(rev)s", parents: ["b1", "b2"])) {
      try planner.plan(MergeRequest(revisions: ["heads"]))
    }
  }

  @Test("refusals: one head, not a head, redundant parent, taken id or label, bad id")
  func refusals() throws {
    let project = try TestProject()
    try project.revision("a")
    try project.revision("b", parents: ["a"], labels: ["lab"])
    try project.revision("c", parents: ["b"])
    try project.revision("d", parents: ["b"])
    let planner = MergePlanner(graph: try project.graph(), project: try project.config())
    #expect(throws: MergeError.notEnoughRevisions(arguments: ["c", "c"], resolved: ["c"])) {
      try planner.plan(MergeRequest(revisions: ["c", "c"]))
    }
    #expect(throws: MergeError.notAHead(revision: "b", children: ["c", "d"])) {
      try planner.plan(MergeRequest(revisions: ["b", "c"]))
    }
    #expect(throws: MergeError.redundantParent(revision: "b", descendant: "c")) {
      try planner.plan(MergeRequest(revisions: ["b", "c"], splice: true))
    }
    #expect(throws: MergeError.revisionExists(id: "a", path: project.versions + "/a.sql")) {
      try planner.plan(MergeRequest(revisions: ["heads"], revisionID: "a"))
    }
    #expect(throws: MergeError.labelInUse(label: "lab", usedBy: "revision b")) {
      try planner.plan(MergeRequest(revisions: ["heads"], branchLabels: ["lab"]))
    }
    #expect(throws: MergeError.self) { try planner.plan(MergeRequest(revisions: ["heads"], revisionID: "x-y")) }
    #expect(throws: GraphError.self) { try planner.plan(MergeRequest(revisions: ["nosuch", "c"])) }
    // The error says what to do.
    let message = String(describing: MergeError.notAHead(revision: "b", children: ["c", "d"]))
    #expect(message.contains("--splice"))
  }

  @Test("Alembic project: the generic template's layout, read back with the right down_revision tuple")
  func alembicMerge() throws {
    let project = try TestProject(kind: .alembic)
    try project.script("a")
    try project.script("b1", parents: ["a"], date: "2026-01-02 10:00:00.123456")
    try project.script("b2", parents: ["a"], date: "2026-01-03 11:00:00.000001")
    let planner = MergePlanner(graph: try project.graph(), project: try project.config())
    let plan = try planner.plan(MergeRequest(revisions: ["heads"], message: "merge heads"))
    #expect(plan.format == .alembic)
    #expect(plan.file.path == project.versions + "/60f7d20526ca_merge_heads.py")
    #expect(
      plan.file.text == """
        \"\"\"merge heads

        Revision ID: 60f7d20526ca
        Revises: b1, b2
        Create Date: 2026-01-03 11:00:00.000001

        \"\"\"
        from typing import Sequence, Union

        from alembic import op
        import sqlalchemy as sa


        # revision identifiers, used by Alembic.
        revision: str = '60f7d20526ca'
        down_revision: Union[str, Sequence[str], None] = ('b1', 'b2')
        branch_labels: Union[str, Sequence[str], None] = None
        depends_on: Union[str, Sequence[str], None] = None


        def upgrade() -> None:
            \"\"\"Upgrade schema.\"\"\"
            pass


        def downgrade() -> None:
            \"\"\"Downgrade schema.\"\"\"
            pass

        """)
    let record = try PythonRevisionParser.parse(plan.file.text, path: plan.file.path)
    #expect(record.id == "60f7d20526ca")
    #expect(record.downRevisions == ["b1", "b2"])
    #expect(record.message == "merge heads")
    try plan.file.write(replacing: false)
    let merged = try project.graph()
    #expect(merged.ids(merged.heads) == ["60f7d20526ca"])
    #expect(throws: MergeError.fileExists(path: plan.file.path)) { try plan.file.write(replacing: false) }
  }

  @Test("Python literals: quotes, escapes, labels tuple, depends_on list")
  func pythonLiterals() {
    #expect(NewRevision.pythonRepr("it's") == "\"it's\"")
    #expect(NewRevision.pythonRepr("a\\b\n") == "'a\\\\b\\n'")
    #expect(NewRevision.pythonTuple(["x"]) == "('x',)")
    #expect(NewRevision.pythonScalarOrList(["a", "b"]) == "['a', 'b']")
    #expect(NewRevision.pythonScalarOrTuple([], quote: "\"") == "None")
    #expect(NewRevision.pythonScalarOrTuple(["a", "b"], quote: "\"") == "(\"a\", \"b\")")
  }
}

extension MergePlannerTests {
  @Test("label@head arguments name the heads of labelled branches")
  func labelledHeads() throws {
    let project = try TestProject()
    try project.revision("a")
    try project.revision("n1", parents: ["a"], labels: ["net"])
    try project.revision("n2", parents: ["n1"])
    try project.revision("c1", parents: ["a"], labels: ["cart"])
    let planner = MergePlanner(graph: try project.graph(), project: try project.config())
    let plan = try planner.plan(MergeRequest(revisions: ["net@head", "cart@head"]))
    #expect(plan.revision.parents == ["c1", "n2"])
    #expect(plan.revision.id == MergePlanner.deterministicID(parents: ["n2", "c1"]))
  }
}
