import Foundation

/// Proxy (maximum) bidding, eBay's rules as API.md states them, over the lot as it
/// stands. Only the leader's maximum matters besides the request's: every other
/// maximum is below it and already reflected in the price, and the leader's was
/// set before any request now arriving, so a tie always keeps the leader.
public enum ProxyRules {
    /// Decides a bid, or throws the refusal (`BiddingRules`' order: own lot, lot
    /// closed, mode, then the amount). `leaderMaximum` is the leading bid's
    /// maximum; `standing` the bidder's own bid, if any.
    public static func decide(
        lot: Lot, leaderMaximum: Money?, standing: StandingBid?, request: BidRequest, now: Date
    ) throws(AuctionError) -> BidDecision {
        let bidderID = request.bidderID
        try BiddingRules.checkBidder(
            lot: lot, bidderID: bidderID, mode: request.mode, hasBid: standing != nil, now: now)
        guard let amount = request.amount else {
            // The maximum alone (the input requires one, and a PATCH has a bid).
            guard let standing, let maximum = request.maxAmount else { throw .noBidYet }
            guard maximum >= standing.amount else { throw .maximumBelowBid(current: standing.amount) }
            return settle(
                lot: lot, leaderMaximum: leaderMaximum, bidderID: bidderID, visible: standing.amount,
                maxAmount: maximum, placed: false, now: now)
        }
        if let buyNow = lot.offeredBuyNowPrice, amount >= buyNow {
            return BidDecision(
                price: buyNow, leaderID: bidderID, bidderAmount: buyNow, bidderMaxAmount: request.maxAmount,
                placements: [.init(bidderID: bidderID, amount: buyNow, auto: false)], boughtNow: true,
                extendedEnd: nil, raisedLeaderID: nil)
        }
        let minimum = BiddingRules.minimumBid(for: lot)
        if amount < minimum { throw .bidTooLow(minimum: minimum) }
        // A maximum set before stays while it is above the new amount.
        let kept = standing?.maxAmount.flatMap { $0 > amount ? $0 : nil }
        return settle(
            lot: lot, leaderMaximum: leaderMaximum, bidderID: bidderID, visible: amount,
            maxAmount: request.maxAmount ?? kept, placed: true, now: now)
    }

    /// The new leader and price once the bidder's visible bid is `visible` and
    /// their maximum `maxAmount` (else `visible`); `placed` when the request bid an amount.
    private static func settle(
        lot: Lot, leaderMaximum: Money?, bidderID: Int64, visible: Money, maxAmount: Money?, placed: Bool,
        now: Date
    ) -> BidDecision {
        let bidderMaximum = max(visible, maxAmount ?? visible)
        let leaderID: Int64
        let winningMaximum: Money
        var price: Money
        if let current = lot.highestBidderID, current != bidderID {
            let currentMaximum = max(lot.highestPrice, leaderMaximum ?? lot.highestPrice)
            if bidderMaximum > currentMaximum {
                (leaderID, winningMaximum) = (bidderID, bidderMaximum)
                price = max(visible, min(currentMaximum + lot.increment(at: currentMaximum), bidderMaximum))
            } else {
                // Equal maximums: the leader set theirs first.
                (leaderID, winningMaximum) = (current, currentMaximum)
                price = max(lot.highestPrice, min(bidderMaximum + lot.increment(at: bidderMaximum), currentMaximum))
            }
        } else {
            // No leader yet, or the leader bids again: never against themself.
            (leaderID, winningMaximum) = (bidderID, bidderMaximum)
            price = lot.highestBidderID == nil ? visible : max(visible, lot.highestPrice)
        }
        // A maximum that reaches the reserve takes the price to it at once.
        if let reserve = lot.reservePrice, winningMaximum >= reserve, price < reserve { price = reserve }

        var placements: [BidDecision.Placement] = []
        if placed { placements.append(.init(bidderID: bidderID, amount: visible, auto: false)) }
        let leaderVisible = leaderID == bidderID ? visible : lot.highestPrice
        if price != leaderVisible { placements.append(.init(bidderID: leaderID, amount: price, auto: true)) }
        return BidDecision(
            price: price, leaderID: leaderID, bidderAmount: leaderID == bidderID ? price : visible,
            bidderMaxAmount: maxAmount, placements: placements, boughtNow: false,
            extendedEnd: placements.isEmpty ? nil : BiddingRules.extendedEnd(of: lot, bidAt: now),
            raisedLeaderID: leaderID != bidderID && price != leaderVisible ? leaderID : nil)
    }
}
