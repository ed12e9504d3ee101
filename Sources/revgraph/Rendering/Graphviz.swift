import Foundation
import Project

/// Renders DOT text with graphviz's `dot` program, run as a subprocess.
enum Graphviz {
  /// The `dot` executable on PATH, if any.
  static func locate(path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
    for directory in (path ?? "").split(separator: ":") where !directory.isEmpty {
      let candidate = "\(directory)/dot"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// Runs `dot -T<format>` on `dot` text and returns what it writes.
  ///
  /// - Throws: ``DiagramError/graphvizMissing(format:)`` when `dot` is not on PATH,
  ///   ``DiagramError/graphvizFailed(status:message:)`` when it exits non-zero.
  static func render(_ text: [UInt8], format: String) throws -> Data {
    guard let executable = locate() else { throw DiagramError.graphvizMissing(format: format) }
    // Input and errors go through files: no pipe can fill up while we wait on another.
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("history.dot")
    let errors = directory.appendingPathComponent("errors.txt")
    try Data(text).write(to: input)
    try Data().write(to: errors)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["-T\(format)", input.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = try FileHandle(forWritingTo: errors)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readAllRetryingInterrupts()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let message = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
      throw DiagramError.graphvizFailed(
        status: process.terminationStatus, message: message.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    return data
  }
}

/// What can go wrong while drawing a diagram, beyond loading and resolving the history.
enum DiagramError: Error, Equatable, CustomStringConvertible {
  /// SVG or PNG was asked for but graphviz's `dot` is not on PATH.
  case graphvizMissing(format: String)
  /// `dot` ran and failed.
  case graphvizFailed(status: Int32, message: String)
  /// A binary image would go to a terminal.
  case binaryToTerminal(format: String)
  /// The output file could not be written.
  case cannotWrite(path: String, reason: String)
  /// The range says `current` but no database state is available.
  case currentWithoutDatabase(range: String)

  var description: String {
    switch self {
    case .graphvizMissing(let format):
      "rendering \(format) needs graphviz's 'dot' program, which is not on PATH; install graphviz"
        + " (Debian/Ubuntu: apt-get install graphviz, macOS: brew install graphviz),"
        + " or use --format dot, which needs no graphviz"
    case .graphvizFailed(let status, let message):
      "graphviz 'dot' failed (exit status \(status))" + (message.isEmpty ? "" : ": \(message)")
        + "; --format dot shows the text it was given"
    case .binaryToTerminal(let format):
      "not writing binary \(format.uppercased()) to a terminal; use -o FILE.\(format) (or pipe the output)"
    case .cannotWrite(let path, let reason):
      "cannot write '\(path)': \(reason); check that the directory exists and is writable"
    case .currentWithoutDatabase(let range):
      "range '\(range)' says 'current', but revgraph cannot read the database's version table yet;"
        + " name revisions instead (e.g. ae10:)"
    }
  }
}
