import Crypto
import Foundation

/// SHA-256 in lower-case hex (swift-crypto): revision checksums and deterministic merge ids.
public enum Checksum {
  public static func sha256Hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    var hex = [UInt8]()
    hex.reserveCapacity(64)
    for byte in SHA256.hash(data: Data(bytes)) {
      hex.append(digits[Int(byte >> 4)])
      hex.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: hex, as: UTF8.self)
  }

  /// Appends ``sha256Hex(_:)`` of `bytes` as UTF-8.
  public static func appendSHA256Hex(of bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
    var hasher = SHA256()
    bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    hasher.finalize().withUnsafeBytes { digest in
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * digest.count) { hex in
        for (i, byte) in digest.enumerated() {
          hex[2 * i] = digits[Int(byte >> 4)]
          hex[2 * i + 1] = digits[Int(byte & 0x0F)]
        }
        out.append(contentsOf: hex)
      }
    }
  }

  private static let digits = Array("0123456789abcdef".utf8)
}
