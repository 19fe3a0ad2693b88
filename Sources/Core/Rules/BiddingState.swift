import Foundation

/// A lot and its bids in memory, moved by `ProxyRules` exactly as a store moves
/// them in a bid's transaction: the reference the stores are checked against
/// (replaying their accepted bids in commit order must give their lot).
public struct BiddingState: Sendable, Equatable {
    public private(set) var lot: Lot
    /// Each bidder's bid.
    public private(set) var bids: [Int64: StandingBid] = [:]

    public init(lot: Lot) {
        self.lot = lot
    }

    /// Decides `request` and, when accepted, applies it; returns the lot's events.
    /// `names` gives the bidders' names for the events and `highestBidder`.
    @discardableResult
    public mutating func apply(
        _ request: BidRequest, now: Date, names: [Int64: String] = [:]
    ) throws(AuctionError) -> [AuctionEvent] {
        let bidderID = request.bidderID
        let decision = try ProxyRules.decide(
            lot: lot, leaderMaximum: lot.highestBidderID.flatMap { bids[$0]?.maximum }, standing: bids[bidderID],
            request: request, now: now)
        let events = decision.events(lot: lot, bidderID: bidderID, bidder: names[bidderID] ?? "", at: now)
        if bids[bidderID] == nil { lot.bidCount += 1 }
        bids[bidderID] = StandingBid(amount: decision.bidderAmount, maxAmount: decision.bidderMaxAmount)
        if let raised = decision.raisedLeaderID { bids[raised]?.amount = decision.price }
        lot.highestPrice = decision.price
        lot.highestBidderID = decision.leaderID
        lot.highestBidder = names[decision.leaderID]
        lot.seq += Int64(events.count)
        if let end = decision.extendedEnd { lot.endsAt = end }
        if decision.boughtNow { lot.status = .finished }
        return events
    }
}
