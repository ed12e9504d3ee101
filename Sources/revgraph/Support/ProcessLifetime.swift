/// Values a command hands over to the end of the process instead of freeing them.
///
/// The CLI exits right after a command. Freeing a graph of 100,000 revisions value by value
/// (every record's strings, arrays and dictionaries) is work nobody waits for, yet costs as
/// much as rendering `history` (like clang's `-disable-free`). Only for values whose size is
/// bounded by the history, kept once per command.
enum ProcessLifetime {
  /// Keeps `value` alive until the process exits.
  static func keep<Value>(_ value: Value) {
    _ = Unmanaged.passRetained(Kept(value))
  }

  private final class Kept<Value> {
    let value: Value
    init(_ value: Value) { self.value = value }
  }
}
