import Foundation

extension FileHandle {
  /// Everything up to the end of the file (or pipe), retrying reads a signal interrupts.
  ///
  /// Foundation's `readDataToEndOfFile()` stops the process when a read fails with `EINTR`,
  /// which a child process exiting (`SIGCHLD`) can cause while another thread waits on a pipe.
  public func readAllRetryingInterrupts() -> Data {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
      if n > 0 {
        data.append(contentsOf: buffer[..<n])
      } else if n == 0 || errno != EINTR {
        return data
      }
    }
  }
}
