import AuctionCore
import Foundation
import TestSupport
import Testing

/// The races' audit of visible prices: it lets exactly the tie API.md forces pass.
@Suite struct VisiblePriceAuditTests {
    private static let names: [Int64: String] = [1: "a", 2: "b", 3: "c"]

    private static func lot() -> Lot {
        Lot(
            id: 1, title: "Clock", description: "A clock", startingPrice: Money(cents: 10_00), status: .running,
            highestPrice: Money(cents: 10_00), highestBidder: nil, bidCount: 0, ownerID: 9, owner: "owner",
            createdAt: Date(), endsAt: nil, minIncrement: Money(cents: 1_00), softCloseSeconds: nil, seq: 0)
    }

    private static func money(_ units: Int64) -> Money { Money(cents: units * 100) }

    @Test func aBidAtTheLeadersMaximumIsTheOneTie() throws {
        var replay = ProxyReplay(lot: Self.lot())
        try replay.apply(BidRequest(bidderID: 3, amount: Self.money(61), maxAmount: Self.money(80), mode: .create), now: Date(), names: Self.names)
        try replay.apply(BidRequest(bidderID: 2, amount: Self.money(70), mode: .create), now: Date(), names: Self.names)
        try replay.apply(BidRequest(bidderID: 1, amount: Self.money(80), mode: .create), now: Date(), names: Self.names)
        #expect(replay.audit.ties == [VisiblePriceAudit.Visible(bidder: "c", amount: Self.money(80), auto: true)])
        #expect(replay.audit.violations.isEmpty)
        #expect(replay.leading == [true, false, false])
        #expect(replay.state.lot.highestBidder == "c" && replay.state.lot.highestPrice == Self.money(80))
    }

    @Test func anEqualPairIsAViolationOtherwise() {
        let own = VisiblePriceAudit.Visible(bidder: "a", amount: Self.money(80), auto: false)
        let raise = VisiblePriceAudit.Visible(bidder: "c", amount: Self.money(80), auto: true)
        var audit = VisiblePriceAudit()
        // The requester's maximum is above their amount: the raise should have gone above it.
        audit.record(.init(placed: [own, raise], leader: "c", leaderMaximum: Self.money(90), bidderMaximum: Self.money(85), leaderKept: true))
        // The leader's raise stops short of their maximum at the bid it answers.
        audit.record(.init(placed: [own, raise], leader: "c", leaderMaximum: Self.money(90), bidderMaximum: Self.money(80), leaderKept: true))
        // A request's own bid not above the price before it.
        audit.record(.init(placed: [own], leader: "c", leaderMaximum: Self.money(90), bidderMaximum: Self.money(80), leaderKept: false))
        #expect(audit.ties.isEmpty)
        #expect(audit.violations.count == 4)
    }
}
