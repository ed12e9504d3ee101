extension RevisionGraph {
  /// Which revisions `starts` build on: a mask indexed by revision index, the starts included.
  ///
  /// - Parameters:
  ///   - starts: The revisions to start from.
  ///   - includingDependencies: Also follow `depends_on` links (not only `down_revision`).
  /// - Returns: `mask[Int(i)]` is true when revision `i` is reached.
  /// - Complexity: O(*v* + *e*) over the revisions reached, plus O(*v*) for the mask.
  public func ancestorMask<S: Sequence>(of starts: S, includingDependencies: Bool = false) -> [Bool]
  where S.Element == Index {
    ancestors(of: starts, includingDependencies ? .all : .versioned).contains
  }

  /// Which revisions build on `starts`: a mask indexed by revision index, the starts included.
  ///
  /// - Parameters:
  ///   - starts: The revisions to start from.
  ///   - includingDependencies: Also follow `depends_on` links (dependents), not only children.
  /// - Complexity: O(*v* + *e*) over the revisions reached, plus O(*v*) for the mask.
  public func descendantMask<S: Sequence>(of starts: S, includingDependencies: Bool = false) -> [Bool]
  where S.Element == Index {
    descendants(of: starts, includingDependencies ? .all : .versioned).contains
  }

  /// The revisions that list this one in `depends_on` (directly or through a label), in load order.
  public func dependentIndices(_ index: Index) -> [Index] { Array(dependents[index]) }

  /// Checks one record on its own, as ``init(records:)`` does before relating it to others:
  /// id syntax and reserved words, a revision naming itself as parent, repeated parents, and
  /// branch label syntax.
  ///
  /// Lets tolerant callers (such as `revgraph check`) report every bad record instead of the
  /// first one.
  ///
  /// - Throws: ``GraphError/invalidScript(location:reason:)`` or ``GraphError/cycle(path:)``.
  public static func validateRecord(_ record: RevisionRecord) throws {
    try validate([record], at: 0)
  }
}
