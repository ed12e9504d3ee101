import Foundation
import HistoryGenerator

// history-generator --size N [--seed S] --out DIR [--format both|native|alembic]
//
// Writes a seeded team-like history as a native revgraph project (DIR/native) and an
// Alembic project (DIR/alembic), and prints a JSON summary of its shape on stdout.

let usage = "usage: history-generator --size N [--seed S] --out DIR [--format both|native|alembic]"

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("history-generator: \(message)\n\(usage)\n".utf8))
  exit(2)
}

var size: Int?
var seed: UInt64 = 1
var out: String?
var format = "both"
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
  guard let value = arguments.popFirst() else { fail("\(flag) needs a value") }
  switch flag {
  case "--size":
    guard let n = Int(value), n > 0 else { fail("--size needs a positive number, not '\(value)'") }
    size = n
  case "--seed":
    guard let n = UInt64(value) else { fail("--seed needs a non-negative number, not '\(value)'") }
    seed = n
  case "--out": out = value
  case "--format":
    guard ["both", "native", "alembic"].contains(value) else { fail("--format is both, native or alembic") }
    format = value
  default: fail("unknown option '\(flag)'")
  }
}
guard let size, let out else { fail("--size and --out are required") }

let history = TeamHistory.generate(size: size, seed: seed)
do {
  try ProjectWriter(history: history).write(to: out, native: format != "alembic", alembic: format != "native")
} catch {
  fail("\(error)")
}
print(HistorySummary(history).json)
