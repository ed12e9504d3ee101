import Foundation

extension HeaderCache {
  /// The cache files of a project's version locations, read on another thread ahead of the
  /// load that needs them.
  ///
  /// The command line starts one before it parses its arguments (which takes a few
  /// milliseconds), so that reading and checking the cache files — a few megabytes for
  /// 10,000 revisions — overlaps with it. What is read is checked exactly as a load checks
  /// its own reads, and every entry is still compared with its file's stamp: a prefetch that
  /// turns out stale (the cache was rewritten meanwhile) or unneeded changes nothing but the
  /// time taken.
  public final class Prefetch: @unchecked Sendable {
    /// The cache the files were read from; a load through another cache ignores them.
    public let cache: HeaderCache
    private let group = DispatchGroup()
    // Written once on the background thread, read only after `group` is done.
    private var found = [String: Index]()

    /// Starts reading, on another thread, the cache files of the locations `locations`
    /// returns (nil: none; it runs on that thread too, so it may read the project file).
    public init(cache: HeaderCache, locations: @escaping @Sendable () -> [String]?) {
      self.cache = cache
      DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in
        for location in locations() ?? [] {
          let real = RevisionLoader.realPath(location)
          if found[real] == nil { found[real] = cache.index(for: real) }
        }
      }
    }

    /// The cache files read, by the real path of their directory, once the reading is done.
    func indexes() -> [String: Index] {
      group.wait()
      return found
    }
  }
}
