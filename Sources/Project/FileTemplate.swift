/// How a project names new revision files: Alembic's `file_template` and
/// `truncate_slug_length`.
///
/// The template is a Python %-format string over the tokens `rev`, `slug`, `epoch`, `year`,
/// `month`, `day`, `hour`, `minute` and `second` (`%(rev)s_%(slug)s` by default, and
/// `%(year)d_%(month).2d_%(day).2d_%(rev)s_%(slug)s` is a common choice). The result, plus
/// the format's extension, is the file name relative to the version directory; a template
/// containing `/` names subdirectories.
///
/// ``fileName(revision:message:date:fileExtension:)`` is pure: the same inputs always give
/// the same name, which is what makes deterministic merge files possible.
public struct FileTemplate: Sendable, Equatable {
  /// Alembic's default template.
  public static let defaultTemplate = "%(rev)s_%(slug)s"
  /// Alembic's default slug length (`truncate_slug_length` unset or 0).
  public static let defaultTruncateSlugLength = 40
  /// The tokens a template may use.
  public static let tokens = ["rev", "slug", "epoch", "year", "month", "day", "hour", "minute", "second"]

  /// The template, after configuration interpolation (`%%` in `alembic.ini` already undone).
  public var template: String
  /// The longest slug kept before truncation.
  public var truncateSlugLength: Int
  /// Where the template was configured (the config file), for error messages.
  public var source: String

  /// Creates a template; `nil` values (and a slug length of 0) take Alembic's defaults.
  public init(template: String? = nil, truncateSlugLength: Int? = nil, source: String = "file_template") {
    self.template = template ?? Self.defaultTemplate
    let length = truncateSlugLength ?? 0
    self.truncateSlugLength = length > 0 ? length : Self.defaultTruncateSlugLength
    self.source = source
  }

  /// The template a project configures.
  public init(config: ProjectConfig) {
    self.init(
      template: config.fileTemplate, truncateSlugLength: config.truncateSlugLength, source: config.configPath)
  }

  /// Whether the name depends on the date (any token other than `rev` and `slug`).
  public var usesDateTokens: Bool {
    (try? Self.pieces(template, source: source))?.contains { piece in
      if case .token(let name, _) = piece { return name != "rev" && name != "slug" }
      return false
    } ?? false
  }

  /// The file name for a new revision, relative to its version directory.
  ///
  /// - Parameters:
  ///   - revision: The revision id (`rev`).
  ///   - message: The message the slug is made from; `nil` or empty gives an empty slug
  ///     (`<rev>_.py`, as in Alembic).
  ///   - date: The create date the date tokens come from (unused when the template has none).
  ///   - fileExtension: `py` or `sql`, appended after a dot.
  /// - Returns: For example `ae1027a6acf_add_account_table.py`.
  /// - Throws: ``ProjectError/invalidValue(location:key:reason:)`` naming `file_template` for an
  ///   unknown token, a malformed `%` directive, or a number directive on `rev`/`slug`.
  public func fileName(revision: String, message: String?, date: CreateDate, fileExtension: String) throws
    -> String
  {
    var out = ""
    for piece in try Self.pieces(template, source: source) {
      switch piece {
      case .text(let text):
        out += text
      case .token(let name, let spec):
        let value: TemplateValue
        switch name {
        case "rev": value = .text(revision)
        case "slug": value = .text(Self.slug(message, truncateSlugLength: truncateSlugLength))
        case "epoch": value = .number(date.epoch())
        case "year": value = .number(date.year)
        case "month": value = .number(date.month)
        case "day": value = .number(date.day)
        case "hour": value = .number(date.hour)
        case "minute": value = .number(date.minute)
        default: value = .number(date.second)
        }
        out += try spec.format(value, token: name, source: source)
      }
    }
    return out + "." + fileExtension
  }

  /// Alembic's slug: the runs of word characters (letters, digits, `_`) of the message joined
  /// with `_` and lower-cased, cut to `truncateSlugLength` at the last `_` (then `_` appended).
  ///
  /// `"Add account, email!"` gives `add_account_email`; 45 × `a` with length 40 gives
  /// 40 × `a` + `_`.
  public static func slug(_ message: String?, truncateSlugLength: Int = defaultTruncateSlugLength) -> String {
    var words: [[Unicode.Scalar]] = []
    var current: [Unicode.Scalar] = []
    for scalar in (message ?? "").unicodeScalars {
      if isWordScalar(scalar) {
        current.append(scalar)
      } else if !current.isEmpty {
        words.append(current)
        current = []
      }
    }
    if !current.isEmpty { words.append(current) }
    let joined = words.map { String(String.UnicodeScalarView($0)) }.joined(separator: "_").lowercased()
    let scalars = Array(joined.unicodeScalars)
    let limit = truncateSlugLength > 0 ? truncateSlugLength : defaultTruncateSlugLength
    guard scalars.count > limit else { return joined }
    var cut = Array(scalars[..<limit])
    if let underscore = cut.lastIndex(of: "_") { cut = Array(cut[..<underscore]) }
    return String(String.UnicodeScalarView(cut)) + "_"
  }

  /// Python's `\w`: letters and numbers of any script, and `_`.
  static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == "_" { return true }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .decimalNumber, .letterNumber, .otherNumber:
      return true
    default:
      return false
    }
  }
}

// MARK: - The %-format mini language

extension FileTemplate {
  /// A value substituted for a token.
  enum TemplateValue {
    case text(String)
    case number(Int)
  }

  /// One part of a parsed template.
  enum Piece: Equatable {
    case text(String)
    case token(String, Spec)
  }

  /// A `%(name)<flags><width>.<precision><conversion>` directive.
  struct Spec: Equatable {
    var leftAlign = false
    var zeroPad = false
    var sign: Character?
    var alternate = false
    var width = 0
    var precision: Int?
    var conversion: Character = "s"

    func format(_ value: TemplateValue, token: String, source: String) throws -> String {
      var body: String
      switch (value, conversion) {
      case (.text(let text), "s"):
        body = precision.map { String(text.prefix($0)) } ?? text
      case (.text(let text), "r"), (.text(let text), "a"):
        body = "'" + text + "'"
      case (.text, _):
        throw ProjectError.invalidValue(
          location: source, key: "file_template",
          reason: "'%(\(token))\(conversion)' formats text as a number; use '%(\(token))s'")
      case (.number(let number), _):
        switch conversion {
        case "d", "i", "u", "s", "r", "a": body = String(number.magnitude)
        case "x": body = String(number.magnitude, radix: 16)
        case "X": body = String(number.magnitude, radix: 16).uppercased()
        case "o": body = String(number.magnitude, radix: 8)
        default:
          throw ProjectError.invalidValue(
            location: source, key: "file_template",
            reason: "'%(\(token))\(conversion)' is not supported; use d, s, x or o")
        }
        if "diuxXo".contains(conversion), let precision, body.count < precision {
          body = String(repeating: "0", count: precision - body.count) + body
        }
        var signText = number < 0 ? "-" : (sign.map(String.init) ?? "")
        if alternate && "xXo".contains(conversion) { signText += conversion == "o" ? "0o" : "0\(conversion)" }
        if zeroPad && !leftAlign && "diuxXo".contains(conversion) && body.count + signText.count < width {
          body = String(repeating: "0", count: width - body.count - signText.count) + body
        }
        body = signText + body
      }
      guard body.count < width else { return body }
      let padding = String(repeating: " ", count: width - body.count)
      return leftAlign ? body + padding : padding + body
    }
  }

  /// Splits a template into text and directives.
  static func pieces(_ template: String, source: String) throws -> [Piece] {
    func invalid(_ reason: String) -> ProjectError {
      .invalidValue(location: source, key: "file_template", reason: reason)
    }
    var pieces: [Piece] = []
    var text = ""
    var rest = Substring(template)
    while let percent = rest.firstIndex(of: "%") {
      text += rest[..<percent]
      rest = rest[rest.index(after: percent)...]
      if rest.first == "%" {
        text += "%"
        rest = rest.dropFirst()
        continue
      }
      guard rest.first == "(", let close = rest.firstIndex(of: ")") else {
        throw invalid(
          "'%' must start a token such as '%(rev)s' (tokens: \(tokens.joined(separator: ", "))); write '%%' for '%'")
      }
      let name = String(rest[rest.index(after: rest.startIndex)..<close])
      guard tokens.contains(name) else {
        throw invalid("unknown token '%(\(name))'; the tokens are \(tokens.joined(separator: ", "))")
      }
      rest = rest[rest.index(after: close)...]
      var spec = Spec()
      while let flag = rest.first, "-0+ #".contains(flag) {
        switch flag {
        case "-": spec.leftAlign = true
        case "0": spec.zeroPad = true
        case "+", " ": spec.sign = spec.sign == "+" ? "+" : flag
        default: spec.alternate = true
        }
        rest = rest.dropFirst()
      }
      let width = rest.prefix { $0.isASCII && $0.isNumber }
      spec.width = Int(width) ?? 0
      rest = rest.dropFirst(width.count)
      if rest.first == "." {
        rest = rest.dropFirst()
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        spec.precision = Int(digits) ?? 0
        rest = rest.dropFirst(digits.count)
      }
      while let modifier = rest.first, "hlL".contains(modifier) { rest = rest.dropFirst() }
      guard let conversion = rest.first, conversion.isASCII && conversion.isLetter else {
        throw invalid("'%(\(name))' needs a conversion such as 's' or 'd' after it")
      }
      spec.conversion = conversion
      rest = rest.dropFirst()
      if !text.isEmpty { pieces.append(.text(text)) }
      text = ""
      pieces.append(.token(name, spec))
    }
    text += rest
    if !text.isEmpty { pieces.append(.text(text)) }
    return pieces
  }
}
