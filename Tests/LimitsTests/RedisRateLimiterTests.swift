import AuctionCore
import Foundation
import Limits
import RedisClient
import Testing
import TestSupport

@Suite("Redis rate limiter")
struct RedisRateLimiterTests {
    @Test("a key's log is the sorted set auction:limit:<key>, expiring one window after its latest entry")
    func keyLayout() async throws {
        let url = try ServiceEnvironment.redisURL()
        let limiter = try RedisRateLimiter(url: url)
        let redis = try RedisConnectionPool(configuration: RedisConfiguration(url: url), size: 1)
        let key = "test:\(UUID().uuidString)"
        let limit = RateLimit(count: 5, window: .seconds(300))
        for _ in 0..<2 { _ = try await limiter.acquire(key, limit: limit) }
        #expect(try await redis.command("ZCARD", "auction:limit:\(key)") == .integer(2))
        let ttl = try #require(try await redis.command("PTTL", "auction:limit:\(key)").integer)
        // A minute of slack for a loaded machine.
        #expect(ttl > 240_000 && ttl <= 300_000)
        try await limiter.release(key, limit: limit)
        #expect(try await redis.command("ZCARD", "auction:limit:\(key)") == .integer(1))
    }

    @Test("two nodes share one count: the limit holds across them")
    func sharedAcrossNodes() async throws {
        let url = try ServiceEnvironment.redisURL()
        let node1 = try RedisRateLimiter(url: url), node2 = try RedisRateLimiter(url: url)
        let key = "test:\(UUID().uuidString)"
        let limit = RateLimit(count: 4, window: .seconds(60))
        for _ in 0..<2 {
            #expect(try await node1.acquire(key, limit: limit) == .allowed)
            #expect(try await node2.acquire(key, limit: limit) == .allowed)
        }
        #expect(try await node1.acquire(key, limit: limit) != .allowed)
        #expect(try await node2.acquire(key, limit: limit) != .allowed)
    }

    @Test("concurrent requests on one key: exactly `count` pass (the script is atomic)")
    func atomicUnderConcurrency() async throws {
        let limiter = try RedisRateLimiter(url: ServiceEnvironment.redisURL(), poolSize: 8)
        let key = "test:\(UUID().uuidString)"
        let limit = RateLimit(count: 10, window: .seconds(60))
        let passed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 { group.addTask { try await limiter.acquire(key, limit: limit) == .allowed } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(passed == 10)
    }

    @Test("Redis not running: every call fails fast with unavailable")
    func redisDown() async throws {
        let nobody = try LocalSocket.Reserved()  // bound, never listening: connections are refused
        defer { withExtendedLifetime(nobody) {} }
        let port = nobody.port
        let limiter = try RedisRateLimiter(url: URL(string: "redis://127.0.0.1:\(port)")!)
        let calls: [(String, () async throws -> Void)] = [
            ("acquire", { _ = try await limiter.acquire("x", limit: RateLimit(count: 1, window: .seconds(1))) }),
            ("release", { try await limiter.release("x", limit: RateLimit(count: 1, window: .seconds(1))) }),
            ("ping", { try await limiter.ping() }),
        ]
        for (name, call) in calls {
            await #expect("\(name) should fail with unavailable") {
                try await call()
            } throws: { error in
                guard case AuctionError.unavailable = error else { return false }
                return true
            }
        }
    }
}
