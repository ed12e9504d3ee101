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
      // A state is made on, and only ever used on, one thread; at most one per thread.
      let seen = try input.orderedConcurrentMap(minimumPerThread: 1, threads: threads, state: { Token() }) {
        (token: inout Token, item: String) in
        (item.count, pthread_equal(token.thread, pthread_self()) != 0, ObjectIdentifier(token))
      }
      #expect(seen.map(\.0) == input.map(\.count))
      #expect(seen.allSatisfy { $0.1 })
      #expect(Set(seen.map(\.2)).count <= threads)
    }
  }

  /// A thread's state: which thread made it.
  final class Token: @unchecked Sendable {
    let thread = pthread_self()
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
