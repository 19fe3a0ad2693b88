import AMQPBroker
import AuctionCore
import Foundation
import Logging
import Testing
import TestSupport

@Suite("AMQP broker across a RabbitMQ outage", .timeLimit(.minutes(10)))
struct AMQPReconnectTests {
    @Test("publish fails fast while RabbitMQ is down; the consumer comes back by itself")
    func reconnects() async throws {
        // The shared server must be there too (a missing URL fails the run, never skips).
        _ = try ServiceEnvironment.amqpURL()
        let clock = ContinuousClock()
        var nodeStart = Duration.zero
        let node = try await {
            var started: PrivateRabbitMQ?
            nodeStart = try await clock.measure { started = try await PrivateRabbitMQ.start() }
            return started!
        }()
        do {
            try await exercise(node: node, clock: clock)
            await node.remove()
        } catch {
            await node.remove()
            throw error
        }
        print("AMQP: private node started in \(nodeStart)")
    }

    private func exercise(node: PrivateRabbitMQ, clock: ContinuousClock) async throws {
        let broker = try AMQPTestSupport.makeBroker(exchange: "auction.events", url: node.url)
        let events = broker.events()
        let stream = await broker.subscribe()
        let run = Task { try await broker.run() }
        defer { run.cancel() }
        var eventIterator = events.makeAsyncIterator()
        #expect(await eventIterator.next() == .consuming(generation: 1))

        let before = AMQPTestSupport.event(lot: 1, seq: 1)
        try await broker.publish(before)
        var received = stream.makeAsyncIterator()
        #expect(await received.next() == before)

        try await node.stopNode()
        let lost = await eventIterator.next()
        guard case .disconnected = lost else {
            Issue.record("expected a disconnection, got \(String(describing: lost))")
            return
        }

        // Down: publish and ping fail with `unavailable`, quickly.
        for attempt in 1...3 {
            var error: (any Error)?
            let elapsed = await clock.measure {
                do { try await broker.publish(AMQPTestSupport.event(lot: 1, seq: 100 + Int64(attempt))) } catch let e { error = e }
            }
            guard case .unavailable? = error as? AuctionError else {
                Issue.record("publish while down: expected AuctionError.unavailable, got \(String(describing: error))")
                return
            }
            // 30x the 1 s connect timeout, for a loaded CI machine; waiting for the node would be unbounded.
            #expect(elapsed < .seconds(30), "publish while down took \(elapsed)")
            print("AMQP: publish while down failed in \(elapsed)")
        }
        await #expect(throws: AuctionError.self) { try await broker.ping() }

        // Up again on the same port: the consumer reconnects with no help.
        try await node.startNode()
        let nodeUp = clock.now
        let back = await eventIterator.next()
        #expect(back == .consuming(generation: 2))
        print("AMQP: consumer back \(clock.now - nodeUp) after the node accepted connections")

        // The publisher may still be in its backoff window (at most 2 s): retry briefly.
        let after = AMQPTestSupport.event(lot: 1, seq: 2)
        let deadline = clock.now + .seconds(10)
        while true {
            do {
                try await broker.publish(after)
                break
            } catch {
                guard clock.now < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(await received.next() == after)
        try await broker.ping()
        run.cancel()
        try await run.value
    }
}
