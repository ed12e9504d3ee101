import Foundation
import Project

/// Running `git` as a subprocess.
enum Git {
  /// Runs git in `directory` and returns its standard output.
  ///
  /// - Throws: ``MergeError/git(command:reason:)`` with git's message when it exits non-zero.
  @discardableResult
  static func run(_ arguments: [String], in directory: String, input: [UInt8]? = nil) throws -> String {
    String(decoding: try runBytes(arguments, in: directory, input: input), as: UTF8.self)
  }

  static func runBytes(_ arguments: [String], in directory: String, input: [UInt8]? = nil) throws -> [UInt8] {
    let command = "git " + arguments.joined(separator: " ")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let output = Pipe()
    let errors = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-git-\(UUID().uuidString)")
    var inputFile: URL?
    defer {
      try? FileManager.default.removeItem(at: errors)
      if let inputFile { try? FileManager.default.removeItem(at: inputFile) }
    }
    do {
      _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
      process.standardError = try FileHandle(forWritingTo: errors)
      if let input {
        // A file, not a pipe: git may write a lot before it has read all of its input.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("revgraph-git-\(UUID().uuidString)")
        try Data(input).write(to: url)
        inputFile = url
        process.standardInput = try FileHandle(forReadingFrom: url)
      } else {
        process.standardInput = FileHandle.nullDevice
      }
      process.standardOutput = output
      try process.run()
    } catch {
      throw MergeError.git(command: command, reason: "cannot run git: \(error.localizedDescription)")
    }
    let data = output.fileHandleForReading.readAllRetryingInterrupts()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let message = (try? String(contentsOf: errors, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
      throw MergeError.git(
        command: command,
        reason: (message?.isEmpty ?? true) ? "exit status \(process.terminationStatus)" : message ?? "")
    }
    return [UInt8](data)
  }

  /// The contents of `REF:path` objects, read with one `git cat-file --batch`; each result
  /// is paired with the object name it was asked for.
  static func blobs(_ names: [String], in directory: String) throws -> [(String, [UInt8])] {
    guard !names.isEmpty else { return [] }
    let input = Array(names.map { $0 + "\n" }.joined().utf8)
    let output = try runBytes(["cat-file", "--batch"], in: directory, input: input)
    var result: [(String, [UInt8])] = []
    var position = 0
    for name in names {
      guard let newline = output[position...].firstIndex(of: 0x0A) else { break }
      let header = String(decoding: output[position..<newline], as: UTF8.self).split(separator: " ")
      position = newline + 1
      guard header.count == 3, let size = Int(header[2]), position + size <= output.count else { continue }
      result.append((name, Array(output[position..<position + size])))
      position += size + 1
    }
    return result
  }
}
