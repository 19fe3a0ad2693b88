import AuctionCore
import Foundation
import Testing

extension StoreConformanceTests {
    @Test("bids: the first bid must beat the starting price by the increment", arguments: StoreBackend.allCases)
    func firstBid(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot(startingPrice: Money(cents: 10_00))
        let alice = try await fixture.user("alice")

        await #expect(throws: AuctionError.bidTooLow(minimum: Money(cents: 10_01))) {
            try await fixture.bid(lot, by: alice, cents: 10_00)
        }
        let outcome = try await fixture.bid(lot, by: alice, cents: 10_01, after: 2)
        let at = fixture.now.addingTimeInterval(2)
        #expect(outcome.bid.lotID == lot.id)
        #expect(outcome.bid.amount == Money(cents: 10_01))
        #expect(outcome.bid.bidderID == alice.id)
        #expect(outcome.bid.bidder == "alice")
        #expect(outcome.bid.createdAt == at)
        #expect(outcome.bid.updatedAt == at)
        #expect(outcome.events.map(\.seq) == [1])
        #expect(try await fixture.store.bids(lotID: lot.id) == [outcome.bid])

        let updated = try #require(try await fixture.store.lot(id: lot.id))
        #expect(updated.highestPrice == Money(cents: 10_01))
        #expect(updated.highestBidder == "alice")
        #expect(updated.bidCount == 1)
        #expect(updated.seq == 1)
    }

    @Test("bids: a raise updates the bid in place", arguments: StoreBackend.allCases)
    func raiseBid(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let alice = try await fixture.user("alice")
        let first = try await fixture.bid(lot, by: alice, cents: 11_00, after: 1)
        let raised = try await fixture.bid(lot, by: alice, cents: 12_00, mode: .raise, after: 5)

        #expect(raised.bid.id == first.bid.id)
        #expect(raised.bid.amount == Money(cents: 12_00))
        #expect(raised.bid.createdAt == fixture.now.addingTimeInterval(1))
        #expect(raised.bid.updatedAt == fixture.now.addingTimeInterval(5))
        #expect(raised.events.map(\.seq) == [2])
        #expect(try await fixture.store.bids(lotID: lot.id) == [raised.bid])
        let updated = try #require(try await fixture.store.lot(id: lot.id))
        #expect(updated.bidCount == 1)
        #expect(updated.highestPrice == Money(cents: 12_00))
        #expect(updated.seq == 2)
    }

    @Test("bids: too low and equal amounts are refused with the minimum", arguments: StoreBackend.allCases)
    func tooLowAndEqual(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        try await fixture.bid(lot, by: alice, cents: 15_00)
        let before = try await fixture.snapshot(of: lot.id)

        await #expect(throws: AuctionError.bidTooLow(minimum: Money(cents: 15_01))) {
            try await fixture.bid(lot, by: bob, cents: 15_00)
        }
        await #expect(throws: AuctionError.bidTooLow(minimum: Money(cents: 15_01))) {
            try await fixture.bid(lot, by: bob, cents: 12_00)
        }
        await #expect(throws: AuctionError.bidTooLow(minimum: Money(cents: 15_01))) {
            try await fixture.bid(lot, by: alice, cents: 15_00, mode: .raise)
        }
        #expect(try await fixture.snapshot(of: lot.id) == before)
    }

    @Test("bids: the lot's minimum increment is respected", arguments: StoreBackend.allCases)
    func minimumIncrement(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot(startingPrice: Money(cents: 10_00), minIncrement: Money(cents: 1_00))
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")

        await #expect(throws: AuctionError.bidTooLow(minimum: Money(cents: 11_00))) {
            try await fixture.bid(lot, by: alice, cents: 10_99)
        }
        try await fixture.bid(lot, by: alice, cents: 11_00)
        await #expect(throws: AuctionError.bidTooLow(minimum: Money(cents: 12_00))) {
            try await fixture.bid(lot, by: bob, cents: 11_50)
        }
        try await fixture.bid(lot, by: bob, cents: 12_00)
        #expect(try await fixture.store.lot(id: lot.id)?.highestPrice == Money(cents: 12_00))
    }

    @Test("bids: refused on one's own lot, a finished lot, or after the end", arguments: StoreBackend.allCases)
    func refusedLots(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let alice = try await fixture.user("alice")

        let own = try await fixture.lot(title: "Own")
        let ownBefore = try await fixture.snapshot(of: own.id)
        await #expect(throws: AuctionError.ownLot) {
            try await fixture.bid(own, by: fixture.owner, cents: 50_00)
        }
        #expect(try await fixture.snapshot(of: own.id) == ownBefore)

        let finished = try await fixture.lot(title: "Finished")
        _ = try await fixture.store.setStatus(lotID: finished.id, status: .finished, by: fixture.owner.id, now: fixture.now)
        let finishedBefore = try await fixture.snapshot(of: finished.id)
        await #expect(throws: AuctionError.lotFinished) {
            try await fixture.bid(finished, by: alice, cents: 50_00)
        }
        #expect(try await fixture.snapshot(of: finished.id) == finishedBefore)

        // Past its end but not yet closed by the closer: still refused, also at the exact end.
        let timed = try await fixture.lot(title: "Timed", endsIn: 60)
        let timedBefore = try await fixture.snapshot(of: timed.id)
        await #expect(throws: AuctionError.lotFinished) {
            try await fixture.bid(timed, by: alice, cents: 50_00, after: 60)
        }
        await #expect(throws: AuctionError.lotFinished) {
            try await fixture.bid(timed, by: alice, cents: 50_00, after: 61)
        }
        #expect(try await fixture.snapshot(of: timed.id) == timedBefore)
        try await fixture.bid(timed, by: alice, cents: 50_00, after: 59.999)
    }

    @Test("bids: create twice is alreadyBid, raise without a bid is noBidYet", arguments: StoreBackend.allCases)
    func modeMismatch(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        try await fixture.bid(lot, by: alice, cents: 11_00)
        let before = try await fixture.snapshot(of: lot.id)

        await #expect(throws: AuctionError.alreadyBid) {
            try await fixture.bid(lot, by: alice, cents: 20_00)
        }
        await #expect(throws: AuctionError.noBidYet) {
            try await fixture.bid(lot, by: bob, cents: 20_00, mode: .raise)
        }
        #expect(try await fixture.snapshot(of: lot.id) == before)
    }

    @Test("bids: an unknown lot is lotNotFound", arguments: StoreBackend.allCases)
    func unknownLotBid(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let alice = try await fixture.user("alice")
        for mode in [BidMode.create, .raise] {
            await #expect(throws: AuctionError.lotNotFound) {
                try await fixture.store.placeBid(
                    lotID: lot.id + 1, bidderID: alice.id, amount: Money(cents: 20_00), mode: mode, now: fixture.now
                )
            }
        }
        await #expect(throws: AuctionError.lotNotFound) {
            try await fixture.store.bids(lotID: lot.id + 1)
        }
    }

    @Test("bids: listed highest first, with bidder names", arguments: StoreBackend.allCases)
    func bidsHighestFirst(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        let carol = try await fixture.user("carol")
        #expect(try await fixture.store.bids(lotID: lot.id).isEmpty)

        try await fixture.bid(lot, by: alice, cents: 11_00)
        try await fixture.bid(lot, by: bob, cents: 12_00)
        try await fixture.bid(lot, by: carol, cents: 13_00)
        try await fixture.bid(lot, by: alice, cents: 14_00, mode: .raise)

        let bids = try await fixture.store.bids(lotID: lot.id)
        #expect(bids.map(\.bidder) == ["alice", "carol", "bob"])
        #expect(bids.map(\.amount.cents) == [14_00, 13_00, 12_00])
        #expect(bids.map(\.bidderID) == [alice.id, carol.id, bob.id])
        #expect(bids.allSatisfy { $0.lotID == lot.id })
    }
}
