/// Counts that describe a generated history's shape.
public struct HistorySummary: Sendable {
  public var revisions = 0
  public var bases = 0
  public var heads = 0
  public var mergePoints = 0
  public var threeWayMerges = 0
  public var branchPoints = 0
  public var dependsOn = 0
  public var labels = [String]()

  public init(_ history: TeamHistory) {
    var childCount = [Int](repeating: 0, count: history.revisions.count)
    for revision in history.revisions {
      for p in revision.parents { childCount[p] += 1 }
    }
    revisions = history.revisions.count
    for (i, revision) in history.revisions.enumerated() {
      if revision.parents.isEmpty { bases += 1 }
      if childCount[i] == 0 { heads += 1 }
      if childCount[i] > 1 { branchPoints += 1 }
      if revision.parents.count > 1 { mergePoints += 1 }
      if revision.parents.count > 2 { threeWayMerges += 1 }
      dependsOn += revision.dependsOn.count
      labels += revision.branchLabels
    }
  }

  /// One JSON object (labels as an array of strings; they are plain words).
  public var json: String {
    let list = labels.map { "\"\($0)\"" }.joined(separator: ", ")
    return """
      {"revisions": \(revisions), "bases": \(bases), "heads": \(heads), "merge_points": \(mergePoints), \
      "three_way_merges": \(threeWayMerges), "branch_points": \(branchPoints), "depends_on": \(dependsOn), \
      "labels": [\(list)]}
      """
  }
}
