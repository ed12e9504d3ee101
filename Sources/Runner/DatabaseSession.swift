import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A writable connection plus the runner's process lock on the database file.
///
/// The runner commits revisions in groups (`BEGIN IMMEDIATE` … `COMMIT`), so SQLite's write
/// lock is released between groups. The process lock (`flock` on the database file, which
/// does not interact with SQLite's own `fcntl` locks) is held for the whole run, so a second
/// `revgraph` process waits until the first has finished and then plans from its result.
final class DatabaseSession {
  let connection: SQLiteConnection
  private var lockDescriptor: Int32 = -1

  /// Opens (creating when missing) and locks the database.
  /// - Throws: ``RunnerError/locked(path:reason:)`` when another runner keeps the lock
  ///   longer than `timeout`.
  init(location: DatabaseLocation, timeout: Duration) throws {
    let connection = try SQLiteConnection(path: location.path, mode: .readWriteCreate, busyTimeout: timeout)
    // Foreign keys stay off even where SQLite is built to turn them on: a table rebuild drops
    // and recreates a parent table inside the revision's transaction (where the pragma
    // cannot change), and with them on that DROP would cascade into the children's rows.
    // Rebuilds end with PRAGMA foreign_key_check instead.
    try connection.execute("PRAGMA foreign_keys = OFF")
    self.connection = connection
    guard location.path != ":memory:" else { return }
    let descriptor = open(location.path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw RunnerError.cannotOpen(path: location.path, reason: String(cString: strerror(errno)))
    }
    lockDescriptor = descriptor
    let deadline = ContinuousClock.now + timeout
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      guard errno == EWOULDBLOCK || errno == EINTR else {
        throw RunnerError.cannotOpen(path: location.path, reason: "lock: " + String(cString: strerror(errno)))
      }
      guard ContinuousClock.now < deadline else {
        throw RunnerError.locked(
          path: location.path,
          reason: "another revgraph process is migrating it; waited \(Self.seconds(timeout)) s")
      }
      try? Task.checkCancellation()
      usleep(20_000)
    }
  }

  deinit {
    // Close SQLite first: closing another descriptor of the file while SQLite holds its
    // POSIX locks would drop them.
    connection.close()
    if lockDescriptor >= 0 { close(lockDescriptor) }
  }

  static func seconds(_ duration: Duration) -> String {
    let value = Double(duration.milliseconds) / 1000
    return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
  }
}
