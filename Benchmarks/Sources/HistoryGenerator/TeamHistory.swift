/// One revision of a generated history.
public struct GeneratedRevision: Sendable {
  /// The 12-hex-digit revision id.
  public var id: String
  /// Indices (into ``TeamHistory/revisions``) of the `down_revision` entries, in declared order.
  public var parents: [Int]
  /// Declared branch labels.
  public var branchLabels: [String]
  /// `depends_on` entries as written: a revision id or a branch label.
  public var dependsOn: [String]
  /// The message (the first line of Alembic's docstring).
  public var message: String
  /// Seconds after the history's first revision (for `create_date`).
  public var minute: Int
}

/// A seeded history shaped like a team's: a long main line, short feature branches forked
/// from recent main-line revisions and merged back (two- and three-way merges), a few
/// plugin lines that start at their own labeled base, `depends_on` links from branches to the
/// main line and from the main line to plugin labels, and some open heads (up to 20
/// abandoned features, the plugin lines, features still in progress).
///
/// Revisions are listed in creation order (parents first); files are named after their id,
/// so the load order (sorted file names) is unrelated to the topology, as in real projects.
///
/// The same size and seed always give the same history.
public struct TeamHistory: Sendable {
  /// The revisions, parents before children.
  public var revisions: [GeneratedRevision]

  /// Tunable shape, in percent per new revision (the rest are main-line commits).
  public struct Shape: Sendable {
    /// Start a feature branch from a recent main-line revision.
    public var fork = 14
    /// Add a commit to an open feature branch.
    public var featureCommit = 26
    /// Merge finished features into the main line (a fifth of merges take two features).
    public var merge = 12
    /// Add a commit to a plugin line.
    public var pluginCommit = 3
    /// A feature commit or plugin commit also depends on another branch.
    public var dependsOn = 5
    /// Per merge, the chance (per mille) that instead one open feature is abandoned (stays a head).
    public var abandonPerMille = 5
    /// At most this many abandoned heads: past it, the oldest is merged into the main line
    /// (someone cleans up), so open heads stay few at any size.
    public var maxAbandoned = 20
    /// One new labeled plugin base per this many revisions (plus two at the start).
    public var revisionsPerPlugin = 40_000
    /// At most this many features open at once.
    public var maxOpenFeatures = 6

    public init() {}
  }

  /// Generates a history of exactly `size` revisions.
  public static func generate(size: Int, seed: UInt64, shape: Shape = Shape()) -> TeamHistory {
    var generator = Generator(seed: seed, shape: shape, size: size)
    generator.run()
    return TeamHistory(revisions: generator.revisions)
  }

  /// The file name (without extension) of a revision: `<id>_<slug>`, as Alembic names them.
  public func fileStem(_ index: Int) -> String {
    let revision = revisions[index]
    return revision.id + "_" + Self.slug(revision.message)
  }

  /// Words joined with `_`, lower-case, at most 40 characters (Alembic's default slug).
  static func slug(_ message: String) -> String {
    let words = message.lowercased().split { !($0.isLetter || $0.isNumber) }
    return String(words.joined(separator: "_").prefix(40))
  }

  /// Declared `down_revision` ids of a revision.
  public func parentIDs(_ index: Int) -> [String] { revisions[index].parents.map { revisions[$0].id } }
}

/// The state of the history being grown.
private struct Generator {
  struct Feature {
    var tip: Int
    /// The newest main-line revision below the feature (its fork point, or a dependency).
    var lastMain: Int
    var name: String
  }

  struct Plugin {
    var tip: Int
    var label: String
    /// The newest main-line revision the plugin depends on (-1: none).
    var lastMain = -1
  }

  var rng: SplitMix64
  let shape: TeamHistory.Shape
  let size: Int
  var revisions = [GeneratedRevision]()
  var usedIDs = Set<String>()
  var mainTip = -1
  /// The last main-line revisions, newest last (features fork from these).
  var recentMain = [Int]()
  var features = [Feature]()
  /// Abandoned features, oldest first (their tips are open heads).
  var abandoned = [Feature]()
  var plugins = [Plugin]()
  var featureCount = 0
  /// Plugins `0..<pluginsUsedByMain` are already depended on by the main line.
  var pluginsUsedByMain = 0

  init(seed: UInt64, shape: TeamHistory.Shape, size: Int) {
    rng = SplitMix64(seed: seed)
    self.shape = shape
    self.size = size
    revisions.reserveCapacity(size)
    usedIDs.reserveCapacity(size)
  }

  static let tables = [
    "account", "invoice", "order", "payment", "user", "session", "product", "cart", "address", "audit_log",
    "shipment", "coupon", "review", "category", "warehouse", "refund", "subscription", "tenant",
  ]
  static let columns = [
    "email", "status", "created_at", "updated_at", "amount", "currency", "name", "note", "owner_id", "region",
    "deleted_at", "priority", "version", "locale",
  ]

  mutating func newID() -> String {
    while true {
      let value = rng.next() & 0xFFFF_FFFF_FFFF
      var text = String(value, radix: 16)
      text = String(repeating: "0", count: 12 - text.count) + text
      if usedIDs.insert(text).inserted { return text }
    }
  }

  mutating func message() -> String {
    let table = Self.tables[rng.below(Self.tables.count)]
    let column = Self.columns[rng.below(Self.columns.count)]
    switch rng.below(5) {
    case 0: return "create \(table) table"
    case 1: return "index \(table) \(column)"
    case 2: return "drop \(column) from \(table)"
    default: return "add \(column) to \(table)"
    }
  }

  @discardableResult
  mutating func add(
    parents: [Int], labels: [String] = [], dependsOn: [String] = [], message: String? = nil
  ) -> Int {
    let text = message ?? self.message()
    revisions.append(
      GeneratedRevision(
        id: newID(), parents: parents, branchLabels: labels, dependsOn: dependsOn, message: text,
        minute: revisions.count * 7))
    return revisions.count - 1
  }

  mutating func mainCommit(_ index: Int) {
    mainTip = index
    recentMain.append(index)
    if recentMain.count > 24 { recentMain.removeFirst() }
  }

  mutating func newPlugin() {
    let label = "plugin_\(plugins.count + 1)"
    let base = add(parents: [], labels: [label], message: "create \(label) schema")
    plugins.append(Plugin(tip: base, label: label))
  }

  /// `depends_on` for a new revision on a branch whose newest main-line ancestor is
  /// `lastMain`: the main-line tip, when the main line has moved past `lastMain` (so it is
  /// never an ancestor, which Alembic cannot handle).
  mutating func dependency(lastMain: inout Int) -> [String] {
    guard rng.percent(shape.dependsOn), mainTip != lastMain else { return [] }
    lastMain = mainTip
    return [revisions[mainTip].id]
  }

  /// A main-line commit; now and then it depends on a plugin line by its label (once per plugin).
  mutating func mainLineCommit() {
    var deps = [String]()
    if pluginsUsedByMain < plugins.count && rng.percent(shape.dependsOn) {
      deps = [plugins[pluginsUsedByMain].label]
      pluginsUsedByMain += 1
    }
    mainCommit(add(parents: [mainTip], dependsOn: deps))
  }

  mutating func run() {
    guard size > 0 else { return }
    mainCommit(add(parents: [], message: "initial schema"))
    while revisions.count < size {
      if revisions.count % shape.revisionsPerPlugin == 1
        || (plugins.count < 2 && revisions.count >= 50 * (plugins.count + 1))
      {
        newPlugin()
        continue
      }
      var roll = rng.below(100)
      if roll < shape.fork {
        forkFeature()
        continue
      }
      roll -= shape.fork
      if roll < shape.featureCommit, !features.isEmpty {
        let f = rng.below(features.count)
        var lastMain = features[f].lastMain
        let deps = dependency(lastMain: &lastMain)
        features[f].lastMain = lastMain
        features[f].tip = add(parents: [features[f].tip], dependsOn: deps)
        continue
      }
      roll -= shape.featureCommit
      if roll < shape.merge, !features.isEmpty {
        mergeFeatures()
        continue
      }
      roll -= shape.merge
      if roll < shape.pluginCommit, !plugins.isEmpty {
        let p = rng.below(plugins.count)
        // A plugin line may need the main line's newest revision (another base, never an ancestor).
        var deps = [String]()
        if plugins[p].lastMain != mainTip && rng.percent(shape.dependsOn * 4) {
          deps = [revisions[mainTip].id]
          plugins[p].lastMain = mainTip
        }
        plugins[p].tip = add(parents: [plugins[p].tip], dependsOn: deps)
        continue
      }
      mainLineCommit()
    }
  }

  mutating func forkFeature() {
    guard features.count < shape.maxOpenFeatures else {
      mainLineCommit()
      return
    }
    // Recent main-line revisions, the tip most often.
    let back = min(recentMain.count - 1, rng.percent(50) ? 0 : rng.below(8))
    let from = recentMain[recentMain.count - 1 - back]
    featureCount += 1
    var lastMain = from
    let deps = dependency(lastMain: &lastMain)
    let tip = add(parents: [from], dependsOn: deps)
    features.append(Feature(tip: tip, lastMain: lastMain, name: "feature \(featureCount)"))
  }

  mutating func mergeFeatures() {
    if rng.below(1000) < shape.abandonPerMille {
      // Abandoned: its tip stays an open head, until a cleanup merge takes the oldest in.
      abandoned.append(features.remove(at: rng.below(features.count)))
      if abandoned.count > shape.maxAbandoned {
        let stale = abandoned.removeFirst()
        mainCommit(add(parents: [mainTip, stale.tip], message: "merge stale \(stale.name)"))
      }
      return
    }
    // Only features the main line has moved past (a merge never lists an ancestor of another parent).
    let ready = features.indices.filter { features[$0].lastMain != mainTip }
    guard let first = ready.isEmpty ? nil : ready[rng.below(ready.count)] else {
      mainLineCommit()
      return
    }
    var picked = [first]
    if ready.count > 1 && rng.percent(20) {
      let others = ready.filter { $0 != first }
      picked.append(others[rng.below(others.count)])
    }
    let parents = [mainTip] + picked.map { features[$0].tip }
    let names = picked.map { features[$0].name }.joined(separator: " and ")
    mainCommit(add(parents: parents, message: "merge \(names)"))
    for f in picked.sorted(by: >) { features.remove(at: f) }
  }
}
