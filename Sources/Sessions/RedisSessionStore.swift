import AuctionCore
import Foundation
import RedisClient

/// Sessions in Redis, shared by every server process: key `auction:session:<id>`
/// holding the user id, set to expire with the token, so Redis forgets ended
/// sessions by itself. Every error (Redis down, a refusal) is
/// `AuctionError.unavailable`, within the pool's bounded timeouts.
public final class RedisSessionStore: SessionStore {
    static let keyPrefix = "auction:session:"
    private let pool: RedisConnectionPool

    public convenience init(url: URL, poolSize: Int = 4) throws {
        try self.init(configuration: RedisConfiguration(url: url), poolSize: poolSize)
    }

    public init(configuration: RedisConfiguration, poolSize: Int = 4) {
        self.pool = RedisConnectionPool(configuration: configuration, size: poolSize)
    }

    static func key(_ id: String) -> String { keyPrefix + id }

    /// Connections open on first use; nothing to run.
    public func run() async throws {}

    public func create(id: String, userID: Int64, expiresAt: Date) async throws {
        // PX (a duration) rather than PXAT (an instant), so the Redis host's
        // clock does not matter: the session lasts as long as this process thinks.
        let milliseconds = Int64((expiresAt.timeIntervalSinceNow * 1000).rounded(.up))
        guard milliseconds > 0 else {
            // Already expired: Redis refuses a PX of 0 or less; no session is the same.
            _ = try await command(["DEL", Self.key(id)])
            return
        }
        _ = try await command(["SET", Self.key(id), String(userID), "PX", String(milliseconds)])
    }

    public func isActive(id: String) async throws -> Bool {
        try await command(["EXISTS", Self.key(id)]) == .integer(1)
    }

    public func revoke(id: String) async throws {
        _ = try await command(["DEL", Self.key(id)])
    }

    public func ping() async throws {
        let reply = try await command(["PING"])
        guard reply == .status("PONG") else {
            throw AuctionError.unavailable("the session store (Redis) answered PING with \(reply)")
        }
    }

    /// The user of a live session (nil when absent or expired).
    package func userID(of id: String) async throws -> Int64? {
        try await command(["GET", Self.key(id)]).text.flatMap { Int64($0) }
    }

    private func command(_ arguments: [String]) async throws -> RedisValue {
        let reply: RedisValue
        do {
            reply = try await pool.command(arguments)
        } catch {
            throw AuctionError.unavailable("the session store (Redis) cannot be reached: \(error)")
        }
        if case .error(let message) = reply {
            throw AuctionError.unavailable("the session store (Redis) refused \(arguments[0]): \(message)")
        }
        return reply
    }
}
