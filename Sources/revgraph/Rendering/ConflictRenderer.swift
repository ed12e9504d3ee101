import Merge
import Project

/// Renders a ``ConflictReport`` as text or JSON.
struct ConflictRenderer {
  let report: ConflictReport

  func text() -> String {
    guard report.heads.count > 1 else {
      return "nothing to compare: \(report.heads.isEmpty ? "no heads" : "one head (\(report.heads[0]))")\n"
    }
    let from = report.commonAncestors.isEmpty ? "their bases" : report.commonAncestors.joined(separator: ", ")
    var out = "branches from \(from) to \(report.heads.joined(separator: ", ")):\n"
    for branch in report.branches {
      out += "  \(branch.head): \(branch.revisions.count) revision\(branch.revisions.count == 1 ? "" : "s")\n"
    }
    if report.items.isEmpty { return out + "no database object is touched on more than one branch\n" }
    for item in report.items {
      out += "\(item.severity.rawValue) \(item.object): \(item.reason)\n"
      for branch in item.branches {
        for touch in branch.touches {
          let detail = touch.detail.isEmpty ? "" : " (\(touch.detail))"
          out +=
            "    \(touch.revision)  \(DisplayPath.relative(touch.path)):\(touch.line)  \(touch.action.rawValue)\(detail)\n"
        }
      }
    }
    let conflicts = report.conflicts.count, overlaps = report.overlaps.count
    out += "\(conflicts) conflict\(conflicts == 1 ? "" : "s"), \(overlaps) overlap\(overlaps == 1 ? "" : "s")\n"
    return out
  }

  func json() -> JSON {
    .object([
      ("heads", JSON.strings(report.heads)),
      ("common_ancestors", JSON.strings(report.commonAncestors)),
      (
        "branches",
        .array(
          report.branches.map { .object([("head", .string($0.head)), ("revisions", JSON.strings($0.revisions))]) })
      ),
      (
        "items",
        .array(
          report.items.map { item in
            .object([
              ("kind", .string(item.object.kind.rawValue)), ("name", .string(item.object.name)),
              ("severity", .string(item.severity.rawValue)), ("reason", .string(item.reason)),
              (
                "branches",
                .array(
                  item.branches.map { branch in
                    .object([
                      ("head", .string(branch.head)),
                      (
                        "touches",
                        .array(
                          branch.touches.map { touch in
                            .object([
                              ("revision", .string(touch.revision)),
                              ("path", .string(DisplayPath.relative(touch.path))),
                              ("line", .int(Int64(touch.line))), ("action", .string(touch.action.rawValue)),
                              ("detail", .string(touch.detail)),
                            ])
                          })
                      ),
                    ])
                  })
              ),
            ])
          })
      ),
      ("conflicts", .int(Int64(report.conflicts.count))),
      ("overlaps", .int(Int64(report.overlaps.count))),
    ])
  }
}
