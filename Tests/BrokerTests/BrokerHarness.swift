import AuctionCore
import Foundation
import Testing

/// Helpers shared by the broker tests: running brokers, making events, reading streams.
enum BrokerHarness {
    struct Timeout: Error, CustomStringConvertible {
        let what: String
        var description: String { "timed out waiting for \(what)" }
    }

    /// Runs `body` while `broker.run()` goes in a task, then cancels that task
    /// and waits for `run()` to return.
    static func withRunningBroker<T>(
        _ broker: any EventBroker, _ body: (any EventBroker) async throws -> T
    ) async throws -> T {
        let runner = Task { try await broker.run() }
        do {
            let result = try await body(broker)
            runner.cancel()
            _ = await runner.result
            return result
        } catch {
            runner.cancel()
            _ = await runner.result
            throw error
        }
    }

    /// A lot id no other test uses (tests run in parallel on shared servers).
    static func uniqueLot() -> Int64 {
        Int64.random(in: 1_000_000...(1 << 52))
    }

    static func event(lot: Int64, seq: Int64, bidder: String = "alice", cents: Int64 = 1_000) -> EventRecord {
        AuctionEvent(
            lotID: lot, seq: seq, at: Date(timeIntervalSince1970: 1_800_000_000),
            kind: .bidPlaced(bidder: bidder, amount: Money(cents: cents))
        ).record
    }

    /// Publishes probe events on `publisher` until every stream has received one,
    /// so that a subscription made asynchronously (Redis, RabbitMQ) is known to be live.
    static func waitUntilDelivering(
        from publisher: any EventBroker, to streams: [AsyncStream<EventRecord>], timeout: Duration = .seconds(20)
    ) async throws {
        let probeLot = uniqueLot()
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await withThrowingTaskGroup(of: Void.self) { waiters in
                    for stream in streams {
                        waiters.addTask {
                            for await event in stream where event.lotID == probeLot { return }
                            throw Timeout(what: "a probe event (the stream ended)")
                        }
                    }
                    try await waiters.waitForAll()
                }
                return true
            }
            group.addTask {
                var seq: Int64 = 0
                while !Task.isCancelled {
                    seq += 1
                    try? await publisher.publish(event(lot: probeLot, seq: seq, bidder: "probe"))
                    try? await Task.sleep(for: .milliseconds(50))
                }
                return false
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Timeout(what: "probe events to reach \(streams.count) subscriber(s)")
            }
            while let delivered = try await group.next() {
                if delivered { break }
            }
            group.cancelAll()
        }
    }

    /// The next `count` events of `lots` on the stream (others are skipped);
    /// fewer when the stream ends first. Throws `Timeout` after `timeout`.
    static func collect(
        _ stream: AsyncStream<EventRecord>, lots: Set<Int64>, count: Int, timeout: Duration = .seconds(30)
    ) async throws -> [EventRecord] {
        try await withThrowingTaskGroup(of: [EventRecord].self) { group in
            group.addTask {
                var received: [EventRecord] = []
                guard count > 0 else { return received }
                for await event in stream where lots.contains(event.lotID) {
                    received.append(event)
                    if received.count == count { break }
                }
                return received
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Timeout(what: "\(count) events of lots \(lots.sorted())")
            }
            let received = try await group.next()!
            group.cancelAll()
            return received
        }
    }
}
