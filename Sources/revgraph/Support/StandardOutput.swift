import Foundation

/// Command output written to standard output as bytes, in one piece.
///
/// Long outputs (an offline script, a DOT file, a history of 100,000 revisions) are built as
/// UTF-8 bytes and written with `write(2)` directly: no `String` of the whole text, no
/// `Data` copy of it.
enum StandardOutput {
  /// Writes all of `bytes` to file descriptor 1, retrying after short writes and `EINTR`.
  /// - Throws: ``OutputError/cannotWrite(reason:)`` when `write` fails.
  static func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = Foundation.write(STDOUT_FILENO, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw OutputError.cannotWrite(reason: String(cString: strerror(errno)))
        }
        offset += written
      }
    }
  }

  /// Writes `parts` one after another (see ``write(_:)``).
  static func write(parts: [[UInt8]]) throws {
    for part in parts { try write(part) }
  }
}

/// Standard output could not take the output.
enum OutputError: Error, Equatable, CustomStringConvertible {
  /// `write` failed (a full disk, a closed pipe).
  case cannotWrite(reason: String)

  var description: String {
    switch self {
    case .cannotWrite(let reason): "cannot write to standard output: \(reason)"
    }
  }
}

extension [UInt8] {
  /// Appends the UTF-8 bytes of `text`.
  mutating func append(utf8 text: String) {
    var text = text
    text.withUTF8 { append(contentsOf: $0) }
  }
}
