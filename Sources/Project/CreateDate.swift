import Foundation

/// A revision's create date, as Alembic writes it (`Create Date:` in a script's docstring)
/// and as native revisions declare it (`-- create_date:`).
///
/// Alembic uses `datetime.now()`: a *naive* local time, written `2026-11-24 10:00:00.123456`
/// (microseconds only when not zero). With its `timezone` option the date is *aware* and
/// carries its UTC offset (`2026-11-24 10:00:00+01:00`). Both forms are kept exactly, so a
/// date read from one file and written into another is byte-identical.
public struct CreateDate: Sendable, Hashable, CustomStringConvertible {
  public var year: Int
  public var month: Int
  public var day: Int
  public var hour: Int
  public var minute: Int
  public var second: Int
  public var microsecond: Int
  /// The offset from UTC in seconds; `nil` for a naive (local) time.
  public var utcOffset: Int?

  /// Creates a date from its fields.
  public init(
    year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0,
    utcOffset: Int? = nil
  ) {
    self.year = year
    self.month = month
    self.day = day
    self.hour = hour
    self.minute = minute
    self.second = second
    self.microsecond = microsecond
    self.utcOffset = utcOffset
  }

  /// Reads `YYYY-MM-DD HH:MM[:SS[.ffffff]][Z|±HH:MM]` (a `T` may separate date and time).
  ///
  /// Returns `nil` for anything else, so a hand-written or missing date is simply unknown.
  public init?(parsing text: String) {
    let bytes = Array(text.utf8.drop { $0 == 0x20 }.reversed().drop { $0 == 0x20 || $0 == 0x0D }.reversed())
    var position = 0
    func number(_ digits: Int) -> Int? {
      guard position + digits <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[position..<position + digits] {
        guard byte >= 0x30 && byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      position += digits
      return value
    }
    func expect(_ characters: String) -> Bool {
      guard position < bytes.count, characters.utf8.contains(bytes[position]) else { return false }
      position += 1
      return true
    }
    guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
      expect(" T"), let hour = number(2), expect(":"), let minute = number(2)
    else { return nil }
    var second = 0, microsecond = 0
    if expect(":") {
      guard let value = number(2) else { return nil }
      second = value
      if expect(".") {
        var digits = 0
        while position < bytes.count, bytes[position] >= 0x30 && bytes[position] <= 0x39 {
          if digits < 6 { microsecond = microsecond * 10 + Int(bytes[position] - 0x30) }
          digits += 1
          position += 1
        }
        guard digits > 0 else { return nil }
        if digits < 6 { for _ in digits..<6 { microsecond *= 10 } }
      }
    }
    var offset: Int?
    if expect("Z") {
      offset = 0
    } else if position < bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D {
      let sign = bytes[position] == 0x2D ? -1 : 1
      position += 1
      guard let hours = number(2), expect(":"), let minutes = number(2) else { return nil }
      offset = sign * (hours * 3600 + minutes * 60)
    }
    guard position == bytes.count, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
      second < 61
    else { return nil }
    self.init(
      year: year, month: month, day: day, hour: hour, minute: minute, second: second, microsecond: microsecond,
      utcOffset: offset)
  }

  /// The current time: naive local time, or aware in `timeZone` when one is given (Alembic's
  /// `timezone` option).
  public static func now(in timeZone: TimeZone? = nil, at date: Date = Date()) -> CreateDate {
    let zone = timeZone ?? TimeZone.current
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
    return CreateDate(
      year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0,
      minute: parts.minute ?? 0, second: parts.second ?? 0, microsecond: (parts.nanosecond ?? 0) / 1000,
      utcOffset: timeZone.map { $0.secondsFromGMT(for: date) })
  }

  /// Python's `str(datetime)`: `2026-11-24 10:00:00`, `…00.000120`, `…00+05:30`.
  public var description: String {
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
    var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    if microsecond != 0 { text += "." + pad(microsecond, 6) }
    if let utcOffset {
      let magnitude = abs(utcOffset)
      text += (utcOffset < 0 ? "-" : "+") + "\(pad(magnitude / 3600, 2)):\(pad(magnitude % 3600 / 60, 2))"
    }
    return text
  }

  /// Seconds since 1970 (Alembic's `%(epoch)s`); a naive date is read in `localTimeZone`, as
  /// Python's `timestamp()` reads it in the machine's zone.
  public func epoch(localTimeZone: TimeZone = .current) -> Int {
    // Days from civil (proleptic Gregorian), then seconds.
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    let wall = days * 86_400 + hour * 3600 + minute * 60 + second
    if let utcOffset { return wall - utcOffset }
    let guess = Date(timeIntervalSince1970: TimeInterval(wall))
    return wall - localTimeZone.secondsFromGMT(for: guess)
  }

  /// The fields as one comparable tuple (offsets ignored: dates are compared as written).
  var sortKey: [Int] { [year, month, day, hour, minute, second, microsecond] }

  /// Whether `self` was written before `other` (offsets ignored; ties broken by the text).
  public func isEarlier(than other: CreateDate) -> Bool {
    sortKey != other.sortKey
      ? sortKey.lexicographicallyPrecedes(other.sortKey) : description < other.description
  }
}
