import Foundation
import Graph
import HistoryGenerator

// graph-bench [--sizes 100000,1000000] [--runs 3] [--seed 1] [--json FILE] [--skip-dot yes]
//
// The Graph library in memory, no files: for each size, generate a team-like history as
// records (not timed), then time build + validate, heads, resolve, the full upgrade plan,
// history and DOT export. Prints medians and the peak resident memory after each phase.

let usage = "usage: graph-bench [--sizes 100000,1000000] [--runs 3] [--seed 1] [--json FILE] [--skip-dot yes]"

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("graph-bench: \(message)\n\(usage)\n".utf8))
  exit(2)
}

var sizes = [100_000, 1_000_000]
var runs = 3
var seed: UInt64 = 1
var jsonPath: String?
var skipDOT = false
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
  guard let value = arguments.popFirst() else { fail("\(flag) needs a value") }
  switch flag {
  case "--sizes":
    let list = value.split(separator: ",").compactMap { Int($0) }
    guard !list.isEmpty, list.allSatisfy({ $0 > 0 }) else { fail("--sizes needs positive numbers, not '\(value)'") }
    sizes = list
  case "--runs":
    guard let n = Int(value), n > 0 else { fail("--runs needs a positive number, not '\(value)'") }
    runs = n
  case "--seed":
    guard let n = UInt64(value) else { fail("--seed needs a non-negative number, not '\(value)'") }
    seed = n
  case "--json": jsonPath = value
  case "--skip-dot":
    guard let flag = ["yes": true, "no": false][value] else { fail("--skip-dot takes yes or no, not '\(value)'") }
    skipDOT = flag
  default: fail("unknown option '\(flag)'")
  }
}

/// The process's peak resident set so far (VmHWM), in bytes.
func peakMemory() -> Int {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
  for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
    return kilobytes * 1024
  }
  return 0
}

/// CPU time of the calling thread, in seconds: less disturbed than wall time by other
/// processes on a shared machine (caches are still shared).
func threadCPUTime() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  let cpuStart = threadCPUTime()
  try body()
  lastCPUTime = threadCPUTime() - cpuStart
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The CPU time of the last `seconds` call.
nonisolated(unsafe) var lastCPUTime = 0.0

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted.count % 2 == 1
    ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// The records a loader would produce for the generated files.
func records(_ history: TeamHistory) -> [RevisionRecord] {
  var list = history.revisions.indices.map { i in
    let revision = history.revisions[i]
    return RevisionRecord(
      id: revision.id, downRevisions: history.parentIDs(i), branchLabels: revision.branchLabels,
      dependsOn: revision.dependsOn, message: revision.message,
      path: "migrations/versions/" + history.fileStem(i) + ".sql")
  }
  // Load order: sorted file names, as the loader reads them.
  list.sort { $0.path < $1.path }
  return list
}

struct Phase {
  var name: String
  var times = [Double]() {
    didSet { cpu.append(lastCPUTime) }
  }
  var cpu = [Double]()
  var peak = 0
  var note = ""
}

var report = [(size: Int, phases: [Phase], generate: Double)]()
for size in sizes {
  var history: TeamHistory?
  var input = [RevisionRecord]()
  let generate = seconds {
    history = TeamHistory.generate(size: size, seed: seed)
    input = records(history!)
  }
  history = nil
  let label = input.lazy.flatMap(\.branchLabels).first ?? "plugin_1"
  var phases = ["build + validate", "heads", "resolve \(label)@-2", "full upgrade plan", "history", "DOT export"].map {
    Phase(name: $0)
  }
  for run in 0..<runs {
    var graph: RevisionGraph?
    var recordPeak = { (i: Int, note: String) in
      if run == 0 {
        phases[i].peak = peakMemory()
        phases[i].note = note
      }
    }
    do {
      phases[0].times.append(try seconds { graph = try RevisionGraph(records: input) })
      guard let graph else { fail("no graph") }
      recordPeak(0, "\(graph.count) revisions")
      var heads = [String]()
      phases[1].times.append(seconds { heads = graph.ids(graph.heads) })
      recordPeak(1, "\(heads.count) heads")
      var resolved = [String]()
      phases[2].times.append(try seconds { resolved = try graph.resolve("\(label)@-2") })
      recordPeak(2, "-> \(resolved.joined(separator: ", "))")
      var steps = 0
      var rows = 0
      phases[3].times.append(
        try seconds {
          let plan = try graph.upgradePlan(to: "heads", from: [])
          steps = plan.steps.count
          rows = plan.finalVersionTable.count
        })
      recordPeak(3, "\(steps) steps, \(rows) rows at the end")
      var listed = 0
      phases[4].times.append(try seconds { listed = try graph.history().count })
      recordPeak(4, "\(listed) revisions")
      if !skipDOT {
        var bytes = 0
        phases[5].times.append(seconds { bytes = DOTWriter().render(graph).utf8.count })
        recordPeak(5, "\(bytes / 1_000_000) MB of DOT")
      }
    } catch {
      fail("\(size) revisions: \(error)")
    }
    recordPeak = { _, _ in }
  }
  report.append((size, phases, generate))
}

func format(_ seconds: Double) -> String { String(format: "%.3f s", seconds) }
func megabytes(_ bytes: Int) -> String { "\(bytes / (1 << 20)) MiB" }

print("graph-bench: seed \(seed), \(runs) run(s), medians; peak RSS of the process after the phase (first run)")
for (size, phases, generate) in report {
  print("\n\(size) revisions (generating the records: \(format(generate)), not counted)")
  print("  " + "phase".padding(toLength: 26, withPad: " ", startingAt: 0) + "median     cpu        peak RSS   ")
  for phase in phases where !phase.times.isEmpty {
    let name = phase.name.padding(toLength: 26, withPad: " ", startingAt: 0)
    let time =
      format(median(phase.times)).padding(toLength: 11, withPad: " ", startingAt: 0)
      + format(median(phase.cpu)).padding(toLength: 11, withPad: " ", startingAt: 0)
    let peak = megabytes(phase.peak).padding(toLength: 11, withPad: " ", startingAt: 0)
    print("  \(name)\(time)\(peak)\(phase.note)")
  }
  let budget = median(phases[0].times) + median(phases[1].times) + median(phases[3].times)
  print("  build + heads + full upgrade plan: \(format(budget)), peak \(megabytes(phases[3].peak))")
}

if let jsonPath {
  var items = [String]()
  for (size, phases, generate) in report {
    let list = phases.filter { !$0.times.isEmpty }.map { phase in
      "{\"phase\": \"\(phase.name)\", \"median_s\": \(median(phase.times)), \"peak_bytes\": \(phase.peak), "
        + "\"note\": \"\(phase.note)\"}"
    }
    items.append("{\"size\": \(size), \"generate_s\": \(generate), \"phases\": [\(list.joined(separator: ", "))]}")
  }
  let text = "{\"seed\": \(seed), \"runs\": \(runs), \"sizes\": [\(items.joined(separator: ", "))]}\n"
  do {
    try text.write(toFile: jsonPath, atomically: true, encoding: .utf8)
  } catch {
    fail("cannot write \(jsonPath): \(error)")
  }
}
