import Graph

/// Renders a plan as Alembic-style "Running upgrade a -> b" lines with the version table, or JSON.
struct PlanRenderer {
  let graph: RevisionGraph
  let format: OutputOptions.Format

  /// The plan as JSON.
  static func json(_ plan: Plan) -> String { String(decoding: jsonUTF8(plan), as: UTF8.self) }

  /// The plan as JSON in UTF-8; with `sql`, also the offline script (UTF-8 bytes).
  static func jsonUTF8(_ plan: Plan, sql: [UInt8]? = nil) -> [UInt8] {
    let steps = plan.steps.map { step in
      JSON.object([("revision", .string(step.id)), ("version_table", JSON.strings(step.versionTable))])
    }
    var pairs: [(String, JSON)] = [
      ("direction", .string(plan.direction.rawValue)), ("from", JSON.strings(plan.from)),
      ("target", .string(plan.target)), ("steps", .array(steps)),
    ]
    if let sql { pairs.append(("sql", .utf8(sql))) }
    var out = JSON.object(pairs).renderedUTF8()
    out.append(UInt8(ascii: "\n"))
    return out
  }

  func render(_ plan: Plan) -> String {
    if format == .json { return Self.json(plan) }
    let formatter = RevisionFormatter(graph: graph)
    var lines = plan.steps.map { step -> String in
      let parents = graph.parentIndices(step.revision).isEmpty ? "" : formatter.parentsText(step.revision)
      let message = graph.record(step.revision).message
      let arrow =
        plan.direction == .upgrade ? "\(parents) -> \(step.id)" : "\(step.id) -> \(parents)"
      let table = step.versionTable.isEmpty ? "(empty)" : step.versionTable.joined(separator: ", ")
      return "\(plan.direction.rawValue) \(arrow)\(message.isEmpty ? "" : ", \(message)")\n    version table: \(table)"
    }
    if lines.isEmpty {
      let at = plan.from.isEmpty ? "base" : plan.from.joined(separator: ", ")
      lines = ["nothing to do: the database at \(at) is already at \(plan.target)"]
    }
    return RevisionFormatter.lines(lines)
  }
}
