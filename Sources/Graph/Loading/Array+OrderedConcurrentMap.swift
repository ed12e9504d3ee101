import Foundation

extension Array where Element: Sendable {
  /// `map` over up to four threads, for work such as reading thousands of small files.
  ///
  /// The elements are cut into contiguous runs, a few per thread, which the threads take in
  /// order as they finish the previous one: a thread that the machine slows down (other
  /// processes, a slow file) leaves its remaining runs to the others.
  ///
  /// The result, and the error thrown, are those of a plain `map`: on failure, the error of the
  /// first failing element in order (a run stops at its first failure, and runs after it are
  /// no longer started; runs already under way may still do work that is then dropped).
  ///
  /// Each thread builds its results in place in the returned array and borrows its elements
  /// where they lie: no result or element is copied (a copy retains every reference a value
  /// holds, which for 10,000 revision records was a tenth of a cached load).
  ///
  /// - Parameter minimumPerThread: Fewer elements than this per thread run on one thread.
  public func orderedConcurrentMap<T: Sendable>(
    minimumPerThread: Int = 512, _ transform: @Sendable (Element) throws -> T
  ) throws -> [T] {
    try orderedConcurrentMap(minimumPerThread: minimumPerThread, state: {}) { (_: inout Void, element) in
      try transform(element)
    }
  }

  /// ``orderedConcurrentMap(minimumPerThread:_:)`` where each thread keeps a state of its own
  /// across the elements it maps (made by `state`, passed to every call on that thread), for
  /// example what the previous element decoded.
  /// - Parameter threads: At most this many threads (default: the active processors, at
  ///   most four); tests set it to run several threads on any machine.
  func orderedConcurrentMap<T: Sendable, State>(
    minimumPerThread: Int = 512, threads: Int? = nil, state makeState: @Sendable () -> State,
    _ transform: @Sendable (inout State, Element) throws -> T
  ) throws -> [T] {
    let limit = threads ?? Swift.min(ProcessInfo.processInfo.activeProcessorCount, 4)
    let workers = Swift.min(limit, count / Swift.max(minimumPerThread, 1))
    guard workers > 1 else {
      var state = makeState()
      return try map { try transform(&state, $0) }
    }
    let count = self.count
    return try withUnsafeBufferPointer { elements in
      let input = SharedBuffer(elements: elements)
      return try [T](unsafeUninitializedCapacity: count) { output, initializedCount in
        let runs = RunQueue(count: Swift.min(count, 8 * workers), elements: count, output: output)
        defer { runs.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
          var state = makeState()
          while let run = runs.next() {
            // Counted here and stored once: threads updating neighbouring counters per element
            // would pass one cache line back and forth.
            var done = 0
            for i in runs.elements(of: run) {
              do {
                runs.initialize(i, to: try transform(&state, input.elements[i]))
                done += 1
              } catch {
                // The rest of this run, and the runs after it, are not needed: this error
                // comes before them.
                runs.failed(run, error)
                break
              }
            }
            runs.finished(run, count: done)
          }
        }
        // The first failing run holds the first failing element: every run before it was
        // started before it, and finished.
        if let error = runs.firstError {
          runs.deinitializeAll()
          initializedCount = 0
          throw error
        }
        initializedCount = count
      }
    }
  }
}

/// The elements a map reads from its threads (read only while the map runs).
private struct SharedBuffer<Element>: @unchecked Sendable {
  let elements: UnsafeBufferPointer<Element>
}

/// The runs of a map, handed out in order, and what each did: how many results it initialized
/// (from its start) and its error. A run's entries are written by the one thread doing it,
/// and all are read after all threads have finished (`concurrentPerform` returns only then);
/// handing out runs takes a lock.
private final class RunQueue<T>: @unchecked Sendable {
  let count: Int
  private let elementCount: Int
  private let output: UnsafeMutableBufferPointer<T>
  private let done: UnsafeMutableBufferPointer<Int>
  private let errors: UnsafeMutableBufferPointer<(any Error)?>
  // Guarded by `lock`.
  private var nextRun = 0
  private var firstFailed = Int.max
  private let lock = NSLock()

  init(count: Int, elements: Int, output: UnsafeMutableBufferPointer<T>) {
    self.count = count
    elementCount = elements
    self.output = output
    done = .allocate(capacity: count)
    done.initialize(repeating: 0)
    errors = .allocate(capacity: count)
    errors.initialize(repeating: nil)
  }

  /// The next run to do; nil when all are taken, or the rest come after a failed run.
  func next() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard nextRun < count, nextRun < firstFailed else { return nil }
    defer { nextRun += 1 }
    return nextRun
  }

  func elements(of run: Int) -> Range<Int> { (elementCount * run / count)..<(elementCount * (run + 1) / count) }

  func initialize(_ index: Int, to value: consuming T) { (output.baseAddress! + index).initialize(to: value) }

  func finished(_ run: Int, count: Int) { done[run] = count }

  func failed(_ run: Int, _ error: any Error) {
    errors[run] = error
    lock.lock()
    firstFailed = Swift.min(firstFailed, run)
    lock.unlock()
  }

  /// The error of the first failed run, if any.
  var firstError: (any Error)? { errors.lazy.compactMap { $0 }.first }

  /// Deinitializes every result the runs initialized.
  func deinitializeAll() {
    for run in 0..<count where done[run] > 0 {
      (output.baseAddress! + elements(of: run).lowerBound).deinitialize(count: done[run])
    }
  }

  func deallocate() {
    done.deallocate()
    _ = errors.deinitialize()
    errors.deallocate()
  }
}
