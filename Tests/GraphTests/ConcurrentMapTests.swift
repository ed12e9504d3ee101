import Foundation
import Testing

@testable import Graph

/// `orderedConcurrentMap` must be `map`: the same results in the same order, the error of the
/// first failing element, and no result leaked or released twice when it throws.
@Suite(.serialized) struct ConcurrentMapTests {
  struct Failure: Error, Equatable { var index: Int }

  /// Counts the live instances, to catch results leaked or released twice.
  final class Tracked: Sendable {
    static let live = Counter()
    let value: Int
    init(_ value: Int) {
      self.value = value
      Self.live.add(1)
    }
    deinit { Self.live.add(-1) }
  }

  final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func add(_ n: Int) {
      lock.lock()
      value += n
      lock.unlock()
    }
    var current: Int {
      lock.lock()
      defer { lock.unlock() }
      return value
    }
  }

  @Test(
    "results in order, on one to four threads, each thread's state its own",
    arguments: [0, 1, 7, 511, 1024, 1025, 4099, 10_000])
  func sameAsMap(count: Int) throws {
    let input = (0..<count).map { "item \($0)" }
    #expect(try input.orderedConcurrentMap { $0 + "!" } == input.map { $0 + "!" })
    for threads in [1, 2, 3, 4] {
      // Each thread counts the elements of its own run: the count restarts at each run.
      let seen = try input.orderedConcurrentMap(minimumPerThread: 1, threads: threads, state: { 0 }) {
        (calls: inout Int, _: String) in
        calls += 1
        return calls
      }
      let workers = min(threads, count)
      let starts = workers > 1 ? (0..<workers).map { count * $0 / workers } : [0]
      #expect(seen == (0..<count).map { i in i - (starts.last { $0 <= i } ?? 0) + 1 })
    }
  }

  @Test("the first failing element's error, whichever run fails first in time")
  func firstError() {
    let input = Array(0..<4000)
    for failing in [[3999], [0], [1500, 2500], [2500, 1500, 3900], [999, 1000, 1001]] {
      let before = Tracked.live.current
      #expect(throws: Failure(index: failing.min() ?? -1)) {
        _ = try input.orderedConcurrentMap(minimumPerThread: 100, threads: 4, state: {}) {
          (_: inout Void, i: Int) -> Tracked in
          if failing.contains(i) { throw Failure(index: i) }
          return Tracked(i)
        }
      }
      // Every result built before the failure was released, once.
      #expect(Tracked.live.current == before)
    }
  }

  @Test("results hold their values and are released with the array")
  func ownership() throws {
    let before = Tracked.live.current
    do {
      let results = try Array(0..<3000).orderedConcurrentMap(minimumPerThread: 10, threads: 4, state: {}) {
        (_: inout Void, i: Int) in Tracked(i)
      }
      #expect(results.map(\.value) == Array(0..<3000))
      withExtendedLifetime(results) { #expect(Tracked.live.current == before + 3000) }
    }
    #expect(Tracked.live.current == before)
  }
}
