import TestSupport
import AuctionCore
import Foundation
import Synchronization
import RedisBroker
import RedisClient
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Outages, on a private redis-server that the tests kill, freeze and restart.
@Suite("Redis broker outages")
struct RedisReconnectTests {
    typealias H = BrokerHarness

    private func broker(_ server: RedisTestServer, commandTimeout: Duration = .seconds(1)) -> RedisBroker {
        var configuration = server.configuration
        configuration.connectTimeout = .seconds(1)
        configuration.commandTimeout = commandTimeout
        return RedisBroker(configuration: configuration, logger: quietLogger("test.redis"))
    }

    /// The next event of `events`, or nil after `timeout`.
    private func next(
        _ events: AsyncStream<RedisSubscriptionEvent>, within timeout: Duration
    ) async throws -> RedisSubscriptionEvent? {
        try await withThrowingTaskGroup(of: RedisSubscriptionEvent?.self) { group in
            group.addTask { await events.first { _ in true } }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
    }

    @Test("server killed: publish fails fast; restarted: the subscriber comes back by itself")
    func killAndRestart() async throws {
        let server = try await RedisTestServer()
        let broker = broker(server)
        let states = broker.events()
        try await H.withRunningBroker(broker) { _ in
            #expect(try await next(states, within: .seconds(60)) == .subscribed(generation: 1))
            let stream = await broker.subscribe()
            try await H.waitUntilDelivering(from: broker, to: [stream])
            let lot = H.uniqueLot()
            try await broker.publish(H.event(lot: lot, seq: 1))

            server.kill()
            let lost = try await next(states, within: .seconds(60))
            guard case .disconnected = lost else {
                Issue.record("expected a disconnection, got \(String(describing: lost))")
                return
            }
            #expect(!broker.isSubscribed)
            let failing = await measure {
                await #expect {
                    try await broker.publish(H.event(lot: lot, seq: 2))
                } throws: { error in
                    guard case AuctionError.unavailable = error else { return false }
                    return true
                }
            }
            // 30x the 2 s deadline (connect + command), for a loaded CI machine; an
            // unbounded wait would last until the server is back.
            #expect(failing < .seconds(60))
            await #expect(throws: AuctionError.self) { try await broker.ping() }

            try await server.start()
            // Resubscribed within 5x (the 2 s backoff cap + the 1 s connect timeout).
            #expect(try await next(states, within: .seconds(60)) == .subscribed(generation: 2))
            #expect(broker.isSubscribed)
            try await broker.ping()
            let events = (3...52).map { H.event(lot: lot, seq: Int64($0)) }
            for event in events { try await broker.publish(event) }
            let received = try await H.collect(stream, lots: [lot], count: 1 + events.count)
            #expect(received.map(\.seq) == [1] + (3...52).map(Int64.init))
        }
    }

    @Test("a server that stops answering (SIGSTOP) is noticed by the PING health check")
    func frozenServer() async throws {
        let server = try await RedisTestServer()
        var configuration = server.configuration
        configuration.connectTimeout = .milliseconds(500)
        configuration.commandTimeout = .milliseconds(500)
        let received = Counter()
        let subscriber = RedisSubscriber(
            configuration: configuration, patterns: ["frozen:*"], healthCheckInterval: .milliseconds(300),
            logger: quietLogger("test.redis")
        ) { _ in received.increment() }
        let states = subscriber.events()
        let runner = Task { await subscriber.run() }
        defer { runner.cancel() }
        #expect(try await next(states, within: .seconds(60)) == .subscribed(generation: 1))

        server.signal(SIGSTOP)
        let lost = try await next(states, within: .seconds(60))
        guard case .disconnected = lost else {
            Issue.record("expected a disconnection, got \(String(describing: lost))")
            server.signal(SIGCONT)
            return
        }
        // Commands to the frozen server fail within their timeout instead of hanging.
        let pool = RedisConnectionPool(configuration: configuration, size: 1)
        let elapsed = await measure {
            await #expect(throws: RedisError.self) { _ = try await pool.command("PING") }
        }
        // 5x the 1 s deadline (connect + command), for a loaded CI machine; hung would be forever.
        #expect(elapsed < .seconds(5))

        server.signal(SIGCONT)
        // Resubscribed within about 5x (the 2 s backoff cap + the 0.5 s connect timeout).
        #expect(try await next(states, within: .seconds(60)) == .subscribed(generation: 2))
        // At least our subscriber (a stale attempt may still be counted as Redis thaws).
        #expect(try await pool.command("PUBLISH", "frozen:1", "hello").integer ?? 0 >= 1)
        let deadline = ContinuousClock.now + .seconds(60)
        while received.value == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(received.value >= 1)
        runner.cancel()
        await runner.value
    }

    @Test("the subscription connection killed by the server (CLIENT KILL): resubscribed")
    func clientKill() async throws {
        let server = try await RedisTestServer()
        let broker = broker(server)
        let states = broker.events()
        try await H.withRunningBroker(broker) { _ in
            #expect(try await next(states, within: .seconds(60)) == .subscribed(generation: 1))
            let admin = RedisConnectionPool(configuration: server.configuration, size: 1)
            #expect(try await admin.command("CLIENT", "KILL", "TYPE", "pubsub") == .integer(1))
            guard case .disconnected = try await next(states, within: .seconds(60)) else {
                Issue.record("expected a disconnection")
                return
            }
            #expect(try await next(states, within: .seconds(60)) == .subscribed(generation: 2))
            let stream = await broker.subscribe()
            let lot = H.uniqueLot()
            try await broker.publish(H.event(lot: lot, seq: 1))
            #expect(try await H.collect(stream, lots: [lot], count: 1).map(\.seq) == [1])
        }
    }

    @Test("cancelling run() stops the subscriber promptly, connected or not")
    func promptStop() async throws {
        let server = try await RedisTestServer()
        let broker = broker(server)
        let runner = Task { try await broker.run() }
        #expect(await broker.waitUntilSubscribed(timeout: .seconds(60)))
        let connected = await measure {
            runner.cancel()
            _ = await runner.result
        }
        // A 100 ms poll when quiet; 5x the 1 s connect timeout it may be in, for a loaded CI machine.
        #expect(connected < .seconds(5))

        // While the server is down, the subscriber is between attempts.
        server.kill()
        let down = self.broker(server)
        let downRunner = Task { try await down.run() }
        try await Task.sleep(for: .milliseconds(700))
        let disconnected = await measure {
            downRunner.cancel()
            _ = await downRunner.result
        }
        #expect(disconnected < .seconds(5))
    }
}

/// A counter the subscriber thread bumps and the test reads.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
