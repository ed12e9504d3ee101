import Foundation

/// Runs two independent pieces of work at the same time and returns both results.
///
/// Building a graph of a million revisions is mostly waiting for memory (the load order is
/// random with respect to the history), and two threads wait in parallel. Without `parallel`,
/// or on one core, both run on the calling thread, one after the other.
func inParallel<A, B>(_ parallel: Bool, _ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
  guard parallel, ProcessInfo.processInfo.activeProcessorCount > 1 else { return (first(), second()) }
  let a = ResultBox<A>(), b = ResultBox<B>()
  DispatchQueue.concurrentPerform(iterations: 2) { k in
    if k == 0 { a.value = first() } else { b.value = second() }
  }
  // `concurrentPerform` returns once both have stored their results.
  return (a.value ?? first(), b.value ?? second())
}

/// One result, written by one thread and read after `concurrentPerform` returns (which orders
/// the two).
private final class ResultBox<T>: @unchecked Sendable {
  var value: T?
}
