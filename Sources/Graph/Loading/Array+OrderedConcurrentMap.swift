import Foundation

extension Array where Element: Sendable {
  /// `map` over up to four threads, one contiguous run of elements each, for work such as
  /// reading thousands of small files.
  ///
  /// The result, and the error thrown, are those of a plain `map`: on failure, the error of the
  /// first failing element in order (a thread stops at its first failure; later runs may still
  /// have done work that is then dropped).
  ///
  /// - Parameter minimumPerThread: Fewer elements than this per thread run on one thread.
  public func orderedConcurrentMap<T: Sendable>(
    minimumPerThread: Int = 512, _ transform: @Sendable (Element) throws -> T
  ) throws -> [T] {
    let workers = Swift.min(ProcessInfo.processInfo.activeProcessorCount, 4, count / Swift.max(minimumPerThread, 1))
    guard workers > 1 else { return try map(transform) }
    let slots = ResultSlots<T>(count: count)
    defer { slots.deallocate() }
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      for i in (count * worker / workers)..<(count * (worker + 1) / workers) {
        do {
          slots.set(i, .success(try transform(self[i])))
        } catch {
          // The rest of this run is not needed: this error comes before it.
          slots.set(i, .failure(error))
          return
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
      // Empty only after an earlier failure in the same run, which threw already.
      case nil: continue
      }
    }
    return results
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
