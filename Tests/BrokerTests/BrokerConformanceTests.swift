import AuctionCore
import Foundation
import Testing

/// What every `EventBroker` promises, on every backend in `BrokerBackend`.
@Suite("EventBroker conformance")
struct BrokerConformanceTests {
    typealias H = BrokerHarness

    @Test("1,000 events of one lot arrive in seq order", arguments: BrokerBackend.allCases)
    func perLotOrder(_ backend: BrokerBackend) async throws {
        try await H.withRunningBroker(backend.makeBroker()) { broker in
            let stream = await broker.subscribe()
            try await H.waitUntilDelivering(from: broker, to: [stream])
            let lot = H.uniqueLot()
            let events = (1...1_000).map { H.event(lot: lot, seq: Int64($0), cents: Int64(100 + $0)) }
            let started = ContinuousClock.now
            for event in events { try await broker.publish(event) }
            let published = ContinuousClock.now - started
            let received = try await H.collect(stream, lots: [lot], count: events.count)
            #expect(received == events)
            print("\(backend): 1,000 sequential publishes in \(published), all received after \(ContinuousClock.now - started)")
        }
    }

    @Test("interleaved events of several lots keep each lot's order", arguments: BrokerBackend.allCases)
    func interleavedLots(_ backend: BrokerBackend) async throws {
        try await H.withRunningBroker(backend.makeBroker()) { broker in
            let stream = await broker.subscribe()
            try await H.waitUntilDelivering(from: broker, to: [stream])
            let lots = (0..<5).map { _ in H.uniqueLot() }
            let perLot = 200
            for seq in 1...perLot {
                for lot in lots { try await broker.publish(H.event(lot: lot, seq: Int64(seq))) }
            }
            let received = try await H.collect(stream, lots: Set(lots), count: lots.count * perLot)
            let byLot = Dictionary(grouping: received, by: \.lotID)
            for lot in lots {
                #expect(byLot[lot]?.map(\.seq) == (1...perLot).map(Int64.init))
            }
        }
    }

    @Test("20 local subscribers each get every event, in order", arguments: BrokerBackend.allCases)
    func fanOut(_ backend: BrokerBackend) async throws {
        try await H.withRunningBroker(backend.makeBroker()) { broker in
            var streams: [AsyncStream<EventRecord>] = []
            for _ in 0..<20 { streams.append(await broker.subscribe()) }
            try await H.waitUntilDelivering(from: broker, to: streams)
            let lot = H.uniqueLot()
            let events = (1...100).map { H.event(lot: lot, seq: Int64($0)) }
            for event in events { try await broker.publish(event) }
            let results = try await withThrowingTaskGroup(of: [EventRecord].self) { group in
                for stream in streams {
                    group.addTask { try await H.collect(stream, lots: [lot], count: events.count) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == streams.count)
            for received in results { #expect(received == events) }
        }
    }

    @Test("a subscriber that ends its iteration is removed; the others go on", arguments: BrokerBackend.allCases)
    func unsubscribe(_ backend: BrokerBackend) async throws {
        try await H.withRunningBroker(backend.makeBroker()) { broker in
            let counting = try #require(broker as? any CountsLocalSubscribers)
            let kept = await broker.subscribe()
            let dropped = await broker.subscribe()
            try await H.waitUntilDelivering(from: broker, to: [kept, dropped])
            #expect(counting.subscriberCount == 2)

            // A consumer that iterates until its task is cancelled.
            let consumer = Task { for await _ in dropped {} }
            try await Task.sleep(for: .milliseconds(50))
            consumer.cancel()
            await consumer.value
            #expect(counting.subscriberCount == 1)

            let lot = H.uniqueLot()
            let events = (1...50).map { H.event(lot: lot, seq: Int64($0)) }
            for event in events { try await broker.publish(event) }
            #expect(try await H.collect(kept, lots: [lot], count: events.count) == events)
            // The dropped stream has ended: what is left in it predates the cancellation.
            var late = 0
            for await event in dropped where event.lotID == lot { late += 1 }
            #expect(late == 0)
        }
    }

    @Test("publishing with no subscriber succeeds", arguments: BrokerBackend.allCases)
    func publishWithoutSubscribers(_ backend: BrokerBackend) async throws {
        try await H.withRunningBroker(backend.makeBroker()) { broker in
            let lot = H.uniqueLot()
            for seq in 1...10 { try await broker.publish(H.event(lot: lot, seq: Int64(seq))) }
            try await broker.ping()
        }
    }

    @Test("a 256 KiB event arrives intact", arguments: BrokerBackend.allCases)
    func largePayload(_ backend: BrokerBackend) async throws {
        try await H.withRunningBroker(backend.makeBroker()) { broker in
            let stream = await broker.subscribe()
            try await H.waitUntilDelivering(from: broker, to: [stream])
            let lot = H.uniqueLot()
            let bidder = String(repeating: "x", count: 256 * 1024) + " zoë \"quoted\" \\ 😀 \n end"
            let event = H.event(lot: lot, seq: 1, bidder: bidder)
            #expect(event.json.utf8.count > 256 * 1024)
            try await broker.publish(event)
            #expect(try await H.collect(stream, lots: [lot], count: 1) == [event])
        }
    }

    @Test("a subscription made before run() starts receives events", arguments: BrokerBackend.allCases)
    func subscribeBeforeRun(_ backend: BrokerBackend) async throws {
        let broker = try backend.makeBroker()
        let stream = await broker.subscribe()
        try await H.withRunningBroker(broker) { broker in
            try await H.waitUntilDelivering(from: broker, to: [stream])
            let lot = H.uniqueLot()
            try await broker.publish(H.event(lot: lot, seq: 1))
            #expect(try await H.collect(stream, lots: [lot], count: 1).map(\.seq) == [1])
        }
    }

    @Test("when run() returns, every subscriber's stream ends", arguments: BrokerBackend.allCases)
    func runEndFinishesStreams(_ backend: BrokerBackend) async throws {
        let broker = try backend.makeBroker()
        let stream = await broker.subscribe()
        try await H.withRunningBroker(broker) { broker in
            try await H.waitUntilDelivering(from: broker, to: [stream])
        }
        // Only the leftover probes remain; then the stream ends (collect returns early).
        let rest = try await H.collect(stream, lots: [H.uniqueLot()], count: 1, timeout: .seconds(60))
        #expect(rest.isEmpty)
    }

    @Test(
        "events published on one instance reach subscribers of another (two processes)",
        arguments: BrokerBackend.allCases.filter(\.spansInstances))
    func acrossInstances(_ backend: BrokerBackend) async throws {
        let publisher = try backend.makeBroker()
        let receiver = try backend.makeBroker()
        try await H.withRunningBroker(publisher) { publisher in
            try await H.withRunningBroker(receiver) { receiver in
                let remote = await receiver.subscribe()
                let local = await publisher.subscribe()
                try await H.waitUntilDelivering(from: publisher, to: [remote, local])
                let lot = H.uniqueLot()
                let events = (1...200).map { H.event(lot: lot, seq: Int64($0)) }
                for event in events { try await publisher.publish(event) }
                #expect(try await H.collect(remote, lots: [lot], count: events.count) == events)
                #expect(try await H.collect(local, lots: [lot], count: events.count) == events)
            }
        }
    }
}
