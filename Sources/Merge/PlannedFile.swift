import Foundation

/// A file a plan wants written: its absolute path and exact bytes.
///
/// Plans are values; nothing is written until ``write(replacing:)`` is called, so callers
/// (and tests) can show, compare or discard them.
public struct PlannedFile: Sendable, Equatable {
  /// The absolute path.
  public var path: String
  /// The exact contents.
  public var contents: [UInt8]

  /// Creates a planned file.
  public init(path: String, contents: [UInt8]) {
    self.path = path
    self.contents = contents
  }

  /// The contents as text (revision files are UTF-8).
  public var text: String { String(decoding: contents, as: UTF8.self) }

  /// Writes the file, creating missing directories.
  ///
  /// - Parameter replacing: `false` refuses to touch an existing file (new revisions);
  ///   `true` replaces it atomically (rewritten headers).
  /// - Throws: ``MergeError/fileExists(path:)`` or ``MergeError/io(path:reason:)``.
  public func write(replacing: Bool) throws {
    let url = URL(fileURLWithPath: path)
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    } catch {
      throw MergeError.io(path: path, reason: "cannot create the directory: \(error.localizedDescription)")
    }
    if !replacing {
      let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
      if fd < 0 {
        if errno == EEXIST { throw MergeError.fileExists(path: path) }
        throw MergeError.io(path: path, reason: "cannot create the file (\(String(cString: strerror(errno))))")
      }
      defer { close(fd) }
      var written = 0
      while written < contents.count {
        let n = contents.withUnsafeBytes { buffer -> Int in
          guard let base = buffer.baseAddress else { return 0 }
          return systemWrite(fd, base + written, buffer.count - written)
        }
        if n < 0 {
          if errno == EINTR { continue }
          throw MergeError.io(path: path, reason: "cannot write the file (\(String(cString: strerror(errno))))")
        }
        written += n
      }
      return
    }
    do {
      try Data(contents).write(to: url, options: .atomic)
    } catch {
      throw MergeError.io(path: path, reason: "cannot write the file: \(error.localizedDescription)")
    }
  }
}

/// The POSIX `write` (the name is shadowed inside ``PlannedFile``).
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
