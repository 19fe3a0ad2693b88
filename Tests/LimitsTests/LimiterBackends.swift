import AuctionCore
import Limits
import TestSupport

/// The rate limiters the conformance suite runs on.
enum LimiterBackend: String, CaseIterable, CustomStringConvertible {
    case memory
    case redis

    var description: String { rawValue }

    /// A new limiter on the test server (throws when the server's URL is missing).
    func makeLimiter() throws -> any RateLimiter {
        switch self {
        case .memory: InMemoryRateLimiter()
        case .redis: try RedisRateLimiter(url: ServiceEnvironment.redisURL())
        }
    }
}
