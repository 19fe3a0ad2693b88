import Foundation
import RedisClient

extension RedisTestServer {
    /// The client configuration of this server.
    public var configuration: RedisConfiguration { RedisConfiguration(host: "127.0.0.1", port: port) }
}

/// How long `body` takes.
public func measure(_ body: () async throws -> Void) async rethrows -> Duration {
    let start = ContinuousClock.now
    try await body()
    return ContinuousClock.now - start
}
