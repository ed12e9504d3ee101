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
    do {
      _ = try Git.run(["rev-parse", "--verify", "--quiet", "\(ref)^{commit}"], in: top)
    } catch MergeError.git {
      throw MergeError.unknownRef(ref)
    }
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
