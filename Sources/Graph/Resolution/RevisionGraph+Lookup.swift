extension RevisionGraph {
  /// Where a walk or a resolution can end: a revision, or the symbolic base below every root.
  enum Point: Equatable, Sendable {
    case revision(Index)
    case base
  }

  /// The revision an exact id or declared label names.
  func exactKey(_ text: String) -> Index? { index(of: text) ?? labelOwner[text] }

  /// The keys (ids and labels) longer than three characters that start with `prefix`,
  /// in Alembic's map order.
  /// - Complexity: O(log *v* + *k*) for *k* matches.
  func prefixMatches(_ prefix: String) -> [Key] {
    var low = 0
    var high = sortedKeys.count
    while low < high {
      let mid = (low + high) / 2
      if sortedKeys[mid].text < prefix { low = mid + 1 } else { high = mid }
    }
    var found = [Key]()
    var i = low
    while i < sortedKeys.count, sortedKeys[i].text.hasPrefix(prefix) {
      if sortedKeys[i].text.count > 3 { found.append(sortedKeys[i]) }
      i += 1
    }
    return found.sorted { $0.rank < $1.rank }
  }

  /// A branch qualifier: a declared label or revision id, else a unique id prefix.
  /// - Throws: ``GraphError/unknownBranch(_:)``.
  func resolveBranch(_ qualifier: String) throws -> Index {
    if let exact = exactKey(qualifier) { return exact }
    do {
      return try revision(for: qualifier, qualifier: nil)
    } catch {
      throw GraphError.unknownBranch(qualifier, hint: nearMiss(qualifier))
    }
  }

  /// "did you mean …?" for a word that names nothing: a branch label or keyword one or two
  /// edits away, else the revision whose id starts with a string one edit from `text` (a
  /// mistyped prefix).
  func nearMiss(_ text: String) -> String? {
    if let word = NearMiss.closest(to: text, among: labelNames + ["head", "heads", "base", "current"]) {
      return "did you mean '\(word)'?"
    }
    guard text.count >= 4 else { return nil }
    let typed = Array(text.lowercased())
    var found = [String]()
    for index in 0..<count {
      let candidate = id(Index(index))
      guard candidate.count >= typed.count,
        NearMiss.distance(Array(candidate.lowercased().prefix(typed.count)), typed, limit: 1) == 1
      else { continue }
      found.append(candidate)
      if found.count > 3 { break }
    }
    switch found.count {
    case 0: return nil
    case 1: return "did you mean '\(found[0])'?"
    default: return "ids close to it: \(found.prefix(3).joined(separator: ", "))"
    }
  }

  /// One identifier (id, unique prefix or label), optionally checked against a branch.
  ///
  /// Mirrors Alembic's lookup: exact ids and labels first, then prefixes of keys longer
  /// than three characters; a qualifier drops candidates off its lineage and the result
  /// must share lineage with it.
  func revision(for text: String, qualifier: String?) throws -> Index {
    let branch = try qualifier.map { try resolveBranch($0) }
    guard !text.isEmpty else {
      throw GraphError.invalidTarget(text: (qualifier.map { "\($0)@" } ?? "") + text, reason: "no revision after '@'")
    }
    let found: Index
    if let exact = exactKey(text) {
      found = exact
    } else {
      var matches = prefixMatches(text)
      if let branch {
        let onBranch = self.lineage(of: branch)
        matches = matches.filter { onBranch[$0.node] }
      }
      guard let first = matches.first else {
        throw GraphError.unknownRevision(
          text: text,
          hint: nearMiss(text) ?? (text.count < 4 ? "partial ids need at least four characters to match" : nil))
      }
      guard matches.count == 1 else {
        throw GraphError.ambiguousRevision(text: text, candidates: matches.map(\.text))
      }
      found = first.node
    }
    if let branch, let qualifier, !lineage(of: branch)[found] {
      throw GraphError.notOnBranch(revision: id(found), branch: qualifier)
    }
    return found
  }

  /// The members of `targets` that share lineage with what `qualifier` names.
  func filterForLineage(_ targets: [Index], _ qualifier: String, _ links: Links = .versioned) throws -> [Index] {
    let against = try revision(for: qualifier, qualifier: nil)
    let onBranch = self.lineage(of: against, links)
    return targets.filter { onBranch[$0] }
  }

  /// The heads (effective heads included) on `qualifier`'s lineage, or all heads.
  func heads(on qualifier: String?) throws -> [Index] {
    guard let qualifier else { return heads }
    return try filterForLineage(heads, qualifier)
  }

  /// Alembic's `get_revisions` for one string.
  ///
  /// `heads` gives the real heads (or, qualified, the heads on the branch); `head` the one
  /// head (several: ``GraphError/multipleHeads(argument:heads:)``); `base` nothing; `-N` and
  /// `Q@-N` walk down from the real heads (with `Q`, those carrying the label `Q`); anything
  /// else is one revision lookup. Elements are nil where a walk went past the base.
  func points(for text: String) throws -> [Point?] {
    let target = try Target(parsing: text)
    let (qualifier, rest) = target.firstSplit
    switch rest {
    case "heads":
      return try (qualifier == nil ? realHeads : heads(on: qualifier)).map { .revision($0) }
    case "head":
      let found = try heads(on: qualifier)
      if found.count > 1 { throw GraphError.multipleHeads(argument: text, heads: ids(found)) }
      return found.map { .revision($0) }
    case "base":
      return []
    default:
      if let steps = Int(rest), steps < 0, rest.hasPrefix("-") {
        var starts = realHeads
        if let qualifier {
          guard let label = labelNames.firstIndex(of: qualifier) else {
            throw GraphError.unknownBranch(qualifier, hint: nearMiss(qualifier))
          }
          starts = starts.filter { propagatedLabels[$0].contains(Int32(label)) }
        }
        return try starts.map { try walk(from: .revision($0), steps: steps, qualifier: nil, overwalk: .fail) }
      }
      return [.revision(try revision(for: rest, qualifier: qualifier))]
    }
  }

  /// Alembic's `get_revision`: at most one revision (nil for `base` or an empty branch).
  func singlePoint(for text: String) throws -> Index? {
    let target = try Target(parsing: text)
    let (qualifier, rest) = target.firstSplit
    switch rest {
    case "heads", "head":
      let found = rest == "heads" && qualifier == nil ? realHeads : try heads(on: qualifier)
      if found.count > 1 { throw GraphError.multipleHeads(argument: text, heads: ids(found)) }
      return found.first
    case "base":
      return nil
    default:
      return try revision(for: rest, qualifier: qualifier)
    }
  }

  /// What a walk does when it runs off the end of the history.
  enum Overwalk {
    /// Return nil.
    case fail
    /// Stop where it is (history ranges).
    case stop
  }

  /// Walks `steps` steps up (positive) or down (negative) along versioned links.
  ///
  /// Up from nothing (`start` nil) means the bases; down from a base reaches the symbolic
  /// base. A qualifier keeps only children on its lineage when walking up.
  /// - Throws: ``GraphError/ambiguousWalk(from:direction:candidates:)`` at a fork.
  func walk(from start: Point?, steps: Int, qualifier: String?, overwalk: Overwalk) throws -> Point? {
    var current = start
    var branchLineage: NodeSet?
    if let qualifier { branchLineage = self.lineage(of: try revision(for: qualifier, qualifier: nil)) }
    for taken in 0..<abs(steps) {
      var next: [Point]
      if steps > 0 {
        var up: [Index]
        switch current {
        case nil: up = bases
        case .revision(let node)?: up = Array(children[node])
        case .base?: up = bases
        }
        if let branchLineage { up = up.filter { branchLineage[$0] } }
        next = up.map { .revision($0) }
      } else {
        switch current {
        case .base?: next = []
        case nil: next = heads.map { .revision($0) }
        case .revision(let node)?: next = parents[node].map { .revision($0) }
        }
        if next.isEmpty, current != .base { next = [.base] }
      }
      if next.isEmpty { return overwalk == .fail ? nil : current }
      if next.count > 1 {
        let from: String
        switch current {
        case .revision(let node)?: from = id(node)
        default: from = steps > 0 ? "base (the bases)" : "the heads"
        }
        let names = next.map { point -> String in
          if case .revision(let node) = point { return id(node) }
          return "base"
        }
        throw GraphError.ambiguousWalk(
          from: from, direction: steps > 0 ? "up" : "down", candidates: names, remaining: abs(steps) - taken - 1)
      }
      current = next[0]
    }
    return current
  }
}
