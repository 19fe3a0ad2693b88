import AuctionCore
import Foundation
import Testing

@Suite("ProxyRules")
struct ProxyRulesTests {
    typealias F = RulesFixture

    /// One request and what must follow: the price, the leader, the visible bids announced.
    struct Step: Sendable, CustomStringConvertible {
        let request: BidRequest
        let price: Int64
        let leader: Int64
        let placed: [Placed]
        let leading: Bool
        let note: String

        var description: String { note }
    }

    /// Runs the steps on `lot`, checking each; returns the state after them.
    @discardableResult
    private func run(_ steps: [Step], on lot: Lot) throws -> BiddingState {
        var state = BiddingState(lot: lot)
        for step in steps {
            let events = try state.apply(step.request, now: F.now, names: F.names)
            #expect(Placed.of(events) == step.placed, "\(step)")
            #expect(state.lot.highestPrice == Money(cents: step.price * 100), "\(step)")
            #expect(state.lot.highestBidderID == step.leader, "\(step)")
            #expect((state.lot.highestBidderID == step.request.bidderID) == step.leading, "\(step)")
            let first = state.lot.seq - Int64(events.count) + 1
            #expect(events.map(\.seq) == Array(first..<(state.lot.seq + 1)), "\(step)")
        }
        return state
    }

    @Test("API.md's example, step by step (fixed increment 1, start 10)")
    func apiExample() throws {
        let state = try run(
            [
                Step(request: F.bid(F.a, 11, max: 50), price: 11, leader: F.a, placed: [Placed("A", 11)], leading: true,
                     note: "(1) A bids 11 max 50: price 11, A leads"),
                Step(request: F.bid(F.b, 20), price: 21, leader: F.a,
                     placed: [Placed("B", 20), Placed("A", 21, auto: true)], leading: false,
                     note: "(2) B bids 20: accepted, not leading; A's automatic raise to 21"),
                Step(request: F.bid(F.b, 60, .raise), price: 60, leader: F.b, placed: [Placed("B", 60)], leading: true,
                     note: "(3) B raises to 60: B leads at 60"),
                Step(request: F.bid(F.c, 61, max: 80), price: 61, leader: F.c, placed: [Placed("C", 61)], leading: true,
                     note: "(4) C bids 61 max 80: C leads at 61"),
                Step(request: F.bid(F.a, 70, max: 80, .raise), price: 80, leader: F.c,
                     placed: [Placed("A", 70), Placed("C", 80, auto: true)], leading: false,
                     note: "(5) A raises to 70 max 80: ties C's maximum, C set it first; C's raise capped at 80"),
            ],
            on: F.lot())
        #expect(state.bids[F.a] == StandingBid(amount: Money(cents: 70_00), maxAmount: Money(cents: 80_00)))
        #expect(state.bids[F.c] == StandingBid(amount: Money(cents: 80_00), maxAmount: Money(cents: 80_00)))
        #expect(state.bids[F.b] == StandingBid(amount: Money(cents: 60_00), maxAmount: nil))
        #expect(state.lot.bidCount == 3)
    }

    @Test("ties: equal maximums keep the one set first, even at the same visible amount")
    func ties() throws {
        try run(
            [
                Step(request: F.bid(F.a, 11, max: 50), price: 11, leader: F.a, placed: [Placed("A", 11)], leading: true,
                     note: "A sets 50 first"),
                Step(request: F.bid(F.b, 30, max: 50), price: 50, leader: F.a,
                     placed: [Placed("B", 30), Placed("A", 50, auto: true)], leading: false,
                     note: "B's equal maximum loses: A at 50"),
                Step(request: F.bid(F.c, 51), price: 51, leader: F.c, placed: [Placed("C", 51)], leading: true,
                     note: "C beats both"),
            ],
            on: F.lot())
        // An amount equal to the leader's maximum: the leader's raise equals it (the one
        // way two consecutive visible bids are equal).
        try run(
            [
                Step(request: F.bid(F.a, 11, max: 50), price: 11, leader: F.a, placed: [Placed("A", 11)], leading: true,
                     note: "A max 50"),
                Step(request: F.bid(F.b, 50), price: 50, leader: F.a,
                     placed: [Placed("B", 50), Placed("A", 50, auto: true)], leading: false,
                     note: "B bids exactly 50: A keeps the lead at 50"),
            ],
            on: F.lot())
    }

    @Test("a bidder never outbids themself")
    func selfRaise() throws {
        try run(
            [
                Step(request: F.bid(F.a, 11, max: 50), price: 11, leader: F.a, placed: [Placed("A", 11)], leading: true,
                     note: "A leads at 11"),
                Step(request: F.bid(F.a, nil, max: 80, .raise), price: 11, leader: F.a, placed: [], leading: true,
                     note: "A's maximum alone: no price move, no event"),
                Step(request: F.bid(F.a, 30, .raise), price: 30, leader: F.a, placed: [Placed("A", 30)], leading: true,
                     note: "A's own amount becomes the price, no automatic raise over it"),
                Step(request: F.bid(F.b, 40), price: 41, leader: F.a,
                     placed: [Placed("B", 40), Placed("A", 41, auto: true)], leading: false,
                     note: "A's kept maximum of 80 answers B"),
            ],
            on: F.lot())
    }

    @Test("a maximum that reaches the reserve takes the price to it; one below it does not")
    func reserveJump() throws {
        let reserved = F.lot(reserve: 100_00)
        let state = try run(
            [
                Step(request: F.bid(F.a, 11, max: 90), price: 11, leader: F.a, placed: [Placed("A", 11)], leading: true,
                     note: "A's maximum is below the reserve"),
                Step(request: F.bid(F.b, 20, max: 150), price: 100, leader: F.b,
                     placed: [Placed("B", 20), Placed("B", 100, auto: true)], leading: true,
                     note: "B's maximum reaches the reserve: B at 100, not 91"),
            ],
            on: reserved)
        #expect(state.lot.reserveMet == true)
        var below = BiddingState(lot: reserved)
        try below.apply(F.bid(F.a, 11, max: 90), now: F.now)
        #expect(below.lot.reserveMet == false)
        #expect(BiddingState(lot: reserved).lot.reserveMet == false)
        #expect(BiddingState(lot: F.lot()).lot.reserveMet == nil)
        // The leader's maximum alone reaching the reserve moves the price too.
        try below.apply(F.bid(F.a, nil, max: 120, .raise), now: F.now, names: F.names)
        #expect(below.lot.highestPrice == Money(cents: 100_00))
    }

    @Test("buy now: a first bid at or above it ends the lot at the buy-now price")
    func buyNow() throws {
        var state = BiddingState(lot: F.lot(buyNow: 200_00))
        #expect(state.lot.offeredBuyNowPrice == Money(cents: 200_00))
        let events = try state.apply(F.bid(F.a, 250, max: 300), now: F.now, names: F.names)
        #expect(events.map(\.kind) == [
            .bidPlaced(bidder: "A", amount: Money(cents: 200_00)), .statusChanged(.finished),
            .closed(winner: "A", amount: Money(cents: 200_00)),
        ])
        #expect(state.lot.status == .finished)
        #expect(state.lot.highestPrice == Money(cents: 200_00))
        #expect(state.lot.offeredBuyNowPrice == nil)
        #expect(throws: AuctionError.lotFinished) { try state.apply(F.bid(F.b, 300), now: F.now) }
    }

    @Test("buy now is gone after the first accepted bid, and a running proxy answers a bid at its price")
    func buyNowAgainstProxy() throws {
        let state = try run(
            [
                Step(request: F.bid(F.a, 11, max: 500), price: 11, leader: F.a, placed: [Placed("A", 11)],
                     leading: true, note: "A's first bid (its maximum above buy now buys nothing)"),
                Step(request: F.bid(F.b, 200), price: 201, leader: F.a,
                     placed: [Placed("B", 200), Placed("A", 201, auto: true)], leading: false,
                     note: "B bids the former buy-now price: an ordinary bid, A's proxy answers"),
            ],
            on: F.lot(buyNow: 200_00))
        #expect(state.lot.status == .running)
        #expect(state.lot.offeredBuyNowPrice == nil)
        #expect(state.lot.buyNowPrice == Money(cents: 200_00))
    }

    @Test("a maximum alone: a non-leader's may take the lead or raise the leader; never below one's bid")
    func maximumAlone() throws {
        try run(
            [
                Step(request: F.bid(F.a, 11, max: 50), price: 11, leader: F.a, placed: [Placed("A", 11)], leading: true,
                     note: "A max 50"),
                Step(request: F.bid(F.b, 20), price: 21, leader: F.a,
                     placed: [Placed("B", 20), Placed("A", 21, auto: true)], leading: false, note: "B 20"),
                Step(request: F.bid(F.b, nil, max: 40, .raise), price: 41, leader: F.a,
                     placed: [Placed("A", 41, auto: true)], leading: false,
                     note: "B's maximum 40 alone: A's raise to 41"),
                Step(request: F.bid(F.b, nil, max: 70, .raise), price: 51, leader: F.b,
                     placed: [Placed("B", 51, auto: true)], leading: true,
                     note: "B's maximum 70 alone beats A's 50: B at 51"),
            ],
            on: F.lot())
        var state = BiddingState(lot: F.lot())
        try state.apply(F.bid(F.a, 30), now: F.now)
        #expect(throws: AuctionError.maximumBelowBid(current: Money(cents: 30_00))) {
            try state.apply(F.bid(F.a, nil, max: 29, .raise), now: F.now)
        }
        #expect(throws: AuctionError.noBidYet) { try state.apply(F.bid(F.b, nil, max: 90, .raise), now: F.now) }
    }

    @Test("a maximum stays while above the new amount and goes once an amount passes it")
    func keptMaximum() throws {
        var state = BiddingState(lot: F.lot())
        try state.apply(F.bid(F.a, 11, max: 50), now: F.now)
        try state.apply(F.bid(F.a, 20, .raise), now: F.now)
        #expect(state.bids[F.a] == StandingBid(amount: Money(cents: 20_00), maxAmount: Money(cents: 50_00)))
        try state.apply(F.bid(F.a, 60, .raise), now: F.now)
        #expect(state.bids[F.a] == StandingBid(amount: Money(cents: 60_00), maxAmount: nil))
    }

    @Test("refusals keep their order; the amount must meet the minimum under either rule")
    func refusals() throws {
        let state = BiddingState(lot: F.lot(start: 10_00, rule: .ladder))
        var copy = state
        #expect(throws: AuctionError.ownLot) { try copy.apply(F.bid(1, 5), now: F.now) }
        #expect(throws: AuctionError.bidTooLow(minimum: Money(cents: 10_50))) {
            try copy.apply(BidRequest(bidderID: F.a, amount: Money(cents: 10_49), mode: .create), now: F.now)
        }
        #expect(throws: AuctionError.noBidYet) { try copy.apply(F.bid(F.a, 20, .raise), now: F.now) }
        #expect(copy == state)
        try copy.apply(BidRequest(bidderID: F.a, amount: Money(cents: 10_50), mode: .create), now: F.now)
        #expect(throws: AuctionError.alreadyBid) { try copy.apply(F.bid(F.a, 20), now: F.now) }
    }

    @Test("anti-sniping: an automatic raise in the window extends like any bid; a silent maximum does not")
    func softClose() throws {
        var state = BiddingState(lot: F.lot(endsIn: 30, softClose: 60))
        let first = try state.apply(F.bid(F.a, 11, max: 50), now: F.now, names: F.names)
        #expect(first.map(\.kind.typeName) == ["bid_placed", "lot_extended"])
        let later = F.now.addingTimeInterval(20)
        let answered = try state.apply(F.bid(F.b, 20), now: later, names: F.names)
        #expect(answered.map(\.kind) == [
            .bidPlaced(bidder: "B", amount: Money(cents: 20_00)),
            .bidPlaced(bidder: "A", amount: Money(cents: 21_00), auto: true),
            .extended(endsAt: later.addingTimeInterval(60)),
        ])
        #expect(state.lot.endsAt == later.addingTimeInterval(60))
        let silent = try state.apply(F.bid(F.a, nil, max: 70, .raise), now: later.addingTimeInterval(30))
        #expect(silent.isEmpty)
        #expect(state.lot.endsAt == later.addingTimeInterval(60))
    }
}
