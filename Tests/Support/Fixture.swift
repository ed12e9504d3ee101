@testable import Graph

/// Builds graphs from the notation of `alembic-cases.md`:
/// `a<base, b<a [L], c<a+b dep:x+y` — `x<p` means `x.down_revision = p`, `+` joins several,
/// `[L,M]` declares branch labels, `dep:` lists depends_on. Order is load order.
public enum Fixture {
  public static func records(_ notation: String) -> [RevisionRecord] {
    notation.split(separator: ",", omittingEmptySubsequences: true).reduce(into: [RevisionRecord]()) { list, raw in
      // A label list may contain commas: re-join pieces until brackets balance.
      list.append(parse(String(raw).trimmingCharacters(in: .whitespaces)))
    }
  }

  public static func parse(_ entry: String) -> RevisionRecord {
    var words = entry.split(separator: " ").map(String.init)
    let head = words.removeFirst()
    let parts = head.split(separator: "<", maxSplits: 1).map(String.init)
    let id = parts[0]
    let parents: [String] =
      parts.count < 2 || parts[1] == "base" ? [] : parts[1].split(separator: "+").map(String.init)
    var labels = [String]()
    var deps = [String]()
    for word in words {
      if word.hasPrefix("[") {
        labels = word.dropFirst().dropLast().split(separator: ";").map(String.init)
      } else if word.hasPrefix("dep:") {
        deps = word.dropFirst(4).split(separator: "+").map(String.init)
      }
    }
    return RevisionRecord(
      id: id, downRevisions: parents, branchLabels: labels, dependsOn: deps, message: "rev \(id)",
      path: "\(id).sql")
  }

  public static func graph(_ notation: String) throws -> RevisionGraph {
    let graph = try RevisionGraph(records: records(notation))
    graph.checkInvariants()
    return graph
  }

  // Named graphs used across suites.
  /// A01/B-group shape: a ← b, branch point b with labelled c1, c2.
  public static let branched = "a<base, b<a, c1<b [c1br], d1<c1, c2<b [c2br], d2<c2"
  /// B-group: two trees, one with a labelled branch point.
  public static let long =
    "aaaa1<base, bbbb1<aaaa1, cccc1<bbbb1 [c1br], dddd1<cccc1, cccc2<bbbb1 [c2br], dddd2<cccc2, xxxx1<base [xbr], yyyy1<xxxx1"
  /// Linear a..e.
  public static let linear = "a<base, b<a, c<b, d<c, e<d"
  /// The branched graph merged back at e.
  public static let diamond = "a<base, b<a, c1<b [c1br], d1<c1, c2<b, d2<c2, e<d1+d2"
  /// Dependency across labelled bases (A02 without z).
  public static let dependent = "x1<base [xbr], y1<base [ybr], y2<y1 dep:x1"
  /// Alembic's docs graph (networking depends on a revision of the main tree), in the load
  /// order of an Alembic project: file names sorted, so ids sorted.
  public static let docs =
    "109ec7d132bf<3cac04ae8714, 1975ea83b712<base, 27c6a30d7c24<1975ea83b712 [shoppingcart], 29f859a13ea<109ec7d132bf, 2a95102259be<29f859a13ea dep:55af2cb1c267, 3cac04ae8714<base [networking], 55af2cb1c267<ae1027a6acf, ae1027a6acf<1975ea83b712, d747a8a8879<27c6a30d7c24"
}
