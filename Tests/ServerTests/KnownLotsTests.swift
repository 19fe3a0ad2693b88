import AuctionCore
@testable import AuctionServer
import Foundation
import Testing

/// The node's bounded set of `KnownLot`s and what it learns from.
@Suite("KnownLots")
struct KnownLotsTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func lot(_ id: Int64) -> Lot {
        Lot(
            id: id, title: "Lot", description: "", startingPrice: Money(cents: 10_00), status: .running,
            highestPrice: Money(cents: 10_00), highestBidder: nil, bidCount: 0, ownerID: 1, owner: "owner",
            createdAt: now, endsAt: nil, minIncrement: .cent, softCloseSeconds: nil, seq: 0)
    }

    static let lowRaise = BidRequest(bidderID: 2, amount: Money(cents: 5_00), mode: .raise)

    /// Lot `id` known, with bidder 2's bid.
    static func knowing(_ ids: [Int64], in known: KnownLots) {
        for id in ids {
            known.read(lot(id))
            known.refused(.bidTooLow(minimum: Money(cents: 10_01)), lotID: id, request: lowRaise)
        }
    }

    @Test func anUnknownLotIsLeftToTheStoreAndLearnsNothing() {
        let known = KnownLots()
        known.refused(.lotFinished, lotID: 9, request: Self.lowRaise)
        known.published([AuctionEvent(lotID: 9, seq: 1, at: Self.now, kind: .closed(winner: nil, amount: nil)).record])
        #expect(!known.knows(lotID: 9))
        #expect(known.refusal(lotID: 9, of: Self.lowRaise, now: Self.now) == nil)
    }

    @Test func pastItsCapacityItStartsOver() {
        let known = KnownLots(capacity: 2)
        Self.knowing([1, 2], in: known)
        #expect(known.refusal(lotID: 1, of: Self.lowRaise, now: Self.now) == .bidTooLow(minimum: Money(cents: 10_01)))
        Self.knowing([3], in: known)
        #expect(!known.knows(lotID: 1) && !known.knows(lotID: 2) && known.knows(lotID: 3))
    }

    @Test("a lot's closing or status event ends it; no other event does")
    func publishedEvents() {
        let kinds: [(AuctionEvent.Kind, Bool)] = [
            (.bidPlaced(bidder: "b", amount: Money(cents: 11_00)), false), (.extended(endsAt: Self.now), false),
            (.statusChanged(.finished), true), (.closed(winner: "b", amount: Money(cents: 11_00)), true),
        ]
        for (index, (kind, ends)) in kinds.enumerated() {
            let id = Int64(index + 1)
            let known = KnownLots()
            Self.knowing([id], in: known)
            let event = AuctionEvent(lotID: id, seq: 1, at: Self.now, kind: kind).record
            #expect(event.finishesLot == ends, "\(kind)")
            known.published([event])
            let stranger = BidRequest(bidderID: 3, amount: Money(cents: 50_00), mode: .create)
            #expect(known.refusal(lotID: id, of: stranger, now: Self.now) == (ends ? .lotFinished : nil), "\(kind)")
        }
        // A user's own event about the lot is not the lot's.
        let userEvent = EventRecord(stream: .user(2), lotID: 1, seq: 1, json: #"{"type":"lot_closed"}"#)
        #expect(!userEvent.finishesLot)
    }
}
