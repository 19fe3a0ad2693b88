import AuctionCore
import Sessions
import TestSupport

/// The session stores the conformance suite runs on.
enum SessionBackend: String, CaseIterable, CustomStringConvertible {
    case memory
    case redis

    var description: String { rawValue }

    /// A new store on the test server (throws when the server's URL is missing).
    func makeStore() throws -> any SessionStore {
        switch self {
        case .memory: InMemorySessionStore()
        case .redis: try RedisSessionStore(url: ServiceEnvironment.redisURL())
        }
    }
}
