import Runner
import TestSupport
import Testing

/// The random schema pairs autogenerate's property test feeds on: valid SQLite, rows that fit
/// both schemas, every kind of change, and the same output for the same seed.
@Suite struct RandomSchemaTests {
  static let seeds = Array(UInt64(0)..<300)

  @Test("schemas load, rows fit A, and on kept columns B and A again", arguments: seeds)
  func pairIsValid(seed: UInt64) {
    let pair = RandomSchema.pair(seed: seed)
    do {
      try PairCheck.verify(pair)
    } catch {
      let changes = pair.changes.joined(separator: "\n")
      Issue.record("\(error)\n-- changes\n\(changes)\n-- from\n\(pair.from)\n-- to\n\(pair.to)\n-- rows\n\(pair.rows)")
    }
  }

  @Test("over the seeds, every kind of change occurs")
  func everyKindOccurs() {
    var counts: [RandomSchema.ChangeKind: Int] = [:]
    for seed in Self.seeds {
      for change in RandomSchema.pair(seed: seed).changes {
        guard let kind = RandomSchema.kind(of: change) else {
          Issue.record("seed \(seed): '\(change)' starts with no change kind")
          continue
        }
        counts[kind, default: 0] += 1
      }
    }
    for kind in RandomSchema.ChangeKind.allCases {
      #expect(counts[kind, default: 0] >= 5, "\(kind.rawValue) occurs \(counts[kind, default: 0]) times")
    }
  }

  /// Text that shows a feature in schema A, and how many of the pairs must show it.
  static let features: [(feature: String, text: String, pairs: Int)] = [
    ("quoted identifier", "\"", 30),
    ("composite primary key", "  PRIMARY KEY (", 20),
    ("WITHOUT ROWID", "WITHOUT ROWID", 15),
    ("table-level UNIQUE", "  UNIQUE (", 15),
    ("column UNIQUE", " UNIQUE,\n", 20),
    ("CHECK", "CHECK (", 50),
    ("named constraint", "CONSTRAINT ", 10),
    ("foreign key", "REFERENCES ", 80),
    ("table-level foreign key", "FOREIGN KEY (", 20),
    ("ON DELETE", "ON DELETE ", 40),
    ("ON UPDATE", "ON UPDATE ", 15),
    ("COLLATE", "COLLATE ", 50),
    ("CURRENT_TIMESTAMP default", "DEFAULT CURRENT_TIMESTAMP", 20),
    ("parenthesized default", "DEFAULT (", 20),
    ("untyped or BLOB column", "BLOB", 30),
    ("unique index", "CREATE UNIQUE INDEX", 30),
    ("lower() index", "(lower(", 10),
    ("DESC", " DESC", 20),
    ("partial index", ") WHERE ", 15),
    ("view", "CREATE VIEW", 100),
    ("join view", " JOIN ", 30),
    ("view on a view", "_top", 10),
    ("grouped view", "GROUP BY", 10),
    ("trigger", "CREATE TRIGGER", 100),
    ("BEFORE trigger", " BEFORE ", 40),
    ("UPDATE OF trigger", "UPDATE OF ", 10),
    ("WHEN trigger", " WHEN ", 20),
    ("log trigger", "INSERT INTO ", 15),
  ]

  @Test("over the seeds, schema A uses every feature and rows use every kind of value")
  func everyFeatureOccurs() {
    let pairs = Self.seeds.map { RandomSchema.pair(seed: $0) }
    for (feature, text, minimum) in Self.features {
      let count = pairs.filter { $0.from.contains(text) }.count
      #expect(count >= minimum, "\(feature) ('\(text)') in \(count) pairs")
    }
    let rows = pairs.map(\.rows).joined()
    #expect(rows.contains("X'00ff"), "blobs")
    #expect(rows.contains(", NULL"), "NULLs")
    #expect(pairs.filter { $0.rows.count > 200 }.count >= 150, "most pairs have several rows")
  }

  @Test("the same seed gives the same pair, another seed another pair")
  func determinism() {
    for seed: UInt64 in [0, 1, 42, 299, .max] {
      #expect(RandomSchema.pair(seed: seed) == RandomSchema.pair(seed: seed))
    }
    #expect(RandomSchema.pair(seed: 1).from != RandomSchema.pair(seed: 2).from)
  }

  @Test("generating 100 pairs takes well under a second, even in a debug build")
  func speed() {
    let elapsed = ContinuousClock().measure {
      for seed in Self.seeds.prefix(100) { _ = RandomSchema.pair(seed: seed) }
    }
    #expect(elapsed < .seconds(1), "\(elapsed)")
  }

  @Test("the checks catch rows that break B, and views and triggers that read nothing")
  func checksCanFail() {
    let table = "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);"
    let duplicate = RandomSchemaPair(
      seed: 0, from: table, to: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT UNIQUE);",
      rows: "INSERT INTO t VALUES (1, 'v1x'); INSERT INTO t VALUES (2, 'v1x');", changes: [],
      keptColumns: ["t": ["id", "a"]])
    #expect(throws: (any Error).self) { try PairCheck.verify(duplicate) }
    let brokenView = RandomSchemaPair(
      seed: 0, from: table, to: table + " CREATE VIEW v AS SELECT b FROM t;", rows: "", changes: [],
      keptColumns: ["t": ["id", "a"]])
    #expect(throws: (any Error).self) { try PairCheck.verify(brokenView) }
    let brokenTrigger = RandomSchemaPair(
      seed: 0, from: table, to: table + " CREATE TRIGGER tr AFTER UPDATE ON t BEGIN UPDATE t SET b = b WHERE 0; END;",
      rows: "INSERT INTO t VALUES (1, 'v1x');", changes: [], keptColumns: ["t": ["id", "a"]])
    #expect(throws: (any Error).self) { try PairCheck.verify(brokenTrigger) }
  }
}
