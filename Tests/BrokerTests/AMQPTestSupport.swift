import AMQPBroker
import AMQPClient
import AuctionCore
import Foundation
import Logging
import Testing
import TestSupport

/// Makes AMQP brokers on the test server (`TEST_AMQP_URL`) and runs them.
enum AMQPTestSupport {
    /// The exchange the shared conformance suite uses: brokers made with it see
    /// each other's events, like server processes do.
    static let sharedExchange = "auction.events.test"

    /// Settings that fail and recover faster than production's.
    static var fastSettings: AMQPBrokerSettings {
        var settings = AMQPBrokerSettings()
        settings.heartbeat = .seconds(5)
        settings.connectTimeout = .seconds(1)
        settings.confirmTimeout = .seconds(3)
        return settings
    }

    /// A broker on the test server; throws when `TEST_AMQP_URL` is missing.
    /// (The factory for `BrokerBackend.amqp`.)
    static func makeBroker(exchange: String = sharedExchange, url: URL? = nil) throws -> AMQPBroker {
        let url = try url ?? ServiceEnvironment.amqpURL()
        var logger = Logger(label: "test.amqp")
        logger.logLevel = .warning
        return try AMQPBroker(url: AMQPURL(url), exchange: exchange, settings: fastSettings, logger: logger)
    }

    /// A fresh exchange name, so that parallel tests don't see each other's events.
    static func uniqueExchange(_ test: String = #function) -> String {
        "test.\(test.prefix(while: { $0 != "(" })).\(UUID().uuidString.prefix(8))"
    }

    /// Runs `body` with brokers whose `run()` is going and whose consumers are ready.
    static func withRunningBrokers<T>(
        count: Int = 1, exchange: String = uniqueExchange(), url: URL? = nil,
        _ body: ([AMQPBroker]) async throws -> T
    ) async throws -> T {
        let brokers = try (0..<count).map { _ in try makeBroker(exchange: exchange, url: url) }
        let runs = brokers.map { broker in Task { try await broker.run() } }
        defer { for run in runs { run.cancel() } }
        for broker in brokers {
            let ready = await broker.waitUntilConsuming(timeout: .seconds(30))
            try #require(ready, "the AMQP consumer did not start within 30 s")
        }
        let result = try await body(brokers)
        for run in runs { run.cancel() }
        for run in runs { _ = try? await run.value }
        return result
    }

    static func event(lot: Int64, seq: Int64, bidder: String = "alice", cents: Int64 = 1_000) -> EventRecord {
        AuctionEvent(
            lotID: lot, seq: seq, at: Date(timeIntervalSince1970: 1_800_000_000),
            kind: .bidPlaced(bidder: bidder, amount: Money(cents: cents))
        ).record
    }

    struct Timeout: Error, CustomStringConvertible {
        let expected: Int
        let received: Int
        var description: String { "received \(received) of \(expected) events before the timeout" }
    }

    /// The first `count` events of the stream; throws `Timeout` when they take longer than `timeout`.
    static func collect(_ stream: AsyncStream<EventRecord>, count: Int,
                        timeout: Duration = .seconds(20)) async throws -> [EventRecord] {
        let box = Collected()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in stream {
                    await box.append(event)
                    if await box.count >= count { return }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Timeout(expected: count, received: await box.count)
            }
            try await group.next()
            group.cancelAll()
        }
        return await box.events
    }

    /// Whether the stream yields anything within `window`.
    static func staysQuiet(_ stream: AsyncStream<EventRecord>, for window: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in stream { return false }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: window)
                return true
            }
            let quiet = await group.next() ?? true
            group.cancelAll()
            return quiet
        }
    }

    private actor Collected {
        var events: [EventRecord] = []
        var count: Int { events.count }
        func append(_ event: EventRecord) { events.append(event) }
    }
}
