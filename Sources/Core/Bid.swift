import Foundation

/// A user's bid on a lot. Each user has at most one bid per lot, raised in place.
public struct Bid: Sendable, Equatable {
    public let id: Int64
    public let lotID: Int64
    public var amount: Money
    public let bidderID: Int64
    public let bidder: String
    public let createdAt: Date
    public var updatedAt: Date
    /// The most the server may bid for this bidder (secret: only the bidder sees it);
    /// nil when they gave none, and then their maximum is `amount`.
    public var maxAmount: Money?
    /// Whether this bid is the lot's leading one.
    public var leading: Bool

    public init(
        id: Int64, lotID: Int64, amount: Money, bidderID: Int64, bidder: String, createdAt: Date,
        updatedAt: Date, maxAmount: Money? = nil, leading: Bool = false
    ) {
        self.id = id
        self.lotID = lotID
        self.amount = amount
        self.bidderID = bidderID
        self.bidder = bidder
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.maxAmount = maxAmount
        self.leading = leading
    }
}

/// Whether a bid request creates the user's bid (POST) or raises it (PATCH).
public enum BidMode: Sendable, Equatable {
    case create
    case raise
}

/// What an accepted bid produced: the bid, and the events appended in the same
/// transaction: the lot's (`bid_placed`, the leader's automatic `bid_placed`,
/// then `lot_extended` when it moved the end; or, for a buy now, `bid_placed`,
/// `lot_status_changed` and `lot_closed`) and the users' own it caused
/// (`UserEventRules`).
public struct BidOutcome: Sendable, Equatable {
    public let bid: Bid
    public let events: [EventRecord]
    public let userEvents: [EventRecord]

    public init(bid: Bid, events: [EventRecord], userEvents: [EventRecord] = []) {
        self.bid = bid
        self.events = events
        self.userEvents = userEvents
    }
}
