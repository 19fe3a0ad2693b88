import Foundation

/// What one node knows of a lot from the store's answers it has seen, so that it
/// can refuse, without the store, a bid the store is sure to refuse, with the
/// store's own refusal. Every part is a bound that only moves one way: the price
/// only rises (and the next minimum with it, under `fixed` and `ladder`), the end
/// only moves later, a finished lot never runs again, a bidder's bid is never
/// removed. So a refusal decided here is the one the store gave when this was
/// learnt, and a bid this lets through is decided by the store as before.
public struct KnownLot: Sendable, Equatable {
    /// The lot as last read from the store, its price raised since by accepted bids.
    public private(set) var lot: Lot
    /// The least next bid a store refusal named (it may be above the one `lot` gives).
    public private(set) var refusedBelow: Money?
    /// Bidders known to have a bid on the lot (at most `biddersLimit`).
    public private(set) var bidders: Set<Int64> = []

    /// Beyond this many bidders no more are remembered: their bids go to the store.
    public static let biddersLimit = 10_000

    public init(lot: Lot) {
        self.lot = lot
    }

    /// The least amount the next bid may have, as far as this node knows.
    public var minimum: Money {
        max(BiddingRules.minimumBid(for: lot), refusedBelow ?? .cent)
    }

    /// The store's refusal of `request` at `now` when it is certain from what is
    /// known, else nil (the store decides). The checks follow `BiddingRules`'
    /// order, and stop at the first one this node cannot be sure of.
    public func refusal(of request: BidRequest, now: Date) -> AuctionError? {
        // The owner hears "own lot" first, from the store.
        guard request.bidderID != lot.ownerID else { return nil }
        if lot.status == .finished { return .lotFinished }
        guard judgesAmount(of: request), let amount = request.amount else { return nil }
        // Past the known end the lot may have closed, or been extended by a bid not seen here.
        if let endsAt = lot.endsAt, endsAt <= now { return nil }
        let minimum = minimum
        return amount < minimum ? .bidTooLow(minimum: minimum) : nil
    }

    /// Whether `request` reaches the amount check for sure, so that this node can
    /// judge it: only a raise of an amount by a bidder known to have a bid (a POST
    /// may be "already has a bid", a maximum alone has its own checks, and with a
    /// bid on the lot buy now is no longer offered), not the owner's.
    public func judgesAmount(of request: BidRequest) -> Bool {
        request.bidderID != lot.ownerID && request.amount != nil && request.mode == .raise
            && bidders.contains(request.bidderID)
    }

    /// A fresh read of the lot: it replaces the known one unless an answer seen
    /// since is newer (a higher `seq`); a finished lot stays finished.
    public mutating func read(_ fresh: Lot) {
        let finished = lot.status == .finished || fresh.status == .finished
        if fresh.seq >= lot.seq {
            let price = lot.highestPrice
            lot = fresh
            lot.highestPrice = max(price, fresh.highestPrice)
        }
        if finished { lot.status = .finished }
    }

    /// An accepted bid: the price is at least its amount (exactly, when it leads;
    /// below the leader's raise when a maximum beat it), the lot has a bid, and
    /// its bidder has one.
    public mutating func accepted(_ outcome: BidOutcome) {
        lot.highestPrice = max(lot.highestPrice, outcome.bid.amount)
        lot.bidCount = max(lot.bidCount, 1)
        if let seq = outcome.events.map(\.seq).max() { lot.seq = max(lot.seq, seq) }
        remember(bidder: outcome.bid.bidderID)
    }

    /// A refusal the store gave `request`: what it proves about the lot and the bidder.
    public mutating func refused(_ error: AuctionError, request: BidRequest) {
        switch error {
        case .lotFinished:
            lot.status = .finished
        case .bidTooLow(let minimum):
            refusedBelow = max(refusedBelow ?? minimum, minimum)
            // A raise reaches the amount check only with a bid on the lot.
            if request.mode == .raise { remember(bidder: request.bidderID) }
        case .alreadyBid, .maximumBelowBid:
            remember(bidder: request.bidderID)
        default:
            break
        }
    }

    /// The lot closed (its status or closing event was seen).
    public mutating func finished() {
        lot.status = .finished
    }

    private mutating func remember(bidder: Int64) {
        if bidders.count < Self.biddersLimit { bidders.insert(bidder) }
    }
}
