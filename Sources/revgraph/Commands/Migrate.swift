import ArgumentParser
import Graph

/// Options shared by upgrade and downgrade.
struct MigrateOptions: ParsableArguments {
  @Argument(parsing: .allUnrecognized, help: "The target (e.g. heads, ae10, branch@head, +1, -1, base).")
  var words: [String] = []
  var target: String { words.first ?? "" }
  @Flag(help: "Print the plan (each step and the version table after it) instead of running it.")
  var plan = false
  @Option(
    name: .customLong("from"),
    help: "The version table to plan from: ids, comma-separated, or 'base' for an empty database.")
  var from: RevisionList?

  func validate() throws {
    try TargetArgument.check(words)
    guard plan else {
      throw ValidationError(
        "revgraph cannot apply migrations to a database yet; pass --plan --from REVS to see what would run")
    }
    guard from != nil else {
      throw ValidationError("--plan needs --from REVS (the version table; 'base' for an empty database)")
    }
    if target.contains(":") {
      throw ValidationError("ranges (a:b) are only for offline SQL and history; give a single target")
    }
  }
}

extension MigrateOptions {
  /// Loads the graph, computes the plan with `plan(graph, target, rows)` and prints it.
  func renderPlan(
    source: SourceOptions, output: OutputOptions, _ plan: (RevisionGraph, String, [String]) throws -> Plan
  ) throws {
    try output.run {
      let graph = try source.loadGraph()
      return PlanRenderer(graph: graph, format: output.format).render(try plan(graph, target, from?.ids ?? []))
    }
  }
}

extension Revgraph {
  struct Upgrade: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Plan an upgrade to a target.")
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: MigrateOptions

    func run() throws {
      try options.renderPlan(source: source, output: output) { try $0.upgradePlan(to: $1, from: $2) }
    }
  }

  struct Downgrade: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Plan a downgrade to a target.")
    @OptionGroup var source: SourceOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: MigrateOptions

    func run() throws {
      try options.renderPlan(source: source, output: output) { try $0.downgradePlan(to: $1, from: $2) }
    }
  }
}

/// Renders a plan as Alembic-style "Running upgrade a -> b" lines with the version table, or JSON.
struct PlanRenderer {
  let graph: RevisionGraph
  let format: OutputOptions.Format

  func render(_ plan: Plan) -> String {
    if format == .json {
      let steps = plan.steps.map { step in
        JSON.object([("revision", .string(step.id)), ("version_table", JSON.strings(step.versionTable))])
      }
      return JSON.object([
        ("direction", .string(plan.direction.rawValue)), ("from", JSON.strings(plan.from)),
        ("target", .string(plan.target)), ("steps", .array(steps)),
      ]).rendered() + "\n"
    }
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

/// A single target that may start with '-' (`-1`), collected from otherwise unparsed words.
enum TargetArgument {
  static func check(_ words: [String]) throws {
    if let option = words.first(where: { $0.hasPrefix("--") }) {
      throw ValidationError("unknown option '\(option)'")
    }
    guard words.count == 1 else {
      throw ValidationError(
        words.isEmpty ? "missing target" : "give one target, not \(words.count): \(words.joined(separator: " "))")
    }
  }
}
