import AuctionCore
@testable import AuctionServer
import Foundation
import SQLiteBackend
import Testing

/// A crowd of bids on one lot: the queue sends the highest to the store and
/// answers the rest from what its answer taught, with the store's own refusal.
@Suite("Bid gate", .timeLimit(.minutes(10)))
struct BidGateTests {
    /// A gate one bid at a time over a metered SQLite store, and a lot at 10.00 the node knows.
    static func gateOnALot() async throws -> (ServerMetrics, any AuctionStore, BidQueue, BidGate, Lot, Date) {
        let metrics = ServerMetrics()
        let store = MeteredStore(base: try SQLiteStore.temporary(), metrics: metrics)
        try await store.migrate()
        let queue = BidQueue(batch: 1)
        let known = KnownLots()
        let gate = BidGate(store: store, known: known, queue: queue, metrics: metrics)
        let now = Timestamp.truncated(Date())
        let owner = try await store.createUser(username: "owner", passwordHash: "hash")
        let lot = try await store.createLot(
            NewLot(title: "Lamp", description: "", startingPrice: Money(cents: 10_00), ownerID: owner.id), now: now)
        known.read(lot)
        return (metrics, store, queue, gate, lot, now)
    }

    @Test func aCrowdOfRaisesCostsTheStoreOneCall() async throws {
        let (metrics, store, queue, gate, lot, now) = try await Self.gateOnALot()
        // Eight bidders with a bid each (11.00 ... 18.00), which teaches the node all of them.
        var bidders: [User] = []
        for index in 1...8 {
            let bidder = try await store.createUser(username: "bidder\(index)", passwordHash: "hash")
            bidders.append(bidder)
            _ = try await gate.placeBid(
                lotID: lot.id, request: BidRequest(bidderID: bidder.id, amount: Money(cents: 10_00 + Int64(index) * 100), mode: .create),
                now: now, idempotency: nil)
        }
        let storeCalls = { MetricsTests.samples(metrics, "auction_")[#"auction_store_call_duration_seconds_count{operation="place_bid"}"#] ?? 0 }
        let before = storeCalls()
        // The test holds the lot's turn while the crowd, all above the known minimum 18.01, arrives.
        #expect(try await queue.take(lotID: lot.id, request: BidRequest(bidderID: 0, amount: nil, mode: .raise), now: now) == .yours)
        let answers = await withTaskGroup(of: (Int64, Result<Money, AuctionError>).self) { group in
            for (index, bidder) in bidders.enumerated() {
                let request = BidRequest(bidderID: bidder.id, amount: Money(cents: 20_00 + Int64(index) * 100), mode: .raise)
                group.addTask {
                    do {
                        return (bidder.id, .success(try await gate.placeBid(lotID: lot.id, request: request, now: now, idempotency: nil).bid.amount))
                    } catch {
                        return (bidder.id, .failure(error as! AuctionError))
                    }
                }
                while queue.waiting(lotID: lot.id) < index + 1 { await Task.yield() }
            }
            queue.release(lotID: lot.id) { _, _ in false }
            var answers: [Int64: Result<Money, AuctionError>] = [:]
            for await (bidder, answer) in group { answers[bidder] = answer }
            return answers
        }
        let highest = bidders.last!.id
        #expect(answers[highest] == .success(Money(cents: 27_00)))
        for bidder in bidders.dropLast() {
            #expect(answers[bidder.id] == .failure(.bidTooLow(minimum: Money(cents: 27_01))))
        }
        #expect(storeCalls() == before + 1)
        #expect(try await store.lot(id: lot.id)?.highestPrice == Money(cents: 27_00))
        #expect(queue.waiting(lotID: lot.id) == 0)
    }

    @Test("a bid the node cannot judge (a first POST) does not wait for the lot's turn")
    func anUnjudgedBidGoesStraightToTheStore() async throws {
        let (_, store, queue, gate, lot, now) = try await Self.gateOnALot()
        let bidder = try await store.createUser(username: "ben", passwordHash: "hash")
        // The turn stays held for the whole test: a bid that waited for it would never end (the time limit).
        #expect(try await queue.take(lotID: lot.id, request: BidRequest(bidderID: 0, amount: nil, mode: .raise), now: now) == .yours)
        let placed = try await gate.placeBid(
            lotID: lot.id, request: BidRequest(bidderID: bidder.id, amount: Money(cents: 11_00), mode: .create),
            now: now, idempotency: nil)
        #expect(placed.bid.amount == Money(cents: 11_00))
        // Now the node knows Ben has a bid: his raise waits.
        let raise = Task {
            try await gate.placeBid(
                lotID: lot.id, request: BidRequest(bidderID: bidder.id, amount: Money(cents: 12_00), mode: .raise),
                now: now, idempotency: nil)
        }
        while queue.waiting(lotID: lot.id) == 0 { await Task.yield() }
        queue.release(lotID: lot.id) { _, _ in false }
        #expect(try await raise.value.bid.amount == Money(cents: 12_00))
    }

    @Test("only a store that could not decide lets the waiters go unqueued; a rule's refusal does not")
    func whatCountsAsAStoreFailure() {
        #expect(!BidGate.isFailure(AuctionError.bidTooLow(minimum: Money(cents: 10_01))))
        #expect(!BidGate.isFailure(AuctionError.lotFinished))
        #expect(BidGate.isFailure(AuctionError.unavailable("down")))
        #expect(BidGate.isFailure(CancellationError()))
    }
}
