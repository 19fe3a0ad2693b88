import AuctionCore

/// Runs `operation`, giving up after `seconds` with `AuctionError.unavailable`, so a
/// dependency that hangs cannot hang a request.
func withDeadline<T: Sendable>(
    _ seconds: Double, _ what: String, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            throw AuctionError.unavailable("\(what) did not answer within \(seconds) s")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
