import AMQPBroker
import AMQPClient
import AuctionCore
import Foundation
import Logging
import Testing
import TestSupport

@Suite("AMQP broker on a real RabbitMQ")
struct AMQPBrokerTests {
    @Test("a published event comes back to a subscriber, byte for byte")
    func roundTrip() async throws {
        try await AMQPTestSupport.withRunningBrokers { brokers in
            let broker = brokers[0]
            let stream = await broker.subscribe()
            let event = AMQPTestSupport.event(lot: 7, seq: 1, bidder: "zoë \"quoted\"")
            try await broker.publish(event)
            let received = try await AMQPTestSupport.collect(stream, count: 1)
            #expect(received == [event])
        }
    }

    @Test("1,000 events of one lot arrive in order, none missing")
    func perLotOrder() async throws {
        try await AMQPTestSupport.withRunningBrokers { brokers in
            let broker = brokers[0]
            let stream = await broker.subscribe()
            let events = (1...1_000).map { AMQPTestSupport.event(lot: 42, seq: Int64($0), cents: Int64(100 + $0)) }
            let clock = ContinuousClock()
            let elapsed = try await clock.measure {
                for event in events { try await broker.publish(event) }
            }
            let received = try await AMQPTestSupport.collect(stream, count: events.count)
            #expect(received == events)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("AMQP: 1000 sequential publishes with confirms in \(elapsed) (\(Int(1_000 / seconds))/s)")
        }
    }

    @Test("concurrent publishers on many lots: every event confirmed and delivered, each lot in order")
    func concurrentLots() async throws {
        try await AMQPTestSupport.withRunningBrokers { brokers in
            let broker = brokers[0]
            let stream = await broker.subscribe()
            let lots = 20, perLot = 100
            let clock = ContinuousClock()
            let elapsed = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for lot in 1...lots {
                        group.addTask {
                            for seq in 1...perLot {
                                try await broker.publish(AMQPTestSupport.event(lot: Int64(lot), seq: Int64(seq)))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let received = try await AMQPTestSupport.collect(stream, count: lots * perLot)
            let byLot = Dictionary(grouping: received, by: \.lotID)
            #expect(byLot.count == lots)
            for (_, events) in byLot {
                #expect(events.map(\.seq) == (1...Int64(perLot)).map { $0 })
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("AMQP: \(lots * perLot) publishes with confirms from \(lots) tasks in \(elapsed) (\(Int(Double(lots * perLot) / seconds))/s)")
        }
    }

    @Test("two broker instances: an event published on A reaches B's subscriber and A's own")
    func twoInstances() async throws {
        try await AMQPTestSupport.withRunningBrokers(count: 2) { brokers in
            let (a, b) = (brokers[0], brokers[1])
            let onA = await a.subscribe()
            let onB = await b.subscribe()
            let event = AMQPTestSupport.event(lot: 3, seq: 9)
            try await a.publish(event)
            #expect(try await AMQPTestSupport.collect(onB, count: 1) == [event])
            #expect(try await AMQPTestSupport.collect(onA, count: 1) == [event])
        }
    }

    @Test("every one of many local subscribers gets every event")
    func manySubscribers() async throws {
        try await AMQPTestSupport.withRunningBrokers { brokers in
            let broker = brokers[0]
            var streams: [AsyncStream<EventRecord>] = []
            for _ in 0..<50 { streams.append(await broker.subscribe()) }
            let events = (1...20).map { AMQPTestSupport.event(lot: 5, seq: Int64($0)) }
            for event in events { try await broker.publish(event) }
            try await withThrowingTaskGroup(of: [EventRecord].self) { group in
                for stream in streams {
                    group.addTask { try await AMQPTestSupport.collect(stream, count: events.count) }
                }
                for try await received in group {
                    #expect(received == events)
                }
            }
        }
    }

    @Test("ending an iteration unsubscribes that subscriber only")
    func unsubscribe() async throws {
        try await AMQPTestSupport.withRunningBrokers { brokers in
            let broker = brokers[0]
            let staying = await broker.subscribe()
            // The leaving subscriber's stream lives only in its task: when the task's
            // iteration ends, the stream is released, and that unsubscribes it.
            let reader = Task { try await AMQPTestSupport.collect(await broker.subscribe(), count: 1) }
            while broker.subscriberCount < 2 { try await Task.sleep(for: .milliseconds(5)) }
            let first = AMQPTestSupport.event(lot: 11, seq: 1)
            try await broker.publish(first)
            #expect(try await reader.value == [first])
            let deadline = ContinuousClock.now + .seconds(60)
            while broker.subscriberCount != 1, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(broker.subscriberCount == 1)
            let second = AMQPTestSupport.event(lot: 11, seq: 2)
            try await broker.publish(second)
            #expect(try await AMQPTestSupport.collect(staying, count: 2) == [first, second])
        }
    }

    @Test("publishing with no subscriber anywhere succeeds")
    func publishWithoutSubscribers() async throws {
        // No run(), so no queue is bound: the message is unroutable, and still confirmed.
        let idle = try AMQPTestSupport.makeBroker(exchange: AMQPTestSupport.uniqueExchange())
        try await idle.publish(AMQPTestSupport.event(lot: 1, seq: 1))
        try await idle.ping()
        // A running broker with no local subscriber drops what it receives.
        try await AMQPTestSupport.withRunningBrokers { brokers in
            #expect(brokers[0].subscriberCount == 0)
            try await brokers[0].publish(AMQPTestSupport.event(lot: 1, seq: 2))
            // Let the message come back through the queue before subscribing.
            try await Task.sleep(for: .milliseconds(500))
            let late = await brokers[0].subscribe()
            #expect(await AMQPTestSupport.staysQuiet(late, for: .milliseconds(300)))
        }
    }

    @Test("a 256 KiB event makes the round trip intact")
    func largePayload() async throws {
        try await AMQPTestSupport.withRunningBrokers { brokers in
            let broker = brokers[0]
            let stream = await broker.subscribe()
            let event = AMQPTestSupport.event(lot: 2, seq: 1, bidder: String(repeating: "ü", count: 131_072))
            #expect(event.json.utf8.count > 262_144)
            try await broker.publish(event)
            #expect(try await AMQPTestSupport.collect(stream, count: 1) == [event])
        }
    }

    @Test("a message that is not an event is dropped and the stream goes on")
    func foreignMessage() async throws {
        let exchange = AMQPTestSupport.uniqueExchange()
        try await AMQPTestSupport.withRunningBrokers(exchange: exchange) { brokers in
            let broker = brokers[0]
            let stream = await broker.subscribe()
            let connection = try await AMQPConnection.connect(
                AMQPConnectionOptions(url: broker.url, name: "foreign"), logger: Logger(label: "test"))
            try await connection.publish(exchange: exchange, routingKey: "lot.1", body: Array("not json".utf8))
            await connection.close()
            let event = AMQPTestSupport.event(lot: 1, seq: 1)
            try await broker.publish(event)
            #expect(try await AMQPTestSupport.collect(stream, count: 1) == [event])
        }
    }

    @Test("the routing key is lot.<id>, on the configured topic exchange")
    func routing() async throws {
        #expect(AMQPBroker.routingKey(lotID: 12) == "lot.12")
        let exchange = AMQPTestSupport.uniqueExchange()
        let broker = try AMQPTestSupport.makeBroker(exchange: exchange)
        // Our own queue bound to one lot only sees that lot's events.
        let connection = try await AMQPConnection.connect(
            AMQPConnectionOptions(url: broker.url, name: "observer"), logger: Logger(label: "test"))
        try await connection.declareExchange(exchange)
        let queue = try await connection.declareQueue()
        try await connection.bindQueue(queue, exchange: exchange, routingKey: "lot.12")
        let (deliveries, continuation) = AsyncStream.makeStream(of: AMQPDelivery.self)
        try await connection.consume(queue: queue) { continuation.yield($0) }
        try await broker.publish(AMQPTestSupport.event(lot: 13, seq: 1))
        try await broker.publish(AMQPTestSupport.event(lot: 12, seq: 1))
        var iterator = deliveries.makeAsyncIterator()
        let delivery = try #require(await iterator.next())
        #expect(delivery.routingKey == "lot.12")
        #expect(delivery.exchange == exchange)
        #expect(EventRecord(json: String(decoding: delivery.body, as: UTF8.self))?.lotID == 12)
        await connection.close()
    }

    @Test("ping answers while RabbitMQ does")
    func ping() async throws {
        let broker = try AMQPTestSupport.makeBroker(exchange: AMQPTestSupport.uniqueExchange())
        try await broker.ping()
    }

    @Test(
        "run() ends on cancellation and finishes the subscribers' and the status observers' streams",
        .timeLimit(.minutes(5))
    )
    func runEndsOnCancel() async throws {
        let broker = try AMQPTestSupport.makeBroker(exchange: AMQPTestSupport.uniqueExchange())
        let stream = await broker.subscribe()
        let statuses = broker.events()
        let run = Task { try await broker.run() }
        #expect(await broker.waitUntilConsuming(timeout: .seconds(30)))
        run.cancel()
        try await run.value
        #expect(!broker.isConsuming)
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == nil)
        var seen: [AMQPBrokerEvent] = []
        for await status in statuses { seen.append(status) }
        #expect(seen == [.consuming(generation: 1)])
    }
}
