import Foundation

/// The rules a bid must meet, as pure functions so that every store applies the
/// same ones (and diagnoses a refused conditional update the same way).
public enum BiddingRules {
    /// The least amount the next bid may have: above the highest price (the
    /// starting price before any bid) by at least the lot's increment there.
    public static func minimumBid(for lot: Lot) -> Money {
        lot.highestPrice + lot.increment(at: lot.highestPrice)
    }

    /// Whether a leader at `price` meets `reserve` (always, without one).
    public static func meetsReserve(_ price: Money, _ reserve: Money?) -> Bool {
        reserve.map { price >= $0 } ?? true
    }

    /// Whether the lot takes bids at `now`: running, and its end not yet reached.
    public static func isOpen(_ lot: Lot, at now: Date) -> Bool {
        guard lot.status == .running else { return false }
        if let endsAt = lot.endsAt, endsAt <= now { return false }
        return true
    }

    /// Checks a bid against a lot. `hasBid` is whether the bidder already has one.
    /// The order of checks fixes which error wins when several apply.
    public static func check(
        lot: Lot, bidderID: Int64, amount: Money, mode: BidMode, hasBid: Bool, now: Date
    ) throws(AuctionError) {
        try checkBidder(lot: lot, bidderID: bidderID, mode: mode, hasBid: hasBid, now: now)
        let minimum = minimumBid(for: lot)
        if amount < minimum { throw .bidTooLow(minimum: minimum) }
    }

    /// The checks before the amount: who bids, whether the lot is open, the mode.
    public static func checkBidder(
        lot: Lot, bidderID: Int64, mode: BidMode, hasBid: Bool, now: Date
    ) throws(AuctionError) {
        if lot.ownerID == bidderID { throw .ownLot }
        if !isOpen(lot, at: now) { throw .lotFinished }
        switch mode {
        case .create where hasBid: throw .alreadyBid
        case .raise where !hasBid: throw .noBidYet
        default: break
        }
    }

    /// The new end of a lot after a bid at `now` (anti-sniping), or nil when unchanged.
    public static func extendedEnd(of lot: Lot, bidAt now: Date) -> Date? {
        guard let endsAt = lot.endsAt, let window = lot.softCloseSeconds, window > 0 else { return nil }
        let proposed = now.addingTimeInterval(TimeInterval(window))
        return endsAt.timeIntervalSince(now) < TimeInterval(window) && proposed > endsAt
            ? Timestamp.truncated(proposed) : nil
    }
}
