import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import TestSupport
import Testing

/// The figures of `/metrics`, each on a server (or hub) of its own.
@Suite("Metrics")
struct MetricsTests {
    /// A server with a registry of its own, so other tests' requests do not count.
    static func run(_ body: @Sendable (any TestClientProtocol, ServerMetrics) async throws -> Void) async throws {
        let settings = try TestApp.settings()
        let metrics = ServerMetrics()
        let app = try await buildApplication(settings: settings, metrics: metrics)
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: settings.sqlitePath + suffix) }
        }
        try await app.test(.router) { client in try await body(client, metrics) }
    }

    /// `name{labels}` to value, for the samples whose name starts with `prefix`.
    static func samples(_ text: String, _ prefix: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    static func samples(_ metrics: ServerMetrics, _ prefix: String) -> [String: Double] {
        samples(metrics.registry.emitToString(), prefix)
    }

    @Test func requestsAreCountedWithTheStatusAnswered() async throws {
        try await Self.run { client, _ in
            #expect(try await client.call(.get, "/lots/999").status == .notFound)
            #expect(try await client.call(.get, "/account/me").status == .unauthorized)
            #expect(try await client.call(.get, "/account/me").status == .unauthorized)
            #expect(try await client.call(.get, "/no/such/route").status == .notFound)
            #expect(try await client.call(.post, "/account", .form(["username": "m", "password": "pw"])).status == .created)
            #expect(try await client.call(.get, "/lots?limit=0").status == .unprocessableContent)
            #expect(try await client.call(.get, "/lots").status == .ok)
            let text = try await client.call(.get, "/metrics").text
            #expect(Self.samples(text, "http_requests_total") == [
                #"http_requests_total{method="GET",route="/lots/{lot_id}",status="404"}"#: 1,
                #"http_requests_total{method="GET",route="/account/me",status="401"}"#: 2,
                #"http_requests_total{method="GET",route="NotFound",status="404"}"#: 1,
                #"http_requests_total{method="POST",route="/account",status="201"}"#: 1,
                #"http_requests_total{method="GET",route="/lots",status="422"}"#: 1,
                #"http_requests_total{method="GET",route="/lots",status="200"}"#: 1,
            ])
            #expect(Self.samples(text, "http_request_duration_seconds_count")[
                #"http_request_duration_seconds_count{method="GET",route="/account/me"}"#] == 2)
            #expect(!text.contains("hb_request"))
        }
    }

    @Test func bidsAreCountedByOutcomeAndStoreCallsTimed() async throws {
        try await Self.run { client, metrics in
            let owner = try await client.register("seller")
            let bidder = try await client.register("buyer")
            let lot = try await client.createLot(owner, price: "10")
            #expect(try await client.bid(bidder, lot: lot, "11").status == .created)
            #expect(try await client.bid(bidder, lot: lot, "11", method: .patch).status == .badRequest)
            #expect(try await client.bid(bidder, lot: lot, "12").status == .badRequest)
            #expect(try await client.bid(owner, lot: lot, "20").status == .forbidden)
            #expect(try await client.bid(bidder, lot: 999, "20").status == .notFound)
            let bids = Self.samples(metrics, "auction_bids_")
            #expect(bids["auction_bids_accepted_total"] == 1)
            #expect(bids[#"auction_bids_refused_total{reason="too_low"}"#] == 1)
            #expect(bids[#"auction_bids_refused_total{reason="already_bid"}"#] == 1)
            #expect(bids[#"auction_bids_refused_total{reason="own_lot"}"#] == 1)
            #expect(bids[#"auction_bids_refused_total{reason="unknown_lot"}"#] == 1)
            #expect(bids[#"auction_bids_refused_total{reason="lot_finished"}"#] == 0)
            let calls = Self.samples(metrics, "auction_store_call_duration_seconds_count")
            #expect(calls[#"auction_store_call_duration_seconds_count{operation="place_bid"}"#] == 5)
            #expect(calls[#"auction_store_call_duration_seconds_count{operation="create_lot"}"#] == 1)
        }
    }

    @Test func processFiguresAreServed() async throws {
        try await Self.run { client, _ in
            let text = try await client.call(.get, "/metrics").text
            let process = Self.samples(text, "process_")
            #expect((process["process_cpu_seconds_total"] ?? 0) > 0)
            #expect((process["process_resident_memory_bytes"] ?? 0) > 1_000_000)
            #expect((process["process_open_fds"] ?? 0) >= 3)
            #expect(text.contains("# TYPE process_cpu_seconds_total counter"))
        }
    }

    @Test func socketsOpenAndEventsDeliveredMove() async throws {
        let rig = try await SocketRig.open()
        let metrics = rig.hub.metrics
        #expect(Self.samples(metrics, "auction_sockets_open")["auction_sockets_open"] == 1)
        await rig.hub.deliver(try await rig.bid()[0])
        await rig.hub.deliver(try await rig.bid()[0])
        #expect(try await rig.nextSeqs(2) == [1, 2])
        #expect(Self.samples(metrics, "auction_socket_events_delivered_total")["auction_socket_events_delivered_total"] == 2)
        try await rig.channel.close()
        try await rig.until("the gauge fell") {
            Self.samples(metrics, "auction_sockets_open")["auction_sockets_open"] == 0
        }
    }

    @Test func aSocketClosedAsTooSlowIsCounted() async throws {
        let rig = try await SocketRig.open(bufferLimit: 3)
        let metrics = rig.hub.metrics
        rig.channel.isWritable = false
        rig.channel.pipeline.fireChannelWritabilityChanged()
        for _ in 0..<5 {
            await rig.hub.deliver(try await rig.bid()[0])
        }
        #expect(try await rig.nextSeqs(4) == [1, 2, 3, 4])
        #expect(try #require(try await rig.nextFrame().close).code == 1013)
        #expect(Self.samples(metrics, "auction_sockets_closed_slow_total")["auction_sockets_closed_slow_total"] == 1)
    }

    @Test func eventsTheBrokerLostAreCountedAsRecovered() async throws {
        let rig = try await SocketRig.open()
        let metrics = rig.hub.metrics
        try await rig.bid()
        try await rig.bid()
        let third = try await rig.bid()
        // The broker brings only the third: the first two come from the log.
        await rig.hub.deliver(third[0])
        #expect(try await rig.nextSeqs(3) == [1, 2, 3])
        #expect(Self.samples(metrics, "auction_events_recovered_total")["auction_events_recovered_total"] == 2)
    }

    @Test func brokerReconnectionsAreCounted() async throws {
        let metrics = ServerMetrics()
        let (generations, continuation) = AsyncStream<Int>.makeStream()
        for generation in [1, 2, 3] { continuation.yield(generation) }
        continuation.finish()
        await BrokerReconnectWatch.count(generations, into: metrics)
        #expect(Self.samples(metrics, "auction_broker_reconnects_total")["auction_broker_reconnects_total"] == 2)
    }
}

/// The reconnect counter on a real Redis broker that loses its server.
@Suite("Metrics: broker reconnects")
struct BrokerReconnectMetricsTests {
    @Test func aRedisSubscriptionThatComesBackIsCounted() async throws {
        let server = try await RedisTestServer()
        let broker = try BackendFactory.makeBroker(.redis(server.url), logger: .init(label: "test"))
        let metrics = ServerMetrics()
        let watch = BrokerReconnectWatch(broker: broker, metrics: metrics)
        let events = await broker.subscribe()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await broker.run() }
            group.addTask { await watch.run() }
            defer { group.cancelAll() }
            let lot = Int64.random(in: 1_000_000...(1 << 52))
            var iterator = events.makeAsyncIterator()
            // Subscribed once the first event comes back; then the server goes away and returns.
            try await Self.publishUntilDelivered(broker, lot: lot, seq: 1, to: &iterator)
            server.kill()
            try await server.start()
            try await Self.publishUntilDelivered(broker, lot: lot, seq: 2, to: &iterator)
            let deadline = ContinuousClock.now + .seconds(30)
            while MetricsTests.samples(metrics, "auction_broker_reconnects_total")["auction_broker_reconnects_total"] != 1,
                  ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(MetricsTests.samples(metrics, "auction_broker_reconnects_total")["auction_broker_reconnects_total"] == 1)
        }
        server.kill()
    }

    /// Publishes the event every 100 ms until it arrives (at most 30 s).
    static func publishUntilDelivered(
        _ broker: any EventBroker, lot: Int64, seq: Int64, to iterator: inout AsyncStream<EventRecord>.Iterator
    ) async throws {
        let event = AuctionEvent(lotID: lot, seq: seq, at: Date(), kind: .statusChanged(.finished)).record
        let publisher = Task {
            let deadline = ContinuousClock.now + .seconds(30)
            while !Task.isCancelled, ContinuousClock.now < deadline {
                try? await broker.publish(event)
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        defer { publisher.cancel() }
        while let received = await iterator.next() {
            if received.lotID == lot, received.seq == seq { return }
        }
        Issue.record("the event stream ended")
    }
}
