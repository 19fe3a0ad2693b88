import AuctionCore
import Foundation
import Testing

/// API.md part 3's rules through the stores: the same outcomes on every backend.
extension StoreConformanceTests {
    @Test("rules: API.md's proxy example, the automatic raises in the same transaction", arguments: StoreBackend.allCases)
    func proxyExample(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.optionLot()
        let a = try await fixture.user("A")
        let b = try await fixture.user("B")
        let c = try await fixture.user("C")

        let first = try await fixture.bid(lot, by: a, 11, max: 50)
        #expect(try Visible.of(first) == [Visible("A", 11)])
        #expect(first.bid.leading && first.bid.maxAmount == Money(cents: 50_00))
        let second = try await fixture.bid(lot, by: b, 20)
        #expect(try Visible.of(second) == [Visible("B", 20), Visible("A", 21, auto: true)])
        #expect(!second.bid.leading && second.bid.amount == Money(cents: 20_00) && second.bid.maxAmount == nil)
        let third = try await fixture.bid(lot, by: b, 60, .raise)
        #expect(try Visible.of(third) == [Visible("B", 60)])
        #expect(third.bid.leading)
        let fourth = try await fixture.bid(lot, by: c, 61, max: 80)
        #expect(try Visible.of(fourth) == [Visible("C", 61)])
        let fifth = try await fixture.bid(lot, by: a, 70, max: 80, .raise)
        #expect(try Visible.of(fifth) == [Visible("A", 70), Visible("C", 80, auto: true)])
        #expect(!fifth.bid.leading && fifth.bid.amount == Money(cents: 70_00))
        #expect(fifth.bid.maxAmount == Money(cents: 80_00) && fifth.bid.id == first.bid.id)

        let final = try #require(try await fixture.store.lot(id: lot.id))
        #expect(final.highestPrice == Money(cents: 80_00) && final.highestBidder == "C")
        #expect(final.seq == 7 && final.bidCount == 3)
        let bids = try await fixture.store.bids(lotID: lot.id)
        #expect(bids.map(\.bidder) == ["C", "A", "B"])
        #expect(bids.map(\.amount.cents) == [80_00, 70_00, 60_00])
        #expect(bids.map(\.leading) == [true, false, false])
        #expect(bids.allSatisfy { $0.maxAmount == nil })
        let outcomes = [first, second, third, fourth, fifth]
        #expect(try await fixture.store.events(lotID: lot.id, since: 0, limit: 100) == outcomes.flatMap(\.events))
        // The maximums never reach the log.
        #expect(try await fixture.log(of: lot).allSatisfy { !"\($0)".contains("max") })
    }

    @Test("rules: the ladder sets the minimum from the price", arguments: StoreBackend.allCases)
    func ladder(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.optionLot(startingPrice: Money(cents: 24_99), rule: .ladder)
        let a = try await fixture.user("A")
        #expect(try await fixture.store.lot(id: lot.id)?.incrementRule == .ladder)
        func bid(_ cents: Int64, _ mode: BidMode) async throws {
            _ = try await fixture.store.placeBid(
                lotID: lot.id, bidderID: a.id, amount: Money(cents: cents), maxAmount: nil, mode: mode,
                now: fixture.now)
        }
        await #expect(throws: AuctionError.bidTooLow(minimum: Money(cents: 25_49))) { try await bid(25_48, .create) }
        try await bid(25_49, .create)
        // At 25.49 the step is 1.00.
        await #expect(throws: AuctionError.bidTooLow(minimum: Money(cents: 26_49))) { try await bid(26_48, .raise) }
        try await bid(26_49, .raise)
    }

    @Test("rules: a reserve reached by a maximum takes the price to it; the closer names a winner only then",
          arguments: StoreBackend.allCases)
    func reserve(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.optionLot(reserve: Money(cents: 100_00), endsIn: 60)
        let a = try await fixture.user("A")
        let b = try await fixture.user("B")
        try await fixture.bid(lot, by: a, 11, max: 90)
        var stored = try #require(try await fixture.store.lot(id: lot.id))
        #expect(stored.reservePrice == Money(cents: 100_00) && stored.reserveMet == false)
        let jump = try await fixture.bid(lot, by: b, 20, max: 150)
        #expect(try Visible.of(jump) == [Visible("B", 20), Visible("B", 100, auto: true)])
        stored = try #require(try await fixture.store.lot(id: lot.id))
        #expect(stored.highestPrice == Money(cents: 100_00) && stored.reserveMet == true)

        let short = try await fixture.optionLot(reserve: Money(cents: 100_00), endsIn: 60)
        try await fixture.bid(short, by: a, 50)
        let closed = try await fixture.store.closeExpiredLots(now: fixture.now.addingTimeInterval(61), limit: 10)
        let closing = try closed.map(DecodedEvent.init).filter { $0.type == "lot_closed" }
        #expect(closing.first { $0.lot_id == lot.id }?.winner == "B")
        #expect(closing.first { $0.lot_id == lot.id }?.amount == Money(cents: 100_00))
        let unmet = try #require(closing.first { $0.lot_id == short.id })
        #expect(unmet.winner == nil && unmet.amount == nil)
        #expect(closed.contains { $0.lotID == short.id && $0.json.contains(#""winner":null"#) })
    }

    @Test("rules: buy now ends the lot at once at its price", arguments: StoreBackend.allCases)
    func buyNow(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.optionLot(buyNow: Money(cents: 200_00))
        let a = try await fixture.user("A")
        let b = try await fixture.user("B")
        #expect(try await fixture.store.lot(id: lot.id)?.offeredBuyNowPrice == Money(cents: 200_00))
        let bought = try await fixture.bid(lot, by: a, 250)
        let events = try bought.events.map(DecodedEvent.init)
        #expect(events.map(\.type) == ["bid_placed", "lot_status_changed", "lot_closed"])
        #expect(events[0].amount == Money(cents: 200_00) && events[2].winner == "A")
        #expect(events[2].amount == Money(cents: 200_00) && events.map(\.seq) == [1, 2, 3])
        #expect(bought.bid.amount == Money(cents: 200_00) && bought.bid.leading)
        let stored = try #require(try await fixture.store.lot(id: lot.id))
        #expect(stored.status == .finished && stored.highestPrice == Money(cents: 200_00))
        #expect(stored.offeredBuyNowPrice == nil && stored.seq == 3)
        let before = try await fixture.snapshot(of: lot.id)
        await #expect(throws: AuctionError.lotFinished) { try await fixture.bid(lot, by: b, 300) }
        #expect(try await fixture.snapshot(of: lot.id) == before)
    }

    @Test("rules: buy now is gone after the first bid, and a running proxy answers its price",
          arguments: StoreBackend.allCases)
    func buyNowAgainstProxy(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.optionLot(buyNow: Money(cents: 200_00))
        let a = try await fixture.user("A")
        let b = try await fixture.user("B")
        try await fixture.bid(lot, by: a, 11, max: 500)
        #expect(try await fixture.store.lot(id: lot.id)?.offeredBuyNowPrice == nil)
        let answered = try await fixture.bid(lot, by: b, 200)
        #expect(try Visible.of(answered) == [Visible("B", 200), Visible("A", 201, auto: true)])
        let stored = try #require(try await fixture.store.lot(id: lot.id))
        #expect(stored.status == .running && stored.highestBidder == "A")
    }

    @Test("rules: a maximum alone is silent while leading, never below one's bid, and may take the lead",
          arguments: StoreBackend.allCases)
    func maximumAlone(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.optionLot()
        let a = try await fixture.user("A")
        let b = try await fixture.user("B")
        let first = try await fixture.bid(lot, by: a, 11, max: 50)
        let quiet = try await fixture.bid(lot, by: a, nil, max: 80, .raise, after: 5)
        #expect(quiet.events.isEmpty && quiet.bid.leading)
        #expect(quiet.bid.maxAmount == Money(cents: 80_00) && quiet.bid.amount == Money(cents: 11_00))
        #expect(quiet.bid.updatedAt == first.bid.updatedAt)
        let stored = try #require(try await fixture.store.lot(id: lot.id))
        #expect(stored.seq == 1 && stored.highestPrice == Money(cents: 11_00))

        let before = try await fixture.snapshot(of: lot.id)
        await #expect(throws: AuctionError.maximumBelowBid(current: Money(cents: 11_00))) {
            try await fixture.bid(lot, by: a, nil, max: 10, .raise)
        }
        await #expect(throws: AuctionError.noBidYet) { try await fixture.bid(lot, by: b, nil, max: 90, .raise) }
        #expect(try await fixture.snapshot(of: lot.id) == before)

        // A's maximum of 80 (set alone) answers B; then B's maximum alone takes the lead.
        let answered = try await fixture.bid(lot, by: b, 20)
        #expect(try Visible.of(answered) == [Visible("B", 20), Visible("A", 21, auto: true)])
        let overtaking = try await fixture.bid(lot, by: b, nil, max: 90, .raise)
        #expect(try Visible.of(overtaking) == [Visible("B", 81, auto: true)])
        #expect(overtaking.bid.leading && overtaking.bid.amount == Money(cents: 81_00))
        let bids = try await fixture.store.bids(lotID: lot.id)
        #expect(bids.map(\.bidder) == ["B", "A"] && bids.map(\.amount.cents) == [81_00, 21_00])
    }

    @Test("rules: an automatic raise in the soft-close window extends the lot", arguments: StoreBackend.allCases)
    func automaticRaiseExtends(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.optionLot(endsIn: 100, softCloseSeconds: 60)
        let a = try await fixture.user("A")
        let b = try await fixture.user("B")
        try await fixture.bid(lot, by: a, 11, max: 50, after: 1)
        let answered = try await fixture.bid(lot, by: b, 20, after: 70)
        let events = try answered.events.map(DecodedEvent.init)
        #expect(events.map(\.type) == ["bid_placed", "bid_placed", "lot_extended"])
        #expect(events.map(\.auto) == [nil, true, nil] && events.map(\.seq) == [2, 3, 4])
        let stored = try #require(try await fixture.store.lot(id: lot.id))
        #expect(stored.endsAt == fixture.now.addingTimeInterval(130) && stored.seq == 4)
    }
}
