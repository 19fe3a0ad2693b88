import AuctionCore
import Foundation
import Testing

/// `KnownLot`: the refusals a node may give without the store, and only those.
@Suite("KnownLot")
struct KnownLotTests {
    typealias Fixture = RulesFixture

    /// The lot after A's accepted bid of `price` cents (A leads), as a node learns it.
    static func known(
        _ lot: Lot = Fixture.lot(), price: Int64, learnt bidders: [Int64] = [Fixture.a, Fixture.b]
    ) -> KnownLot {
        var known = KnownLot(lot: lot)
        known.accepted(outcome(Fixture.a, cents: price, seq: 1))
        // B's raise refused at the price's minimum: B has a bid.
        for bidder in bidders where bidder != Fixture.a {
            known.refused(.bidTooLow(minimum: known.minimum), request: raise(bidder, cents: price))
        }
        return known
    }

    static func outcome(_ bidder: Int64, cents: Int64, seq: Int64) -> BidOutcome {
        let bid = Bid(
            id: 1, lotID: 7, amount: Money(cents: cents), bidderID: bidder, bidder: Fixture.names[bidder] ?? "",
            createdAt: Fixture.now, updatedAt: Fixture.now, leading: true)
        return BidOutcome(bid: bid, events: [EventRecord(lotID: 7, seq: seq, json: "{}")])
    }

    static func raise(_ bidder: Int64, cents: Int64?, max: Int64? = nil) -> BidRequest {
        BidRequest(
            bidderID: bidder, amount: cents.map(Money.init(cents:)), maxAmount: max.map(Money.init(cents:)), mode: .raise)
    }

    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        let known: KnownLot
        let request: BidRequest
        var now: Date = Fixture.now
        let refusal: AuctionError?
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(
            name: "fixed: below price + increment", known: known(price: 12_00),
            request: raise(Fixture.b, cents: 12_99), refusal: .bidTooLow(minimum: Money(cents: 13_00))),
        Row(name: "fixed: at the minimum", known: known(price: 12_00), request: raise(Fixture.b, cents: 13_00), refusal: nil),
        Row(
            name: "fixed: with a maximum, the amount decides", known: known(price: 12_00),
            request: raise(Fixture.b, cents: 12_50, max: 50_00), refusal: .bidTooLow(minimum: Money(cents: 13_00))),
        Row(
            name: "ladder: below price + the step there", known: known(Fixture.lot(rule: .ladder), price: 24_99),
            request: raise(Fixture.b, cents: 25_48), refusal: .bidTooLow(minimum: Money(cents: 25_49))),
        Row(
            name: "ladder: at the minimum", known: known(Fixture.lot(rule: .ladder), price: 24_99),
            request: raise(Fixture.b, cents: 25_49), refusal: nil),
        Row(
            name: "ladder: the next step up", known: known(Fixture.lot(rule: .ladder), price: 25_00),
            request: raise(Fixture.b, cents: 25_99), refusal: .bidTooLow(minimum: Money(cents: 26_00))),
        Row(
            name: "finished: any bid, a POST by a stranger too", known: finished(known(price: 12_00)),
            request: BidRequest(bidderID: Fixture.c, amount: Money(cents: 99_00), mode: .create), refusal: .lotFinished),
        Row(
            name: "finished: the owner hears own lot from the store", known: finished(known(price: 12_00)),
            request: raise(1, cents: 99_00), refusal: nil),
        Row(
            name: "a bidder not known to have a bid: maybe no bid yet", known: known(price: 12_00),
            request: raise(Fixture.c, cents: 11_00), refusal: nil),
        Row(
            name: "a POST: maybe already has a bid", known: known(price: 12_00),
            request: BidRequest(bidderID: Fixture.b, amount: Money(cents: 11_00), mode: .create), refusal: nil),
        Row(
            name: "a maximum alone: the store's own checks", known: known(price: 12_00),
            request: raise(Fixture.b, cents: nil, max: 11_00), refusal: nil),
        Row(
            name: "past the known end: maybe closed, maybe extended",
            known: known(Fixture.lot(endsIn: 60, softClose: 30), price: 12_00), request: raise(Fixture.b, cents: 11_00),
            now: Fixture.now.addingTimeInterval(60), refusal: nil),
        Row(
            name: "before the known end", known: known(Fixture.lot(endsIn: 60), price: 12_00),
            request: raise(Fixture.b, cents: 11_00), now: Fixture.now.addingTimeInterval(59),
            refusal: .bidTooLow(minimum: Money(cents: 13_00))),
        Row(
            name: "a store refusal's minimum above the known price's", known: refusedAt(20_00, known(price: 12_00)),
            request: raise(Fixture.b, cents: 19_99), refusal: .bidTooLow(minimum: Money(cents: 20_00))),
    ]

    static func finished(_ known: KnownLot) -> KnownLot {
        var known = known
        known.finished()
        return known
    }

    static func refusedAt(_ cents: Int64, _ known: KnownLot) -> KnownLot {
        var known = known
        known.refused(.bidTooLow(minimum: Money(cents: cents)), request: raise(Fixture.b, cents: cents - 1))
        return known
    }

    @Test("the refusal, or nil for the store", arguments: rows)
    func refusal(row: Row) {
        #expect(row.known.refusal(of: row.request, now: row.now) == row.refusal)
    }

    /// Before any bid a low amount may still be a buy now, or "no bid yet": a
    /// bidder becomes known only by an answer that proves their bid.
    @Test("no bid yet teaches nothing; an accepted bid or a too-low raise does")
    func whatTeachesABid() {
        var known = KnownLot(lot: Fixture.lot(buyNow: 50_00))
        let low = Self.raise(Fixture.b, cents: 10_50)
        #expect(known.refusal(of: low, now: Fixture.now) == nil)
        known.refused(.noBidYet, request: low)
        #expect(known.refusal(of: low, now: Fixture.now) == nil)
        known.accepted(Self.outcome(Fixture.b, cents: 12_00, seq: 1))
        #expect(known.refusal(of: low, now: Fixture.now) == .bidTooLow(minimum: Money(cents: 13_00)))
        known.refused(.bidTooLow(minimum: Money(cents: 14_00)), request: Self.raise(Fixture.c, cents: 13_50))
        #expect(known.refusal(of: Self.raise(Fixture.c, cents: 13_50), now: Fixture.now) == .bidTooLow(minimum: Money(cents: 14_00)))
    }

    @Test("a store's lotFinished and a fresh read of a finished lot are for good")
    func finishedStays() {
        var known = Self.known(price: 12_00)
        known.refused(.lotFinished, request: Self.raise(Fixture.b, cents: 99_00))
        var running = Fixture.lot()
        running.seq = 9
        known.read(running)
        #expect(known.refusal(of: Self.raise(Fixture.b, cents: 99_00), now: Fixture.now) == .lotFinished)
    }

    @Test("an older read does not lower the price an answer taught")
    func olderReadKeepsPrice() {
        var known = Self.known(price: 12_00)
        known.read(Fixture.lot())  // seq 0, the starting price
        #expect(known.minimum == Money(cents: 13_00))
        var newer = Fixture.lot()
        newer.seq = 5
        newer.highestPrice = Money(cents: 30_00)
        known.read(newer)
        #expect(known.minimum == Money(cents: 31_00))
    }

    /// What the store decides on the true lot, whose price is at or above the one
    /// the node knows: whenever the node refuses, the rules refuse too, as too low.
    @Test("a stale, lower price never refuses a bid the store would take", arguments: IncrementRule.allCases)
    func staleNeverRefusesAValidBid(rule: IncrementRule) throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let knownPrice = Int64.random(in: 10_01...6_000_00, using: &random)
            let truePrice = knownPrice + Int64.random(in: 0...2_000_00, using: &random)
            let amount = Int64.random(in: 1...(truePrice + 200_00), using: &random)
            let known = Self.known(Fixture.lot(rule: rule), price: knownPrice)
            var lot = Fixture.lot(rule: rule)
            (lot.highestPrice, lot.highestBidderID, lot.bidCount) = (Money(cents: truePrice), Fixture.a, 2)
            let request = Self.raise(Fixture.b, cents: amount)
            let standing = StandingBid(amount: Money(cents: 10_01), maxAmount: nil)
            guard known.refusal(of: request, now: Fixture.now) != nil else { continue }
            #expect(throws: AuctionError.bidTooLow(minimum: BiddingRules.minimumBid(for: lot))) {
                try ProxyRules.decide(
                    lot: lot, leaderMaximum: nil, standing: standing, request: request, now: Fixture.now)
            }
        }
    }
}
