extension Duration {
  /// The duration in whole milliseconds (rounded down).
  public var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

  /// The duration in seconds for messages: `30`, `0.3`.
  var secondsText: String {
    let value = Double(milliseconds) / 1000
    return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
  }
}
