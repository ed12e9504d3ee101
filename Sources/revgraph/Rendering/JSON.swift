/// A small JSON value with ordered keys, rendered deterministically.
enum JSON {
  case string(String)
  case bool(Bool)
  case number(Int)
  case array([JSON])
  case object([(String, JSON)])

  func rendered() -> String {
    var out = ""
    write(to: &out)
    return out
  }

  func write(to out: inout String) {
    switch self {
    case .string(let s): JSON.escape(s, into: &out)
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += String(n)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += ", " }
        item.write(to: &out)
      }
      out += "]"
    case .object(let pairs):
      out += "{"
      for (i, (key, value)) in pairs.enumerated() {
        if i > 0 { out += ", " }
        JSON.escape(key, into: &out)
        out += ": "
        value.write(to: &out)
      }
      out += "}"
    }
  }

  static func strings(_ list: [String]) -> JSON { .array(list.map { .string($0) }) }

  static func escape(_ s: String, into out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "\""
  }
}
