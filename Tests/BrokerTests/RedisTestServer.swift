import Foundation
import RedisClient
import TestSupport

extension RedisTestServer {
    var configuration: RedisConfiguration { RedisConfiguration(host: "127.0.0.1", port: port) }
}

/// How long `body` takes.
func measure(_ body: () async throws -> Void) async rethrows -> Duration {
    let start = ContinuousClock.now
    try await body()
    return ContinuousClock.now - start
}
