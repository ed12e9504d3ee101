import Foundation
import Testing

@testable import Graph

/// `orderedConcurrentMap` is `map`: the same elements in the same order, and on failure the
/// error of the first failing element, however the runs are spread over the threads.
@Suite struct OrderedConcurrentMapTests {
  struct Failure: Error, Equatable {
    var index: Int
  }

  @Test("results come back in order", arguments: [0, 1, 511, 512, 1024, 5000, 100_003])
  func order(count: Int) throws {
    let input = Array(0..<count)
    #expect(try input.orderedConcurrentMap { $0 * 3 } == input.map { $0 * 3 })
    #expect(try input.orderedConcurrentMap(minimumPerThread: 1) { String($0) } == input.map { String($0) })
  }

  @Test(
    "the first failing element's error is thrown", arguments: [[7], [9_000], [5, 9_000], [9_000, 20_000, 39_999]])
  func firstError(failing: [Int]) {
    let input = Array(0..<40_000)
    let failing = Set(failing)
    #expect(throws: Failure(index: failing.min() ?? -1)) {
      try input.orderedConcurrentMap(minimumPerThread: 64) { i in
        // Later failures come sooner in time.
        if failing.contains(i) { throw Failure(index: i) }
        if i % 1000 == 0 { usleep(100) }
        return i
      }
    }
  }
}
