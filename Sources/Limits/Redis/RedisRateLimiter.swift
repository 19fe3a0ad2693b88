import AuctionCore
import Foundation
import RedisClient

/// Limits shared by every node: each key's log is a sorted set
/// `auction:limit:<key>` of request times (Redis's clock, in microseconds),
/// expiring one window after its latest entry. Counting is one Lua script run
/// with EVAL, so that the trim, the count and the add are one atomic step (a
/// MULTI of INCR and PEXPIRE could only keep a fixed window, which lets twice
/// the limit through across a window's edge). EVAL rather than EVALSHA: Redis
/// caches the compiled script by its hash either way, and EVAL needs no reload
/// after a Redis restart; the cost is the script's 650 bytes on each call.
/// Every error is `AuctionError.unavailable`, within the pool's bounded timeouts.
public final class RedisRateLimiter: RateLimiter {
    static let keyPrefix = "auction:limit:"
    private let pool: RedisConnectionPool

    public convenience init(url: URL, poolSize: Int = 4) throws {
        try self.init(configuration: RedisConfiguration(url: url), poolSize: poolSize)
    }

    public init(configuration: RedisConfiguration, poolSize: Int = 4) {
        self.pool = RedisConnectionPool(configuration: configuration, size: poolSize)
    }

    static func key(_ key: String) -> String { keyPrefix + key }

    /// ARGV: the limit, the window (µs), a member unique to this request.
    /// Returns 0 when counted, else the microseconds until one more fits.
    /// Times are Redis's own (TIME), so the nodes' clocks do not matter; they
    /// stay below 2^53 µs, exact in Lua's doubles, and are written with %.0f.
    static let acquireScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
        local count = redis.call('ZCARD', KEYS[1])
        if count < limit then
          redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[3])
          redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
          return 0
        end
        local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
        return math.max(1, tonumber(oldest[2]) + window - now)
        """

    public func run() async throws {}

    public func acquire(_ key: String, limit: RateLimit) async throws -> RateDecision {
        let window = limit.window.components
        let microseconds = window.seconds * 1_000_000 + window.attoseconds / 1_000_000_000_000
        let reply = try await command([
            "EVAL", Self.acquireScript, "1", Self.key(key), String(limit.count), String(max(1, microseconds)),
            UUID().uuidString,
        ])
        guard let wait = reply.integer else {
            throw AuctionError.unavailable("the rate limiter (Redis) answered EVAL with \(reply)")
        }
        return wait == 0 ? .allowed : .refused(retryAfter: .microseconds(wait))
    }

    public func release(_ key: String, limit: RateLimit) async throws {
        // The newest entry: one command, atomic by itself.
        _ = try await command(["ZPOPMAX", Self.key(key)])
    }

    public func ping() async throws {
        let reply = try await command(["PING"])
        guard reply == .status("PONG") else {
            throw AuctionError.unavailable("the rate limiter (Redis) answered PING with \(reply)")
        }
    }

    private func command(_ arguments: [String]) async throws -> RedisValue {
        let reply: RedisValue
        do {
            reply = try await pool.command(arguments)
        } catch {
            throw AuctionError.unavailable("the rate limiter (Redis) cannot be reached: \(error)")
        }
        if case .error(let message) = reply {
            throw AuctionError.unavailable("the rate limiter (Redis) refused \(arguments[0]): \(message)")
        }
        return reply
    }
}
