/// A bid as the rules see it: who, the visible amount asked for, and the maximum.
public struct BidRequest: Sendable, Equatable {
    public var bidderID: Int64
    /// nil for a `PATCH` of the maximum alone.
    public var amount: Money?
    /// The most the server may bid for the bidder (proxy bidding).
    public var maxAmount: Money?
    public var mode: BidMode

    public init(bidderID: Int64, amount: Money?, maxAmount: Money? = nil, mode: BidMode) {
        self.bidderID = bidderID
        self.amount = amount
        self.maxAmount = maxAmount
        self.mode = mode
    }
}

/// A bidder's bid on the lot as it stands, before the request.
public struct StandingBid: Sendable, Equatable {
    public var amount: Money
    public var maxAmount: Money?

    public init(amount: Money, maxAmount: Money?) {
        self.amount = amount
        self.maxAmount = maxAmount
    }

    /// Their `max_amount`, else their `amount`.
    public var maximum: Money { max(amount, maxAmount ?? amount) }
}
