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
  /// - Parameter minimumPerThread: Fewer elements than this per thread run on one thread.
  public func orderedConcurrentMap<T: Sendable>(
    minimumPerThread: Int = 512, _ transform: @Sendable (Element) throws -> T
  ) throws -> [T] {
    let workers = Swift.min(ProcessInfo.processInfo.activeProcessorCount, 4, count / Swift.max(minimumPerThread, 1))
    guard workers > 1 else { return try map(transform) }
    let slots = ResultSlots<T>(count: count)
    defer { slots.deallocate() }
    let runs = RunQueue(count: Swift.min(count, 8 * workers))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while let run = runs.next() {
        for i in (count * run / runs.count)..<(count * (run + 1) / runs.count) {
          do {
            slots.set(i, .success(try transform(self[i])))
          } catch {
            // The rest of this run, and the runs after it, are not needed: this error comes
            // before them.
            slots.set(i, .failure(error))
            runs.failed(run)
            break
          }
        }
      }
    }
    var results = [T]()
    results.reserveCapacity(count)
    for i in 0..<count {
      // Moved out of its slot into the result, without a copy of the element.
      switch slots.take(i) {
      case .success(let value): results.append(value)
      case .failure(let error): throw error
      // Empty only after an earlier failure (in the same run or a run before), which threw
      // already.
      case nil: continue
      }
    }
    return results
  }
}

/// The runs of an ``Swift/Array/orderedConcurrentMap(minimumPerThread:_:)``, handed out in
/// order.
private final class RunQueue: @unchecked Sendable {
  let count: Int
  // Guarded by `lock`.
  private var nextRun = 0
  private var firstFailed = Int.max
  private let lock = NSLock()

  init(count: Int) { self.count = count }

  /// The next run to do; nil when all are taken, or the rest come after a failed run.
  func next() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard nextRun < count, nextRun < firstFailed else { return nil }
    defer { nextRun += 1 }
    return nextRun
  }

  func failed(_ run: Int) {
    lock.lock()
    firstFailed = Swift.min(firstFailed, run)
    lock.unlock()
  }
}

/// One result slot per element, each written by exactly one thread and read after all of
/// them have finished (`concurrentPerform` returns only then).
private struct ResultSlots<T>: @unchecked Sendable {
  private let slots: UnsafeMutableBufferPointer<Result<T, any Error>?>

  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil)
  }

  func set(_ index: Int, _ result: Result<T, any Error>) { slots[index] = result }

  func take(_ index: Int) -> Result<T, any Error>? {
    let slot = slots.baseAddress.unsafelyUnwrapped + index
    let result = slot.move()
    slot.initialize(to: nil)
    return result
  }

  func deallocate() {
    _ = slots.deinitialize()
    slots.deallocate()
  }
}
