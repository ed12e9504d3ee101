import Foundation
import Project
import Testing

/// End-to-end runs of `revgraph graph` and `revgraph history --graph`.
@Suite struct DiagramCLITests {
  static let dotPath: String? = {
    let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    return directories.map { "\($0)/dot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()
  static let needsDot = Testing.ConditionTrait.enabled(
    if: dotPath != nil, "graphviz 'dot' is not installed (apt-get install graphviz); skipped")

  /// Runs revgraph in `directory`, optionally with another PATH; returns status, stdout, stderr.
  static func run(_ arguments: [String], in directory: URL, path: String? = nil) throws -> (Int32, Data, String) {
    let (process, out, err) = try RunnerCLITests.start(arguments, in: directory, path: path)
    let stdout = out.fileHandleForReading.readAllRetryingInterrupts()
    let stderr = err.fileHandleForReading.readAllRetryingInterrupts()
    process.waitUntilExit()
    return (process.terminationStatus, stdout, String(decoding: stderr, as: UTF8.self))
  }

  static func text(_ arguments: [String], in directory: URL) throws -> String {
    String(decoding: try run(arguments, in: directory).1, as: UTF8.self)
  }

  /// The demo's project: a main line and a `shopping_cart` branch from 2b3c.
  static func project(extra: [(String, String, String)] = []) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-diagram-\(UUID().uuidString)")
    let versions = root.appendingPathComponent("migrations/versions")
    try FileManager.default.createDirectory(at: versions, withIntermediateDirectories: true)
    try "script_location = \"migrations\"\n".write(
      to: root.appendingPathComponent("revgraph.toml"), atomically: true, encoding: .utf8)
    let revisions: [(String, String, String)] = [
      ("1a2b3c4d5e6f", "", "create account table"), ("2b3c4d5e6f70", "1a2b3c4d5e6f", "add email to account"),
      ("3c4d5e6f7081", "2b3c4d5e6f70", "create orders table"),
      ("9f8e7d6c5b4a", "2b3c4d5e6f70", "create cart table"), ("8e7d6c5b4a39", "9f8e7d6c5b4a", "add cart items"),
    ]
    for (id, down, message) in revisions + extra {
      var text = "-- revision: \(id)\n"
      if !down.isEmpty { text += "-- down_revision: \(down)\n" }
      if id == "9f8e7d6c5b4a" { text += "-- branch_labels: shopping_cart\n" }
      text += "-- message: \(message)\n\n-- +upgrade\nSELECT 1;\n"
      try text.write(to: versions.appendingPathComponent("\(id).sql"), atomically: true, encoding: .utf8)
    }
    return root
  }

  @Test("graph writes DOT to standard output")
  func dotToStandardOutput() throws {
    let root = try Self.project()
    defer { try? FileManager.default.removeItem(at: root) }
    let (status, data, stderr) = try Self.run(["graph"], in: root)
    let dot = String(decoding: data, as: UTF8.self)
    #expect(status == 0, "\(stderr)")
    #expect(dot.hasPrefix("digraph revgraph {\n") && dot.hasSuffix("}\n"))
    #expect(dot.contains("\"2b3c4d5e6f70\" -> \"9f8e7d6c5b4a\";"))
    #expect(dot.contains("[shopping_cart]"))
    // Deterministic: a second run is byte-identical.
    #expect(try Self.run(["graph"], in: root).1 == data)
  }

  @Test("graph --branch and -r select revisions with the target grammar")
  func selection() throws {
    let root = try Self.project()
    defer { try? FileManager.default.removeItem(at: root) }
    let branch = try Self.text(["graph", "--branch", "shopping_cart", "--no-legend"], in: root)
    #expect(branch.contains("\"8e7d6c5b4a39\" [") && !branch.contains("\"3c4d5e6f7081\" ["))
    let range = try Self.text(["graph", "-r", "2b3c:", "--direction", "LR"], in: root)
    #expect(
      range.contains("rankdir=LR") && range.contains("\"outside:1a2b3c4d5e6f\"")
        && !range.contains("\"1a2b3c4d5e6f\" ["))
    let (status, _, stderr) = try Self.run(["graph", "--branch", "nope"], in: root)
    #expect(status == 1 && stderr.contains("no branch label or revision named 'nope'"))
  }

  @Test("graph draws a missing parent as a ghost where other commands fail")
  func ghost() throws {
    let root = try Self.project(extra: [("7a7a7a7a7a7a", "deadbeef0000", "orphaned")])
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(try Self.run(["heads"], in: root).0 == 1)
    let dot = try Self.text(["graph"], in: root)
    #expect(dot.contains("\"ghost:deadbeef0000\" -> \"7a7a7a7a7a7a\""))
  }

  @Test("graph -o x.svg writes an SVG (format from the extension)", needsDot)
  func svgFile() throws {
    let root = try Self.project()
    defer { try? FileManager.default.removeItem(at: root) }
    let (status, _, stderr) = try Self.run(["graph", "-o", "x.svg", "--collapse", "1"], in: root)
    #expect(status == 0, "\(stderr)")
    let svg = try String(contentsOf: root.appendingPathComponent("x.svg"), encoding: .utf8)
    #expect(svg.hasPrefix("<?xml") && svg.contains("<svg") && svg.contains("</svg>"))
    #expect(svg.contains("<title>1a2b3c4d5e6f</title>"))
  }

  @Test("graph --format png -o writes a PNG", needsDot)
  func pngFile() throws {
    let root = try Self.project()
    defer { try? FileManager.default.removeItem(at: root) }
    let (status, _, stderr) = try Self.run(["graph", "--format", "png", "-o", "history.out"], in: root)
    #expect(status == 0, "\(stderr)")
    let png = try Data(contentsOf: root.appendingPathComponent("history.out"))
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
  }

  @Test(
    "PNG is not written to a terminal",
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "util-linux 'script' is missing"))
  func pngToTerminal() throws {
    let root = try Self.project()
    defer { try? FileManager.default.removeItem(at: root) }
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("revgraph").path
    // `script` gives the command a pseudo-terminal as its standard output.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qec", "'\(binary)' graph --format png", "/dev/null"]
    process.currentDirectoryURL = root
    let out = Pipe()
    process.standardOutput = out
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let output = String(decoding: out.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
    #expect(output.contains("not writing binary PNG to a terminal; use -o FILE.png"))
  }

  @Test("without dot on PATH, SVG fails with how to install graphviz; DOT still works")
  func missingGraphviz() throws {
    let root = try Self.project()
    defer { try? FileManager.default.removeItem(at: root) }
    let empty = root.appendingPathComponent("empty-bin")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let (status, _, stderr) = try Self.run(["graph", "--format", "svg"], in: root, path: empty.path)
    #expect(status == 1)
    #expect(stderr.contains("'dot'") && stderr.contains("apt-get install graphviz") && stderr.contains("--format dot"))
    #expect(try Self.run(["graph", "-o", "x.dot"], in: root, path: empty.path).0 == 0)
    #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("x.dot").path))
  }

  @Test("the example in docs/diagrams.md is what revgraph draws now (scripts/render-diagrams.sh redraws it)")
  func documentedExample() throws {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let config = repository.appendingPathComponent("docs/examples/shop/revgraph.toml").path
    let images = repository.appendingPathComponent("docs/images")
    let dot = try String(contentsOf: images.appendingPathComponent("example.dot"), encoding: .utf8)
    let lanes = try String(contentsOf: images.appendingPathComponent("example-lanes.txt"), encoding: .utf8)
    #expect(try Self.text(["graph", "-c", config], in: repository) == dot)
    #expect(try Self.text(["history", "-c", config, "--graph"], in: repository) == lanes)
  }

  @Test("history --graph draws lanes; --ascii uses plain characters")
  func historyGraph() throws {
    let root = try Self.project()
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(
      try Self.text(["history", "--graph"], in: root) == """
        ● 3c4d5e6f7081 (head), create orders table
        │ ● 8e7d6c5b4a39 (shopping_cart) (head), add cart items
        │ ● 9f8e7d6c5b4a (shopping_cart), create cart table
        ├─╯
        ● 2b3c4d5e6f70 (branchpoint), add email to account
        ● 1a2b3c4d5e6f, create account table

        """)
    #expect(
      try Self.text(["history", "--graph", "--ascii", "-r", "2b3c:"], in: root) == """
        * 3c4d5e6f7081 (head), create orders table
        | * 8e7d6c5b4a39 (shopping_cart) (head), add cart items
        | * 9f8e7d6c5b4a (shopping_cart), create cart table
        |-'
        * 2b3c4d5e6f70 (branchpoint), add email to account

        """)
    let (status, _, stderr) = try Self.run(["history", "--ascii"], in: root)
    #expect(status != 0 && stderr.contains("add --graph"))
  }
}
