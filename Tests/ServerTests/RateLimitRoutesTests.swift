import AuctionCore
@testable import AuctionServer
import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryBroker
import Limits
import Sessions
import Testing
import TestSupport

/// API.md "Limits" through real connections (`.live`: the peer is 127.0.0.1,
/// which the tests name a trusted proxy when they need many client addresses).
/// The limiter runs on a clock the tests move, so that a loaded machine, however
/// slow between two requests, never lets a window pass unasked.
@Suite("Rate limits on the routes")
struct RateLimitRoutesTests {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// The test settings with the limits on and `values` over them.
    static func settings(_ values: [AbsoluteConfigKey: ConfigValue]) throws -> AppSettings {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("auction-test-\(UUID().uuidString).sqlite").path
        var all: [AbsoluteConfigKey: ConfigValue] = [
            "storage.sqlite.path": .init(.string(path), isSecret: false), "auth.bcryptCost": 4, "http.port": 0,
            // As AppSettings.testing: the live client never reconnects an idle connection.
            "http.headerTimeoutMs": 600_000,
        ]
        all.merge(values) { $1 }
        return try SettingsLoader.settings(overriding: all)
    }

    /// A client address of this run's own (tests on one Redis never share one).
    static func address() -> String { "10.\(UInt8.random(in: 0...255)).\(UInt8.random(in: 0...255)).\(UInt8.random(in: 1...254))" }

    /// A live server on the settings' SQLite file whose limiter is `limiter`.
    static func run(
        _ settings: AppSettings, limiter: any RateLimiter, _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let dependencies = AuctionDependencies(
            store: try BackendFactory.makeStore(settings.storage, logger: .init(label: "test")),
            broker: InMemoryBroker(), sessions: InMemorySessionStore(), limiter: limiter)
        let app = try await buildApplication(settings: settings, dependencies: dependencies)
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: settings.sqlitePath + suffix) } }
        try await app.test(.live, body)
    }

    /// A limiter whose clock stands still until the test moves it.
    static func frozenLimiter() -> (InMemoryRateLimiter, ManualClock) {
        let clock = ManualClock()
        return (InMemoryRateLimiter(now: { clock.now }), clock)
    }

    static func login(_ client: any TestClientProtocol, _ username: String, _ password: String, from address: String? = nil)
        async throws -> Reply
    {
        try await client.call(
            .post, "/account/token", .form(["username": username, "password": password]),
            headers: address.map { [forwardedFor: $0] } ?? [:])
    }

    static func expectRefused(_ reply: Reply, _ words: String, within window: Int) throws {
        #expect(reply.status == .tooManyRequests, "\(reply.text)")
        let retry = try #require(reply.headers[.retryAfter].flatMap { Int($0) }, "Retry-After: \(reply.headers)")
        #expect(retry >= 1 && retry <= window)
        #expect(reply.detail.contains(words), "\(reply.detail)")
    }

    @Test("the 11th failed login for one username in 15 minutes is 429 from any address; the right password works after them")
    func failedLoginsPerUsername() async throws {
        let settings = try Self.settings(["limits.enabled": true, "http.trustedProxies": "127.0.0.1"])
        let (limiter, clock) = Self.frozenLimiter()
        try await Self.run(settings, limiter: limiter) { client in
            _ = try await client.register("victim", password: "right-password")
            _ = try await client.register("bystander", password: "right-password")
            // A distributed guess: every attempt from a new address.
            for attempt in 1...10 {
                let reply = try await Self.login(client, "victim", "guess-\(attempt)", from: Self.address())
                #expect(reply.status == .unauthorized, "attempt \(attempt): \(reply.text)")
            }
            // Refused before the password is looked at: the right one too.
            let refused = try await Self.login(client, "victim", "right-password", from: Self.address())
            try Self.expectRefused(refused, "failed logins", within: 900)
            // The clock stood still: the oldest failure leaves the window in exactly 15 minutes.
            #expect(refused.headers[.retryAfter] == "900")
            #expect(try await Self.login(client, "bystander", "right-password", from: Self.address()).status == .created)

            clock.advance(.seconds(899))
            #expect(try await Self.login(client, "victim", "right-password", from: Self.address()).status == .tooManyRequests)
            clock.advance(.seconds(1))
            #expect(try await Self.login(client, "victim", "right-password", from: Self.address()).status == .created)
        }
    }

    @Test("a right password is no failure: logins that work do not bring the limit closer")
    func successesAreNotCounted() async throws {
        let settings = try Self.settings(["limits.enabled": true, "limits.loginFailuresPerUsername": 2])
        try await Self.run(settings, limiter: Self.frozenLimiter().0) { client in
            _ = try await client.register("alice", password: "right-password")
            #expect(try await Self.login(client, "alice", "wrong").status == .unauthorized)
            for _ in 0..<3 { #expect(try await Self.login(client, "alice", "right-password").status == .created) }
            #expect(try await Self.login(client, "alice", "wrong").status == .unauthorized)
            try Self.expectRefused(try await Self.login(client, "alice", "wrong"), "failed logins", within: 900)
        }
    }

    @Test("POST /account/token: a client address's requests past the limit are 429; another address is not")
    func loginsPerAddress() async throws {
        let settings = try Self.settings([
            "limits.enabled": true, "http.trustedProxies": "127.0.0.1", "limits.loginsPerAddressPerMinute": 3,
        ])
        try await Self.run(settings, limiter: Self.frozenLimiter().0) { client in
            let flooder = Self.address()
            for index in 0..<3 {
                #expect(try await Self.login(client, "nobody-\(index)", "pw", from: flooder).status == .unauthorized)
            }
            try Self.expectRefused(try await Self.login(client, "nobody-9", "pw", from: flooder), "from this address", within: 60)
            #expect(try await Self.login(client, "nobody-9", "pw", from: Self.address()).status == .unauthorized)
        }
    }

    @Test("POST /account: a client address's registrations past the limit are 429; another address is not")
    func registrationsPerAddress() async throws {
        let settings = try Self.settings([
            "limits.enabled": true, "http.trustedProxies": "127.0.0.1", "limits.registrationsPerAddressPerMinute": 2,
        ])
        try await Self.run(settings, limiter: Self.frozenLimiter().0) { client in
            let address = Self.address()
            func register(_ name: String, from address: String) async throws -> Reply {
                try await client.call(
                    .post, "/account", .form(["username": name, "password": "pw-pw-pw"]),
                    headers: [Self.forwardedFor: address])
            }
            #expect(try await register("one", from: address).status == .created)
            #expect(try await register("two", from: address).status == .created)
            try Self.expectRefused(try await register("three", from: address), "registrations", within: 60)
            #expect(try await register("three", from: Self.address()).status == .created)
        }
    }

    @Test("without trusted proxies a forged X-Forwarded-For changes nothing: the peer's address is limited")
    func forgedHeaderIgnored() async throws {
        let settings = try Self.settings(["limits.enabled": true, "limits.registrationsPerAddressPerMinute": 2])
        try await Self.run(settings, limiter: Self.frozenLimiter().0) { client in
            for (index, status) in [HTTPResponse.Status.created, .created, .tooManyRequests].enumerated() {
                let reply = try await client.call(
                    .post, "/account", .form(["username": "forger-\(index)", "password": "pw-pw-pw"]),
                    headers: [Self.forwardedFor: Self.address()])
                #expect(reply.status == status, "\(index): \(reply.text)")
            }
        }
    }

    @Test("bids past the per-user limit in a second are 429 (POST and PATCH alike); another user bids on")
    func bidsPerUser() async throws {
        let settings = try Self.settings(["limits.enabled": true, "limits.bidsPerUserPerSecond": 3])
        let (limiter, clock) = Self.frozenLimiter()
        try await Self.run(settings, limiter: limiter) { client in
            let owner = try await client.register("owner"), fast = try await client.register("fast")
            let other = try await client.register("other")
            let lot = try await client.createLot(owner)
            // Four bids within one second (the limiter's clock stands still).
            let replies = [
                try await client.bid(fast, lot: lot, "11"),
                try await client.bid(fast, lot: lot, "12", method: .patch),
                try await client.bid(fast, lot: lot, "13", method: .patch),
                try await client.bid(fast, lot: lot, "14", method: .patch),
            ]
            #expect(replies.map(\.status) == [.created, .ok, .ok, .tooManyRequests], "\(replies.map(\.text))")
            try Self.expectRefused(replies[3], "Too many bids", within: 1)
            #expect(try await client.bid(other, lot: lot, "20").status == .created)
            clock.advance(.seconds(1))
            #expect(try await client.bid(fast, lot: lot, "21", method: .patch).status == .ok)
            #expect(try await client.lot(lot).highestPrice == 21)
        }
    }

    @Test("limits.enabled false: no limit applies")
    func switchedOff() async throws {
        let settings = try Self.settings(["limits.enabled": false, "limits.registrationsPerAddressPerMinute": 1])
        try await TestApp.run(.live, settings: settings) { client in
            for index in 0..<3 {
                let reply = try await client.call(.post, "/account", .form(["username": "u\(index)", "password": "pw-pw-pw"]))
                #expect(reply.status == .created)
            }
        }
    }

    @Test("a limiter that cannot answer lets requests through")
    func limiterDownFailsOpen() async throws {
        let settings = try Self.settings(["limits.enabled": true, "limits.registrationsPerAddressPerMinute": 1])
        try await Self.run(settings, limiter: UnreachableLimiter()) { client in
            for index in 0..<3 {
                let reply = try await client.call(.post, "/account", .form(["username": "u\(index)", "password": "pw-pw-pw"]))
                #expect(reply.status == .created)
            }
        }
    }

    @Test("with sessions on Redis the limit holds across nodes")
    func clusterWide() async throws {
        let redis = try ServiceEnvironment.redisURL()
        let values: [AbsoluteConfigKey: ConfigValue] = [
            "limits.enabled": true, "http.trustedProxies": "127.0.0.1", "limits.registrationsPerAddressPerMinute": 2,
            "sessions.kind": "redis", "sessions.url": .init(.string(redis.absoluteString), isSecret: false),
        ]
        let (first, second) = (try Self.settings(values), try Self.settings(values))
        let address = Self.address()
        let prefix = String(UUID().uuidString.prefix(8))
        @Sendable func register(_ client: any TestClientProtocol, _ index: Int) async throws -> HTTPResponse.Status {
            try await client.call(
                .post, "/account", .form(["username": "\(prefix)-\(index)", "password": "pw-pw-pw"]),
                headers: [Self.forwardedFor: address]
            ).status
        }
        try await TestApp.run(.live, settings: first) { node1 in
            try await TestApp.run(.live, settings: second) { node2 in
                let statuses = [
                    try await register(node1, 1), try await register(node2, 2),
                    try await register(node1, 3), try await register(node2, 4),
                ]
                #expect(statuses == [.created, .created, .tooManyRequests, .tooManyRequests])
            }
        }
    }
}

/// A limiter whose server is gone.
private struct UnreachableLimiter: RateLimiter {
    func run() async throws {}
    func acquire(_ key: String, limit: RateLimit) async throws -> RateDecision {
        throw AuctionError.unavailable("the rate limiter is unreachable")
    }
    func release(_ key: String, limit: RateLimit) async throws {
        throw AuctionError.unavailable("the rate limiter is unreachable")
    }
    func ping() async throws { throw AuctionError.unavailable("the rate limiter is unreachable") }
}
