/// A small JSON value with ordered keys, rendered deterministically.
enum JSON {
  case string(String)
  /// A string given as its UTF-8 bytes (a long text such as an offline script).
  case utf8([UInt8])
  case bool(Bool)
  case int(Int64)
  case null
  case array([JSON])
  case object([(String, JSON)])

  func rendered() -> String { String(decoding: renderedUTF8(), as: UTF8.self) }

  /// The text of ``rendered()`` as UTF-8 bytes.
  func renderedUTF8() -> [UInt8] {
    var out = [UInt8]()
    write(to: &out)
    return out
  }

  func write(to out: inout [UInt8]) {
    switch self {
    case .string(let s): JSON.escape(s.utf8, into: &out)
    case .utf8(let bytes): JSON.escape(bytes, into: &out)
    case .bool(let b): out.append(utf8: b ? "true" : "false")
    case .int(let n): out.append(utf8: String(n))
    case .null: out.append(utf8: "null")
    case .array(let items):
      out.append(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(utf8: ", ") }
        item.write(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let pairs):
      out.append(UInt8(ascii: "{"))
      for (i, (key, value)) in pairs.enumerated() {
        if i > 0 { out.append(utf8: ", ") }
        JSON.escape(key.utf8, into: &out)
        out.append(utf8: ": ")
        value.write(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  static func strings(_ list: [String]) -> JSON { .array(list.map { .string($0) }) }

  /// A JSON string of valid UTF-8: quotes, backslashes and control characters escaped,
  /// everything else (non-ASCII included) as it is.
  static func escape<Bytes: Sequence<UInt8>>(_ bytes: Bytes, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "\""): out.append(utf8: "\\\"")
      case UInt8(ascii: "\\"): out.append(utf8: "\\\\")
      case UInt8(ascii: "\n"): out.append(utf8: "\\n")
      case UInt8(ascii: "\r"): out.append(utf8: "\\r")
      case UInt8(ascii: "\t"): out.append(utf8: "\\t")
      case 0..<0x20:
        out.append(utf8: "\\u00")
        out.append(hexDigits[Int(byte >> 4)])
        out.append(hexDigits[Int(byte & 0x0F)])
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)
}
