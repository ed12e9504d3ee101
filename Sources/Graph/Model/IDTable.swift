/// Revision ids to indices: an open-addressing hash table over the ids' UTF-8 bytes.
///
/// A `[String: Int32]` hashes every id with SipHash through `Hasher`, which at a million
/// revisions was a large part of building a graph. Here each slot holds the id, its revision
/// index and 32 bits of its hash, so a probe compares strings only when those bits match and
/// never reads the records (ids of up to 15 bytes are stored inline in a `String`, so a probe
/// is one cache line). No pointer to a string's bytes outlives the call that made it.
///
/// Lookups keep `String` equality (canonical equivalence). Two ASCII strings are equal only
/// when their bytes are, so the byte hash is exact for them; a history with any other id uses
/// a `Dictionary` instead, and a non-ASCII text looked up among ASCII ids is compared with
/// every id (it can only match through a compatibility singleton such as U+212A KELVIN SIGN).
struct IDTable: Sendable {
  /// One id and `hash >> 32 << 32 | index` (`empty` for a free slot).
  private struct Slot {
    var id: String
    var entry: UInt64
  }
  /// The slot count is a power of two.
  private var slots: [Slot] = []
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
    slots = [Slot](repeating: Slot(id: "", entry: Self.empty), count: size)
    mask = size - 1
    for i in records.indices {
      let id = records[i].id
      let hash = Self.hash(id)
      if let first = probe(id, hash: hash) {
        try duplicate(i, first)
        continue
      }
      var slot = Int(truncatingIfNeeded: hash) & mask
      while slots[slot].entry != Self.empty { slot = (slot + 1) & mask }
      slots[slot] = Slot(id: id, entry: (hash >> 32) << 32 | UInt64(UInt32(truncatingIfNeeded: i)))
    }
  }

  /// The index stored for `id`.
  func index(of id: String) -> Int32? {
    if let dictionary { return dictionary[id] }
    guard Self.isASCII(id) else {
      return slots.first { $0.entry != Self.empty && $0.id == id }.map { Int32(truncatingIfNeeded: $0.entry) }
    }
    return probe(id, hash: Self.hash(id))
  }

  private func probe(_ id: String, hash: UInt64) -> Int32? {
    let tag = hash >> 32
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot].entry != Self.empty {
      if slots[slot].entry >> 32 == tag && slots[slot].id == id {
        return Int32(truncatingIfNeeded: slots[slot].entry)
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
