import Testing

@testable import Graph

/// Runs `body` and returns the ``GraphError`` it throws (records an issue when it does not).
func graphError<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> GraphError? {
  do {
    let value = try body()
    Issue.record("expected an error, got \(value)", sourceLocation: sourceLocation)
  } catch let error as GraphError {
    return error
  } catch {
    Issue.record("unexpected error type \(error)", sourceLocation: sourceLocation)
  }
  return nil
}

/// One expected outcome: a list of ids, or an error kind.
enum Outcome: Sendable, Equatable, CustomStringConvertible {
  case ids([String])
  case error(String)

  var description: String {
    switch self {
    case .ids(let ids): ids.joined(separator: ",")
    case .error(let kind): "error \(kind)"
    }
  }
}

extension Outcome {
  init(_ body: () throws -> [String]) {
    do { self = .ids(try body()) } catch let error as GraphError { self = .error(error.kind) } catch {
      self = .error("unexpected \(error)")
    }
  }
}
