import Foundation

/// SplitMix64: a small, seeded, reproducible generator.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Random histories written as native revision files: forks, merges, labels, depends_on.
enum RandomHistory {
  /// Writes `size` revisions into `project`; returns their ids in creation order.
  @discardableResult
  static func write(size: Int, into project: TestProject, rng: inout SplitMix64) throws -> [String] {
    var ids: [String] = []
    var labelCount = 0
    for i in 0..<size {
      let id = String(format: "%04x", Int.random(in: 0..<0xffff, using: &rng)) + "r\(i)"
      var parents: [String] = []
      if i > 0 && Int.random(in: 0..<10, using: &rng) > 0 {
        parents.append(ids[max(0, i - 1 - Int.random(in: 0..<min(i, 4), using: &rng))])
        if i > 2 && Int.random(in: 0..<6, using: &rng) == 0 {
          let other = ids[Int.random(in: 0..<i, using: &rng)]
          if !parents.contains(other) { parents.append(other) }
        }
      }
      var text = "-- revision: \(id)\n"
      if !parents.isEmpty { text += "-- down_revision: \(parents.joined(separator: ", "))\n" }
      if Int.random(in: 0..<7, using: &rng) == 0 {
        text += "-- branch_labels: lab\(labelCount)\n"
        labelCount += 1
      }
      if i > 1 && Int.random(in: 0..<6, using: &rng) == 0 {
        let dependency = ids[Int.random(in: 0..<i, using: &rng)]
        if !parents.contains(dependency) { text += "-- depends_on: \(dependency)\n" }
      }
      text += "-- message: rev \(i)\n\n-- +upgrade\nCREATE TABLE t\(i) (x);\n\n-- +downgrade\nDROP TABLE t\(i);\n"
      try project.write("m/versions/\(id).sql", text)
      ids.append(id)
    }
    return ids
  }
}
