@testable import AuctionBench
import Testing

@Suite("Scale targets")
struct ScaleTargetsTests {
    @Test func aReconnectMayReadOncePerLotPerWindow() {
        // One window; one more for each event committed while the clients moved, and per 5 s expired.
        #expect(ScaleTargets.allowedReads(lots: 1, eventsDuring: 0, seconds: 2, window: 5) == 1)
        #expect(ScaleTargets.allowedReads(lots: 1, eventsDuring: 1, seconds: 2, window: 5) == 2)
        #expect(ScaleTargets.allowedReads(lots: 1, eventsDuring: 1, seconds: 7, window: 5) == 4)
        #expect(ScaleTargets.allowedReads(lots: 3, eventsDuring: 0, seconds: 0, window: 5) == 3)
    }

    @Test func storeCallsAreReadFromTheMetricsText() {
        let text = """
            # TYPE auction_store_call_duration_seconds histogram
            auction_store_call_duration_seconds_bucket{operation="events",le="0.005"} 3
            auction_store_call_duration_seconds_count{operation="events"} 4
            auction_store_call_duration_seconds_count{operation="lot"} 20000
            """
        #expect(StoreCalls.count(in: text, operation: "events") == 4)
        #expect(StoreCalls.count(in: text, operation: "lot") == 20000)
        #expect(StoreCalls.count(in: text, operation: "bids") == 0)
    }

    @Test func aReconnectThatReadPerSocketMissesItsTarget() {
        var result = ScaleResult(
            scenario: "mass reconnect", sockets: 20_000, connected: 20_000, connectFailures: 0, firstError: nil,
            connectSeconds: 3, delivered: 20_000, missed: 0, duplicated: 0,
            latencyFromSent: LatencySummary(count: 20_000, p50: 100, p99: 900, max: 1000))
        result.resumeSeconds = 4
        result.allowedEventReads = 2
        result.storeEventReads = 20_000
        let reads = ScaleTargets.check(result, connectWithin: nil, p99Within: nil).first { $0.name.contains("event-page") }
        #expect(reads?.met == false)
        result.storeEventReads = 2
        #expect(ScaleTargets.check(result, connectWithin: nil, p99Within: nil).allSatisfy { $0.met })
    }
}
