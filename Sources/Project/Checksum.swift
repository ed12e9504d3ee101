import Crypto
import Foundation

/// SHA-256 in lower-case hex (swift-crypto): revision checksums and deterministic merge ids.
public enum Checksum {
  public static func sha256Hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    SHA256.hash(data: Data(bytes)).map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }
      .joined()
  }
}
