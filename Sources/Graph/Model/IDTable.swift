/// Revision ids to indices: an open-addressing hash table over the ids' UTF-8 bytes.
///
/// A `[String: Int32]` hashes every id with SipHash through `Hasher`, which at a million
/// revisions was a large part of building a graph. Here each slot holds a revision index and
/// 32 bits of its id's hash; the ids stay in the records, and a probe compares strings only
/// when those bits match. No pointer to a string's bytes outlives the call that made it.
///
/// Lookups keep `String` equality (canonical equivalence). Two ASCII strings are equal only
/// when their bytes are, so the byte hash is exact for them; a history with any other id uses
/// a `Dictionary` instead, and a non-ASCII text looked up among ASCII ids is compared with
/// every id (it can only match through a compatibility singleton such as U+212A KELVIN SIGN).
struct IDTable: Sendable {
  /// `hash >> 32 << 32 | index` per slot, or `empty`; the slot count is a power of two.
  private var slots: [UInt64] = []
  private var mask = 0
  /// Used instead of `slots` when some id is not ASCII.
  private var dictionary: [String: Int32]?
  private static let empty = UInt64.max

  /// Indexes `records` by id; for every id seen before, calls `duplicate(later, first)`.
  init(records: [RevisionRecord], duplicate: (Int, Int32) throws -> Void) rethrows {
    if !records.allSatisfy({ Self.isASCII($0.id) }) {
      var dictionary = [String: Int32](minimumCapacity: records.count)
      for i in records.indices {
        if let first = dictionary[records[i].id] {
          try duplicate(i, first)
        } else {
          dictionary[records[i].id] = Int32(i)
        }
      }
      self.dictionary = dictionary
      return
    }
    var size = 16
    while size < 2 * records.count { size *= 2 }
    slots = [UInt64](repeating: Self.empty, count: size)
    mask = size - 1
    for i in records.indices {
      let hash = Self.hash(records[i].id)
      if let first = probe(records[i].id, hash: hash, records) {
        try duplicate(i, first)
        continue
      }
      var slot = Int(truncatingIfNeeded: hash) & mask
      while slots[slot] != Self.empty { slot = (slot + 1) & mask }
      slots[slot] = (hash >> 32) << 32 | UInt64(UInt32(truncatingIfNeeded: i))
    }
  }

  /// The index stored for `id`; `records` must be the records the table was built from.
  func index(of id: String, in records: [RevisionRecord]) -> Int32? {
    if let dictionary { return dictionary[id] }
    guard Self.isASCII(id) else {
      return records.firstIndex { $0.id == id }.map { Int32($0) }
    }
    return probe(id, hash: Self.hash(id), records)
  }

  private func probe(_ id: String, hash: UInt64, _ records: [RevisionRecord]) -> Int32? {
    let tag = hash >> 32
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] != Self.empty {
      let entry = slots[slot]
      if entry >> 32 == tag {
        let index = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
        if records[index].id == id { return Int32(index) }
      }
      slot = (slot + 1) & mask
    }
    return nil
  }

  static func isASCII(_ text: String) -> Bool {
    text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } }
      ?? text.utf8.allSatisfy { $0 < 0x80 }
  }

  /// FNV-1a over the bytes, then a final mix so that the low bits depend on every byte.
  static func hash(_ text: String) -> UInt64 {
    func fnv<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
      var h: UInt64 = 0xcbf2_9ce4_8422_2325
      for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
      h ^= h >> 32
      h = h &* 0xd6e8_feb8_6659_fd93
      h ^= h >> 32
      return h
    }
    return text.utf8.withContiguousStorageIfAvailable { fnv($0) } ?? fnv(text.utf8)
  }
}
