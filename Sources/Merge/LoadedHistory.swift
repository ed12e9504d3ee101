import Foundation
import Graph

/// Every revision file of a project, read tolerantly: the records that parsed and the
/// errors of those that did not.
///
/// `revgraph check` must report every problem, so it cannot use the loader that stops at
/// the first bad file or the graph builder that stops at the first bad link.
public struct LoadedHistory: Sendable, Equatable {
  /// The records that parsed, in load order.
  public var records: [RevisionRecord]
  /// One ``GraphError/invalidScript(location:reason:)`` per file that did not parse.
  public var failures: [GraphError]

  /// Creates a history from records and failures.
  public init(records: [RevisionRecord], failures: [GraphError] = []) {
    self.records = records
    self.failures = failures
  }

  /// Reads every revision file of the version locations.
  ///
  /// - Throws: ``GraphError/invalidScript(location:reason:)`` only when a location is missing
  ///   (a configuration problem, not a revision problem).
  public static func load(locations: [String], recursive: Bool) throws -> LoadedHistory {
    var history = LoadedHistory(records: [])
    for path in try RevisionLoader.revisionFiles(in: locations, recursive: recursive) {
      do {
        history.records.append(try RevisionLoader.record(at: path))
      } catch let error as GraphError {
        history.failures.append(error)
      }
    }
    return history
  }

  /// Reads the revision files of the version locations as they are at a git ref.
  ///
  /// The files are listed with `git ls-tree` and read with one `git cat-file --batch`.
  ///
  /// - Parameters:
  ///   - ref: Any git revision (`origin/main`, a tag, a commit).
  ///   - locations: The version locations (absolute paths inside the repository).
  ///   - recursive: Whether subdirectories count (`recursive_version_locations`).
  ///   - directory: A directory inside the repository.
  /// - Returns: Records whose paths read `REF:relative/path`.
  /// - Throws: ``MergeError/git(command:reason:)`` when git fails or the ref is unknown.
  public static func load(gitRef ref: String, locations: [String], recursive: Bool, in directory: String) throws
    -> LoadedHistory
  {
    let top = try Git.run(["rev-parse", "--show-toplevel"], in: directory).trimmingCharacters(in: .newlines)
    _ = try Git.run(["rev-parse", "--verify", "--quiet", "\(ref)^{commit}"], in: top)
    let realTop = URL(fileURLWithPath: top).resolvingSymlinksInPath().path
    var paths: [String] = []
    for location in locations {
      let real = URL(fileURLWithPath: location).resolvingSymlinksInPath().path
      guard real == realTop || real.hasPrefix(realTop + "/") else {
        throw MergeError.git(
          command: "git ls-tree", reason: "version location \(location) is outside the repository \(top)")
      }
      let relative = String(real.dropFirst(realTop.count)).drop { $0 == "/" }
      let pathspec = relative.isEmpty ? "." : relative + "/"
      let listing = try Git.run(
        ["ls-tree", "-z", "--full-tree"] + (recursive ? ["-r"] : []) + [ref, "--", pathspec], in: top)
      for entry in listing.split(separator: "\0") {
        // `<mode> <type> <object>\t<path>`
        guard let tab = entry.firstIndex(of: "\t"), entry[..<tab].split(separator: " ").dropFirst().first == "blob"
        else { continue }
        let path = String(entry[entry.index(after: tab)...])
        let components = path.split(separator: "/")
        guard let name = components.last, RevisionLoader.isCandidate(String(name)),
          !components.dropLast().contains(where: { $0.hasSuffix("__pycache__") })
        else { continue }
        if !paths.contains(path) { paths.append(path) }
      }
    }
    paths.sort { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    var history = LoadedHistory(records: [])
    for (path, bytes) in try Git.blobs(paths.map { "\(ref):\($0)" }, in: top) {
      do {
        if path.hasSuffix(".py") {
          history.records.append(try PythonRevisionParser.parse(String(decoding: bytes, as: UTF8.self), path: path))
        } else {
          history.records.append(try SQLRevisionParser.parse(bytes: bytes, path: path))
        }
      } catch let error as GraphError {
        history.failures.append(error)
      }
    }
    return history
  }
}

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
    let data = output.fileHandleForReading.readDataToEndOfFile()
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
