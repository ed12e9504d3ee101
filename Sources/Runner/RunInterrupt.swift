import CLibPQ
import CSQLite
import Foundation

/// Ctrl-C during a run. The command line's SIGINT handler calls ``request()``: the statement
/// under way is cancelled (`sqlite3_interrupt`, libpq's `PQcancel`, both safe in a signal
/// handler), the runner undoes the revision it was in, commits the ones before it, and stops
/// with ``RunnerError/interrupted(completed:rolledBack:at:)``.
///
/// One run per process: the connection of the run in progress registers itself here.
public enum RunInterrupt {
  /// Set by ``request()``; read by the runner between statements.
  nonisolated(unsafe) static var requested: sig_atomic_t = 0
  nonisolated(unsafe) static var sqlite: OpaquePointer?
  nonisolated(unsafe) static var postgresql: OpaquePointer?

  /// True once Ctrl-C was pressed during this run.
  public static var isRequested: Bool { requested != 0 }

  /// Asks the run in progress to stop (async-signal-safe).
  public static func request() {
    requested = 1
    if let sqlite { sqlite3_interrupt(sqlite) }
    if let postgresql {
      withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
        _ = PQcancel(postgresql, buffer.baseAddress, 256)
      }
    }
  }

  /// The run's connection, while it runs.
  static func register(sqlite handle: OpaquePointer?) { sqlite = handle }
  static func register(postgresql cancel: OpaquePointer?) {
    if let old = postgresql, old != cancel { PQfreeCancel(old) }
    postgresql = cancel
  }
  static func unregister() {
    sqlite = nil
    if let old = postgresql { PQfreeCancel(old) }
    postgresql = nil
  }
}
