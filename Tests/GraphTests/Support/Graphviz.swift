import Foundation
import Project

/// Runs graphviz's `dot` for the tests that check what it makes of our output.
enum Graphviz {
  /// `dot` on PATH, if installed.
  static let path: String? = {
    let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    return directories.map { "\($0)/dot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  static var isInstalled: Bool { path != nil }

  /// Runs `dot` with `arguments`, DOT text on standard input; returns status, stdout, stderr.
  static func run(_ arguments: [String], input: String) throws -> (status: Int32, output: Data, errors: String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-dot-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = directory.appendingPathComponent("in.dot"), errors = directory.appendingPathComponent("err.txt")
    try input.write(to: source, atomically: true, encoding: .utf8)
    try Data().write(to: errors)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path ?? "/usr/bin/dot")
    process.arguments = arguments + [source.path]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = try FileHandle(forWritingTo: errors)
    try process.run()
    let data = out.fileHandleForReading.readAllRetryingInterrupts()
    process.waitUntilExit()
    return (process.terminationStatus, data, (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
  }
}
