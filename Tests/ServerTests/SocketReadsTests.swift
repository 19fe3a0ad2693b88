import AuctionCore
@testable import AuctionServer
import Testing

/// The sockets' reads through a metered store, counted as the server's metrics count them.
@Suite("Socket reads")
struct SocketReadsTests {
    static func calls(_ metrics: ServerMetrics, _ operation: String) -> Double {
        MetricsTests.samples(metrics, "auction_store_call_duration_seconds_count")[
            "auction_store_call_duration_seconds_count{operation=\"\(operation)\"}"] ?? 0
    }

    @Test func aReplayPageServesTheSocketsOfItsWindowUntilTheLogOutgrowsIt() async throws {
        let (base, lot, bidder) = try await WebSocketHubTests.lotWithBidder()
        let metrics = ServerMetrics()
        let store = MeteredStore(base: base, metrics: metrics)
        let reads = SocketReads(store: store)
        for _ in 0..<3 { _ = try await SocketRig.bid(store: base, lotID: lot.id, bidderID: bidder.id) }
        let first = try await reads.events(in: .lot(lot.id), since: 1, limit: 500, through: 3)
        #expect(first.map(\.seq) == [2, 3])
        // Sockets resuming with the same since: the kept page, no store call.
        for _ in 0..<100 {
            #expect(try await reads.events(in: .lot(lot.id), since: 1, limit: 500, through: 3) == first)
        }
        #expect(Self.calls(metrics, "events") == 1)
        // Another window is another read.
        #expect(try await reads.events(in: .lot(lot.id), since: 2, limit: 500, through: 3).map(\.seq) == [3])
        #expect(Self.calls(metrics, "events") == 2)
        // A socket that knows of a later event does not take the old page.
        _ = try await SocketRig.bid(store: base, lotID: lot.id, bidderID: bidder.id)
        #expect(try await reads.events(in: .lot(lot.id), since: 1, limit: 500, through: 4).map(\.seq) == [2, 3, 4])
        #expect(Self.calls(metrics, "events") == 3)
    }

    @Test func aLotThatWasNotThereIsReadAgain() async throws {
        let (base, lot, _) = try await WebSocketHubTests.lotWithBidder()
        let reads = SocketReads(store: base)
        #expect(try await reads.lot(id: lot.id + 1) == nil)
        #expect(try await reads.lot(id: lot.id)?.id == lot.id)
    }
}
