// TEMPORARY STUB (not committed): replaced by the scanner from branch pg-scanner.
enum PostgreSQLStatements {
  struct Statement: Equatable, Sendable {
    var range: Range<Int>
    var line: Int
  }
  static func split(_ bytes: [UInt8]) -> [Statement] { [] }
  static func skipTrivia(_ bytes: [UInt8], from offset: Int, end: Int) -> Int { offset }
  static func isComplete(_ bytes: some Collection<UInt8>) -> Bool { false }
  static func line(ofCharacter position: Int, in statement: some Collection<UInt8>) -> Int { 1 }
}
