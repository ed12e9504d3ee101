/// Which database objects several unmerged branches touch, and how badly they collide.
///
/// A *branch* runs from the heads' common ancestors up to one head. An object touched on
/// more than one branch is an ``Item``: a ``Severity/conflict`` when one branch drops or
/// renames it, or creates it, while another touches it at all (the merged history cannot
/// apply both as written); an ``Severity/overlap`` when every branch only alters it or
/// writes rows (both apply, but review the combination).
public struct ConflictReport: Sendable, Equatable {
  /// How serious an item is.
  public enum Severity: String, Sendable, Comparable {
    case conflict, overlap

    public static func < (a: Severity, b: Severity) -> Bool { a == .conflict && b == .overlap }
  }

  /// One branch: its head and the revisions on it (not shared with every other head).
  public struct Branch: Sendable, Equatable {
    public var head: String
    /// Revision ids in load order.
    public var revisions: [String]
  }

  /// One statement of one revision that touches the object.
  public struct Touch: Sendable, Equatable {
    public var revision: String
    public var path: String
    public var line: Int
    public var action: SchemaAction
    public var detail: String
  }

  /// The touches of an object on one branch.
  public struct BranchTouches: Sendable, Equatable {
    public var head: String
    public var touches: [Touch]
  }

  /// An object touched on more than one branch.
  public struct Item: Sendable, Equatable {
    public var object: SchemaObject
    public var severity: Severity
    /// Why it is classed so, e.g. `dropped on the branch to b1, altered on the branch to b2`.
    public var reason: String
    /// The touches, one entry per branch, in head order.
    public var branches: [BranchTouches]
  }

  /// The heads compared, in the order given.
  public var heads: [String]
  /// The newest revisions every head descends from (empty when the heads share no history).
  public var commonAncestors: [String]
  /// Each head's branch.
  public var branches: [Branch]
  /// Objects touched on several branches: conflicts first, then overlaps, each by object.
  public var items: [Item]

  /// The items classed as conflicts.
  public var conflicts: [Item] { items.filter { $0.severity == .conflict } }
  /// The items classed as overlaps.
  public var overlaps: [Item] { items.filter { $0.severity == .overlap } }
}
