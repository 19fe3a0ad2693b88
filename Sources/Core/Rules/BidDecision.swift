import Foundation

/// What the rules decided for an accepted bid: the lot's new price and leader, the
/// bidder's bid, and the visible bids to announce, in order. The stores write
/// exactly this, in the bid's transaction.
public struct BidDecision: Sendable, Equatable {
    /// A visible bid: the request's own (`auto` false) or the server's raise of the leader.
    public struct Placement: Sendable, Equatable {
        public let bidderID: Int64
        public let amount: Money
        public let auto: Bool

        public init(bidderID: Int64, amount: Money, auto: Bool) {
            self.bidderID = bidderID
            self.amount = amount
            self.auto = auto
        }
    }

    public var price: Money
    public var leaderID: Int64
    /// The bidder's visible bid and stored maximum after the request.
    public var bidderAmount: Money
    public var bidderMaxAmount: Money?
    public var placements: [Placement]
    /// The bid met the buy-now price: the lot ends now at `price`.
    public var boughtNow: Bool
    /// The lot's new end (anti-sniping), when a visible bid moved it.
    public var extendedEnd: Date?
    /// Another bidder, the leader, whose bid the server raised to `price`.
    public var raisedLeaderID: Int64?

    /// The lot's events for this decision, numbered after `lot.seq`. `bidder` is
    /// the requester's name; the raised leader's is `lot.highestBidder`.
    public func events(lot: Lot, bidderID: Int64, bidder: String, at: Date) -> [AuctionEvent] {
        var events: [AuctionEvent] = []
        for placement in placements {
            let name = placement.bidderID == bidderID ? bidder : lot.highestBidder ?? ""
            events.append(AuctionEvent(
                lotID: lot.id, seq: lot.seq + Int64(events.count) + 1, at: at,
                kind: .bidPlaced(bidder: name, amount: placement.amount, auto: placement.auto)))
        }
        if boughtNow {
            events += AuctionEvent.closing(
                lotID: lot.id, after: lot.seq + Int64(events.count), at: at, winner: bidder, highestPrice: price,
                bidCount: 1)
        } else if let extendedEnd {
            events.append(AuctionEvent(
                lotID: lot.id, seq: lot.seq + Int64(events.count) + 1, at: at, kind: .extended(endsAt: extendedEnd)))
        }
        return events
    }
}
