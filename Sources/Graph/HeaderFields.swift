/// A record's few keyed header values (where each header line is, or a format's extra
/// values), kept sorted by key in one array.
///
/// A record holds a handful of these (four to seven), and every load builds two tables per
/// revision: a sorted array costs one allocation and no hashing, where a dictionary paid for
/// generic set-up, hashing and probing on each of 10,000 records. Keys are kept sorted and
/// unique by `String`'s own comparison — the equality a dictionary uses, under which `é`
/// composed and decomposed are one key — so two tables with the same pairs are equal
/// whatever order they were filled in. (For the ASCII keys of real headers this is byte
/// order.)
struct HeaderFields<Value: Hashable & Sendable>: Hashable, Sendable {
  struct Entry: Hashable, Sendable {
    var key: String
    var value: Value
  }

  /// The entries, sorted by key (`String`'s `<`), keys unique (`String`'s `==`).
  private(set) var entries: [Entry]

  init() { entries = [] }

  init(_ dictionary: [String: Value]) {
    entries = dictionary.map { Entry(key: $0.key, value: $0.value) }
      .sorted { $0.key < $1.key }
  }

  /// Entries in any order; a key given twice keeps its last value.
  init(unordered: [Entry]) {
    entries = []
    for entry in unordered { self[entry.key] = entry.value }
  }

  /// Entries already sorted by key with unique keys (checked; otherwise sorted here).
  init(sorted: [Entry]) {
    entries = sorted
    let isSorted = zip(sorted, sorted.dropFirst()).allSatisfy { $0.key < $1.key }
    if !isSorted { self = HeaderFields(unordered: sorted) }
  }

  /// Entries as ``HeaderCache`` wrote them from a table: already in order, not checked again
  /// (the cache file is checksummed and written only by this very build).
  init(encoderOrder: [Entry]) { entries = encoderOrder }

  var isEmpty: Bool { entries.isEmpty }
  var count: Int { entries.count }

  subscript(key: String) -> Value? {
    get {
      for entry in entries where entry.key == key { return entry.value }
      return nil
    }
    set {
      let position = entries.firstIndex { !($0.key < key) } ?? entries.endIndex
      let present = position < entries.endIndex && entries[position].key == key
      switch (newValue, present) {
      case (let value?, true): entries[position].value = value
      case (let value?, false): entries.insert(Entry(key: key, value: value), at: position)
      case (nil, true): entries.remove(at: position)
      case (nil, false): break
      }
    }
  }

  var dictionary: [String: Value] {
    Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
  }
}
