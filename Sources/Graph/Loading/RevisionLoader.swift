import Foundation

/// The one place Graph touches the file system: it lists version directories and reads
/// each revision file's header.
public enum RevisionLoader {
  /// Lists the revision files of the version locations, in load order.
  ///
  /// Locations are read in the given order; inside one, file names are sorted (by code
  /// point, as Alembic does). With `recursive`, a directory's own files come before its
  /// subdirectories' (sorted, `__pycache__` skipped). Candidates end in `.sql` or `.py`,
  /// and are not editor lock files (`.#…`) or `__init__` modules. A file reached twice
  /// (overlapping locations) is listed once.
  ///
  /// - Throws: ``GraphError/invalidScript(location:reason:)`` when a location is missing or
  ///   is not a directory.
  public static func revisionFiles(in locations: [String], recursive: Bool) throws -> [String] {
    let fm = FileManager.default
    var files = [String]()
    var seen = Set<String>()
    func visit(_ directory: String) throws {
      let names: [String]
      do {
        names = try fm.contentsOfDirectory(atPath: directory)
      } catch {
        throw GraphError.invalidScript(location: directory, reason: "cannot list the version directory (\(error.localizedDescription))")
      }
      var subdirectories = [String]()
      for name in names.sorted(by: codePointOrder) {
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
        if isDirectory.boolValue {
          if recursive && !name.hasSuffix("__pycache__") { subdirectories.append(path) }
          continue
        }
        guard isCandidate(name) else { continue }
        let real = (path as NSString).resolvingSymlinksInPath
        if seen.insert(real).inserted { files.append(path) }
      }
      for sub in subdirectories { try visit(sub) }
    }
    for location in locations {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: location, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw GraphError.invalidScript(
          location: location,
          reason: "version directory does not exist; create it or fix script_location/version_locations in the config")
      }
      try visit(location)
    }
    return files
  }

  /// Whether a file name is a revision file.
  public static func isCandidate(_ name: String) -> Bool {
    guard !name.hasPrefix(".#"), !name.hasPrefix("__init__") else { return false }
    return name.hasSuffix(".sql") || (name.hasSuffix(".py") && name.count > 3)
  }

  /// Reads one revision file's header, choosing the parser by extension.
  public static func record(at path: String) throws -> RevisionRecord {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw GraphError.invalidScript(location: path, reason: "cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw GraphError.invalidScript(location: path, reason: "the file is not valid UTF-8")
    }
    return path.hasSuffix(".py")
      ? try PythonRevisionParser.parse(text, path: path)
      : try SQLRevisionParser.parse(text, path: path)
  }

  /// Lists and reads every revision of the locations, in load order.
  public static func load(locations: [String], recursive: Bool = false) throws -> [RevisionRecord] {
    try revisionFiles(in: locations, recursive: recursive).map { try record(at: $0) }
  }

  /// Loads and validates a graph from version locations.
  public static func graph(locations: [String], recursive: Bool = false) throws -> RevisionGraph {
    try RevisionGraph(records: load(locations: locations, recursive: recursive))
  }

  static func codePointOrder(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
  }
}
