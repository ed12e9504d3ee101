/// Writes a revision history as a Graphviz DOT digraph.
///
/// The output is a pure function of the graph, the selection, the missing references and
/// the database state: the same input gives byte-identical text, which `dot` accepts. It
/// shows one node per revision (short id, message, declared branch labels), an edge from
/// each `down_revision` to its revision, dashed edges for `depends_on`, and a legend:
///
/// - heads have a thick outline, bases diagonal corners, merge points a shape wide at the
///   top, branch points a shape wide at the bottom (both: a hexagon);
/// - each branch label has one colour, derived from its name, used for every revision
///   that carries it;
/// - with a ``DiagramState``, applied revisions are filled, pending ones hollow, and
///   version-table rows get a double outline;
/// - missing files (see ``RevisionGraph/drawable(records:)``) are dotted ghost nodes, and
///   parents outside the selection are shown as grey stubs;
/// - with ``collapse``, linear runs longer than that are folded into one node.
///
/// ```swift
/// let dot = DOTWriter(collapse: 10).render(graph, revisions: try graph.history(range: "ae10:"))
/// ```
public struct DOTWriter: Sendable {
  /// The direction the history grows in.
  public enum Direction: String, Sendable, CaseIterable {
    /// Bases at the top, heads at the bottom.
    case topToBottom = "TB"
    /// Bases on the left, heads on the right.
    case leftToRight = "LR"
  }

  /// The direction the history grows in.
  public var direction: Direction
  /// Linear runs longer than this are folded into one node; nil keeps every revision.
  ///
  /// A run is a chain of revisions with one parent and one child each, no `depends_on`
  /// either way, no declared label, and the same applied state; heads, bases, merge and
  /// branch points and version-table rows always stay visible.
  public var collapse: Int?
  /// Whether to add the legend.
  public var includesLegend: Bool
  /// Messages longer than this many characters are cut (with an ellipsis).
  public var messageLength: Int

  /// Creates a writer.
  public init(
    direction: Direction = .topToBottom, collapse: Int? = nil, includesLegend: Bool = true, messageLength: Int = 40
  ) {
    self.direction = direction
    self.collapse = collapse
    self.includesLegend = includesLegend
    self.messageLength = messageLength
  }

  /// Returns the DOT text for a history.
  ///
  /// - Parameters:
  ///   - graph: The history.
  ///   - revisions: The revisions to draw (for example the result of
  ///     ``RevisionGraph/history(range:current:)``), in any order; nil draws all of them.
  ///   - missing: References to revisions without a file, drawn as ghosts.
  ///   - state: The database state, when known.
  /// - Returns: The digraph, ending in a newline.
  /// - Complexity: O(*v* + *e*) plus sorting the ids once for short ids.
  public func render(
    _ graph: RevisionGraph, revisions: [RevisionGraph.Index]? = nil, missing: [MissingReference] = [],
    state: DiagramState? = nil
  ) -> String {
    String(decoding: renderUTF8(graph, revisions: revisions, missing: missing, state: state), as: UTF8.self)
  }

  /// The text of ``render(_:revisions:missing:state:)`` as UTF-8 bytes, written without a
  /// `String` in between (17 MB for 100,000 revisions).
  public func renderUTF8(
    _ graph: RevisionGraph, revisions: [RevisionGraph.Index]? = nil, missing: [MissingReference] = [],
    state: DiagramState? = nil
  ) -> [UInt8] {
    var scene = DOTScene(graph: graph, revisions: revisions, missing: missing, state: state, writer: self)
    return scene.render()
  }
}
