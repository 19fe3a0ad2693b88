import AuctionCore
import Foundation
import RedisClient
import Sessions
import Testing
import TestSupport

@Suite("Redis session store")
struct RedisSessionStoreTests {
    @Test("a session is the key auction:session:<id> holding the user id, expiring with the token")
    func keyLayout() async throws {
        let url = try ServiceEnvironment.redisURL()
        let store = try RedisSessionStore(url: url)
        let redis = try RedisConnectionPool(configuration: RedisConfiguration(url: url), size: 1)
        let id = UUID().uuidString
        try await store.create(id: id, userID: 42, expiresAt: Date().addingTimeInterval(300))
        #expect(try await redis.command("GET", "auction:session:\(id)") == .string("42"))
        #expect(try await store.userID(of: id) == 42)
        let ttl = try #require(try await redis.command("PTTL", "auction:session:\(id)").integer)
        // 300 s from creation; a minute of slack for a loaded machine (2 s was seen).
        #expect(ttl > 240_000 && ttl <= 300_000)
        try await store.revoke(id: id)
        #expect(try await redis.command("EXISTS", "auction:session:\(id)") == .integer(0))
    }

    @Test("another process's store sees the same sessions")
    func shared() async throws {
        let url = try ServiceEnvironment.redisURL()
        let node1 = try RedisSessionStore(url: url), node2 = try RedisSessionStore(url: url)
        let id = UUID().uuidString
        try await node1.create(id: id, userID: 5, expiresAt: Date().addingTimeInterval(60))
        #expect(try await node2.isActive(id: id))
        try await node2.revoke(id: id)
        #expect(try await node1.isActive(id: id) == false)
    }

    @Test("Redis not running: every call fails fast with unavailable")
    func redisDown() async throws {
        let nobody = try LocalSocket.Reserved()  // bound, never listening: connections are refused
        defer { withExtendedLifetime(nobody) {} }
        let port = nobody.port
        // 300 s timeouts: "fast" must mean the refusal, not a timeout; 60 s is slack for a loaded CI machine.
        var configuration = try RedisConfiguration(url: URL(string: "redis://127.0.0.1:\(port)")!)
        configuration.connectTimeout = .seconds(300)
        configuration.commandTimeout = .seconds(300)
        try await expectUnavailable(RedisSessionStore(configuration: configuration), within: .seconds(60))
    }

    @Test("Redis hung (accepts, never answers): unavailable within the timeouts")
    func redisHung() async throws {
        let silent = try LocalSocket.Silent()
        var configuration = try RedisConfiguration(url: silent.url)
        configuration.connectTimeout = .milliseconds(500)
        configuration.commandTimeout = .milliseconds(500)
        let store = RedisSessionStore(configuration: configuration)
        // 60x a call's 1 s deadline (connect + command): a loaded CI machine; hung would be forever.
        try await expectUnavailable(store, within: .seconds(60))
    }

    private func expectUnavailable(_ store: RedisSessionStore, within bound: Duration) async throws {
        let calls: [(String, () async throws -> Void)] = [
            ("create", { try await store.create(id: "x", userID: 1, expiresAt: Date().addingTimeInterval(60)) }),
            ("isActive", { _ = try await store.isActive(id: "x") }),
            ("revoke", { try await store.revoke(id: "x") }),
            ("ping", { try await store.ping() }),
        ]
        for (name, call) in calls {
            let start = ContinuousClock.now
            await #expect("\(name) should fail with unavailable") {
                try await call()
            } throws: { error in
                guard case AuctionError.unavailable = error else { return false }
                return true
            }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed < bound, "\(name) took \(elapsed)")
        }
    }
}
