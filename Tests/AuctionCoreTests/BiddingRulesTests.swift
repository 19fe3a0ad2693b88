import AuctionCore
import Foundation
import Testing

@Suite("BiddingRules")
struct BiddingRulesTests {
    static let ownerID: Int64 = 1
    static let bidderID: Int64 = 2
    static let now = Timestamp.date(milliseconds: 1_800_000_000_000)

    private func lot(
        status: LotStatus = .running, highest: Int64 = 10_00, increment: Int64 = 1,
        endsIn seconds: TimeInterval? = nil, softClose: Int? = nil
    ) -> Lot {
        Lot(
            id: 7, title: "Lamp", description: "A lamp", startingPrice: Money(cents: 10_00), status: status,
            highestPrice: Money(cents: highest), highestBidder: nil, bidCount: 0, ownerID: Self.ownerID,
            owner: "owner", createdAt: Self.now, endsAt: seconds.map { Self.now.addingTimeInterval($0) },
            minIncrement: Money(cents: increment), softCloseSeconds: softClose, seq: 0
        )
    }

    private func check(
        _ lot: Lot, by bidderID: Int64 = bidderID, cents: Int64, mode: BidMode = .create, hasBid: Bool = false,
        at now: Date = now
    ) throws(AuctionError) {
        try BiddingRules.check(
            lot: lot, bidderID: bidderID, amount: Money(cents: cents), mode: mode, hasBid: hasBid, now: now
        )
    }

    @Test("the minimum is the highest price plus the increment")
    func minimum() throws {
        #expect(BiddingRules.minimumBid(for: lot()) == Money(cents: 10_01))
        #expect(BiddingRules.minimumBid(for: lot(highest: 15_00, increment: 50)) == Money(cents: 15_50))
        try check(lot(), cents: 10_01)
        #expect(throws: AuctionError.bidTooLow(minimum: Money(cents: 10_01))) { try check(lot(), cents: 10_00) }
        #expect(throws: AuctionError.bidTooLow(minimum: Money(cents: 15_50))) {
            try check(lot(highest: 15_00, increment: 50), cents: 15_49)
        }
    }

    @Test("open while running and before the end")
    func isOpen() {
        #expect(BiddingRules.isOpen(lot(), at: Self.now))
        #expect(!BiddingRules.isOpen(lot(status: .finished), at: Self.now))
        #expect(BiddingRules.isOpen(lot(endsIn: 0.001), at: Self.now))
        #expect(!BiddingRules.isOpen(lot(endsIn: 0), at: Self.now))
        #expect(!BiddingRules.isOpen(lot(endsIn: -1), at: Self.now))
    }

    @Test("refusals, and which wins when several apply")
    func refusalOrder() {
        // Own lot beats everything, then a closed lot, then the mode, then the amount.
        #expect(throws: AuctionError.ownLot) { try check(lot(status: .finished), by: Self.ownerID, cents: 1) }
        #expect(throws: AuctionError.lotFinished) { try check(lot(status: .finished), cents: 1, hasBid: true) }
        #expect(throws: AuctionError.lotFinished) { try check(lot(endsIn: -1), cents: 20_00) }
        #expect(throws: AuctionError.alreadyBid) { try check(lot(), cents: 1, hasBid: true) }
        #expect(throws: AuctionError.noBidYet) { try check(lot(), cents: 1, mode: .raise) }
        #expect(throws: AuctionError.bidTooLow(minimum: Money(cents: 10_01))) {
            try check(lot(), cents: 1, mode: .raise, hasBid: true)
        }
    }

    @Test("accepted bids")
    func accepted() throws {
        try check(lot(), cents: 20_00)
        try check(lot(), cents: 20_00, mode: .raise, hasBid: true)
        try check(lot(endsIn: 10), cents: 20_00)
    }

    @Test("soft close moves the end only inside the window")
    func extendedEnd() {
        #expect(BiddingRules.extendedEnd(of: lot(), bidAt: Self.now) == nil)
        #expect(BiddingRules.extendedEnd(of: lot(endsIn: 10), bidAt: Self.now) == nil)
        #expect(BiddingRules.extendedEnd(of: lot(endsIn: 10, softClose: 0), bidAt: Self.now) == nil)
        #expect(BiddingRules.extendedEnd(of: lot(endsIn: 60, softClose: 30), bidAt: Self.now) == nil)
        #expect(BiddingRules.extendedEnd(of: lot(endsIn: 30, softClose: 30), bidAt: Self.now) == nil)
        #expect(BiddingRules.extendedEnd(of: lot(endsIn: 29, softClose: 30), bidAt: Self.now)
            == Self.now.addingTimeInterval(30))
        // The new end is kept at millisecond precision, like every stored date.
        let bidAt = Self.now.addingTimeInterval(0.000_7)
        #expect(BiddingRules.extendedEnd(of: lot(endsIn: 5, softClose: 30), bidAt: bidAt)
            == Self.now.addingTimeInterval(30))
    }
}
