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

  private static let digits = Array("0123456789abcdef".utf8)
}
