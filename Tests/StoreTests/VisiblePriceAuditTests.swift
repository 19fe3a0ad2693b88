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
        // API.md's example at (4): c leads at 61 with maximum 80; b's 70 is raised past;
        // a bids exactly 80, c's maximum, so c's raise is 80 too.
        let requests = [
            BidRequest(bidderID: 3, amount: Self.money(61), maxAmount: Self.money(80), mode: .create),
            BidRequest(bidderID: 2, amount: Self.money(70), mode: .create),
            BidRequest(bidderID: 1, amount: Self.money(80), mode: .create),
        ]
        for request in requests { try replay.apply(request, now: Date(), names: Self.names) }
        #expect(replay.audit.ties == [VisiblePriceAudit.Visible(bidder: "c", amount: Self.money(80), auto: true)])
        #expect(replay.audit.violations.isEmpty)
        #expect(replay.leading == [true, false, false])
        #expect(replay.state.lot.highestBidder == "c" && replay.state.lot.highestPrice == Self.money(80))
    }

    /// Each case changes one condition of the tie from the one that passes.
    @Test func anEqualPairIsAViolationOtherwise() {
        let own = VisiblePriceAudit.Visible(bidder: "a", amount: Self.money(80), auto: false)
        let raise = VisiblePriceAudit.Visible(bidder: "c", amount: Self.money(80), auto: true)
        func audit(leaderMaximum: Int64 = 80, bidderMaximum: Int64 = 80, kept: Bool = true) -> VisiblePriceAudit {
            var audit = VisiblePriceAudit()
            audit.record(.init(
                placed: [own, raise], leader: "c", leaderMaximum: Self.money(leaderMaximum),
                bidderMaximum: Self.money(bidderMaximum), leaderKept: kept))
            return audit
        }
        let tie = audit()
        #expect(tie.ties == [raise] && tie.violations.isEmpty)
        // The requester's maximum is above their amount: the raise should have gone above it.
        #expect(audit(bidderMaximum: 85).violations.count == 1)
        // The leader's raise stops short of their maximum.
        #expect(audit(leaderMaximum: 90).violations.count == 1)
        // The leader did not keep the lead.
        #expect(audit(kept: false).violations.count == 1)

        // A request's own bid not above the price before it.
        var audit = VisiblePriceAudit()
        audit.record(.init(
            placed: [raise], leader: nil, leaderMaximum: nil, bidderMaximum: Self.money(80), leaderKept: false))
        audit.record(.init(
            placed: [own], leader: "c", leaderMaximum: Self.money(90), bidderMaximum: Self.money(80), leaderKept: false))
        #expect(audit.ties.isEmpty && audit.violations.count == 1)
    }
}
