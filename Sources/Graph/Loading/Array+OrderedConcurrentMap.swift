import Foundation

extension Array where Element: Sendable {
  /// `map` over up to four threads, one contiguous run of elements each, for work such as
  /// reading thousands of small files.
  ///
  /// The result, and the error thrown, are those of a plain `map`: on failure, the error of the
  /// first failing element in order (a thread stops at its first failure; later runs may still
  /// have done work that is then dropped).
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
  /// across the elements of its run (made by `state`, passed to every call on that thread),
  /// for example what the previous element decoded.
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
        let runs = RunStates(workers: workers, output: output)
        defer { runs.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
          let run = (count * worker / workers)..<(count * (worker + 1) / workers)
          // Counted here and stored once: threads updating neighbouring counters per element
          // would pass one cache line back and forth.
          var done = 0
          defer { runs.finished(worker, count: done) }
          var state = makeState()
          for i in run {
            do {
              runs.initialize(i, to: try transform(&state, input.elements[i]))
              done += 1
            } catch {
              // The rest of this run is not needed: this error comes before it.
              runs.failed(worker, error)
              return
            }
          }
        }
        // The first failing run holds the first failing element: every run before it finished.
        for worker in 0..<workers {
          guard let error = runs.error(worker) else { continue }
          for other in 0..<workers {
            runs.deinitialize(from: count * other / workers, count: runs.done(other))
          }
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

/// Where each thread of a map stands: how many results its run initialized, and its error.
/// Each thread writes only its own entries and its own run of `output`; they are read after
/// all threads have finished (`concurrentPerform` returns only then).
private struct RunStates<T>: @unchecked Sendable {
  private let output: UnsafeMutableBufferPointer<T>
  private let counts: UnsafeMutableBufferPointer<Int>
  private let errors: UnsafeMutableBufferPointer<(any Error)?>

  init(workers: Int, output: UnsafeMutableBufferPointer<T>) {
    self.output = output
    counts = .allocate(capacity: workers)
    counts.initialize(repeating: 0)
    errors = .allocate(capacity: workers)
    errors.initialize(repeating: nil)
  }

  func initialize(_ index: Int, to value: consuming T) { (output.baseAddress! + index).initialize(to: value) }
  func finished(_ worker: Int, count: Int) { counts[worker] = count }
  func failed(_ worker: Int, _ error: any Error) { errors[worker] = error }
  func done(_ worker: Int) -> Int { counts[worker] }
  func error(_ worker: Int) -> (any Error)? { errors[worker] }

  func deinitialize(from start: Int, count: Int) {
    guard count > 0 else { return }
    (output.baseAddress! + start).deinitialize(count: count)
  }

  func deallocate() {
    counts.deallocate()
    _ = errors.deinitialize()
    errors.deallocate()
  }
}
