import Foundation
import TOMLKit

/// A parsed TOML file with typed accessors whose errors name the file, the key and the
/// expected type.
struct TOMLFile {
  let path: String
  let root: TOMLTable
  /// The line on which each key is first written, by dotted path (see
  /// ``firstLines(ofKeysIn:)``).
  let keyLines: [String: Int]

  /// Reads and parses the file at `path`.
  ///
  /// - Throws: ``ProjectError/syntaxError(location:reason:)`` with the line of a syntax error.
  init(path: String) throws(ProjectError) {
    self.path = path
    let text = try ProjectConfig.readText(path)
    do {
      root = try TOMLTable(string: text)
      keyLines = Self.firstLines(ofKeysIn: text)
    } catch let error as TOMLParseError {
      throw .syntaxError(
        location: "\(path):\(error.source.begin.line)",
        reason: "invalid TOML at column \(error.source.begin.column): \(error.description)")
    } catch {
      throw .syntaxError(location: path, reason: "invalid TOML: \(error)")
    }
  }

  /// The table at a dotted path such as `tool.alembic`, or `nil` if any part is missing.
  ///
  /// - Throws: ``ProjectError/invalidValue(location:key:reason:)`` if a part is not a table.
  func table(at dottedPath: String) throws(ProjectError) -> TOMLTable? {
    var current = root
    for part in dottedPath.split(separator: ".") {
      guard let value = current[String(part)] else { return nil }
      guard let table = value.table else { throw mismatch(dottedPath, expected: "a table", value) }
      current = table
    }
    return current
  }

  /// The line of a key, by dotted path (`tool.alembic.script_location`), if it is written.
  func line(of keyPath: String) -> Int? { keyLines[keyPath] }

  /// `path:line` for a key, or the path alone when the line is not known.
  func location(of keyPath: String) -> String {
    line(of: keyPath).map { "\(path):\($0)" } ?? path
  }

  // MARK: - Typed values

  func string(_ value: TOMLValueConvertible, key: String) throws(ProjectError) -> String {
    guard let text = value.string else { throw mismatch(key, expected: "a string", value) }
    return text
  }

  func bool(_ value: TOMLValueConvertible, key: String) throws(ProjectError) -> Bool {
    guard let flag = value.bool else {
      throw mismatch(key, expected: "a boolean (true or false)", value)
    }
    return flag
  }

  /// An integer, or (when `allowingText`) a string holding one, as Alembic's `int()` allows.
  func int(_ value: TOMLValueConvertible, key: String, allowingText: Bool = false)
    throws(ProjectError) -> Int
  {
    if let number = value.int { return number }
    if allowingText, let text = value.string,
      let number = Int(text.trimmingCharacters(in: .whitespaces))
    {
      return number
    }
    throw mismatch(key, expected: "an integer", value)
  }

  /// A number (integer or not) or a string, as text: `30`, `2.5`, `"10"`.
  func numberText(_ value: TOMLValueConvertible, key: String) throws(ProjectError) -> String {
    if let number = value.int { return String(number) }
    if let number = value.double { return String(number) }
    if let text = value.string { return text }
    throw mismatch(key, expected: "a number of seconds", value)
  }

  /// An array of strings, or a single string taken as a one-element array.
  func strings(_ value: TOMLValueConvertible, key: String) throws(ProjectError) -> [String] {
    if let text = value.string { return [text] }
    guard let array = value.array else {
      throw mismatch(key, expected: "an array of strings", value)
    }
    var result: [String] = []
    for element in array {
      guard let text = element.string else {
        throw mismatch(key, expected: "an array of strings", element)
      }
      result.append(text)
    }
    return result
  }

  private func mismatch(_ key: String, expected: String, _ value: TOMLValueConvertible)
    -> ProjectError
  {
    .invalidValue(
      location: path, key: key, reason: "expected \(expected), found \(Self.describe(value))")
  }

  /// A value's type for messages, with a short excerpt of scalars.
  static func describe(_ value: TOMLValueConvertible) -> String {
    switch value.type {
    case .string: "a string"
    case .array: "an array"
    case .table: "a table"
    case .int: "an integer (\(value.int.map(String.init) ?? ""))"
    case .bool: "a boolean (\(value.bool.map(String.init) ?? ""))"
    default: "a \(value.type.description)"
    }
  }

  // MARK: - Settings

  /// Adds `value` to `settings` under `key` as text: scalars as written, arrays in TOML
  /// syntax, and tables flattened into `key.subkey` entries.
  static func flatten(
    _ value: TOMLValueConvertible, key: String, into settings: inout [String: String],
    transform: (String) -> String = { $0 }
  ) {
    if let table = value.table {
      for subkey in table.keys {
        if let element = table[subkey] {
          flatten(element, key: "\(key).\(subkey)", into: &settings, transform: transform)
        }
      }
    } else if let text = value.string {
      settings[key] = transform(text)
    } else if let number = value.int {
      settings[key] = String(number)
    } else if let flag = value.bool {
      settings[key] = String(flag)
    } else if let number = value.double {
      settings[key] = String(number)
    } else {
      settings[key] = value.debugDescription
    }
  }
}
