/// Where a page of a lot's bids ends, in their order (highest amount first, then
/// the oldest bid): the next page holds the bids after this amount and id. Both,
/// because a bid raised in place moves, and amounts may tie.
public struct BidCursor: Sendable, Hashable, CustomStringConvertible {
    public let amount: Money
    public let id: Int64

    public init(amount: Money, id: Int64) {
        self.amount = amount
        self.id = id
    }

    /// The cursor after `bid`.
    public init(after bid: Bid) {
        self.init(amount: bid.amount, id: bid.id)
    }

    /// `<amount in cents>_<bid id>`, as `X-Next-After` gives it; opaque to clients.
    public var description: String { "\(amount.cents)_\(id)" }

    /// The cursor a client sent back, or nil when it is not one.
    public init?(text: String) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, let cents = Int64(parts[0]), let id = Int64(parts[1]),
            (0...Money.maximum.cents).contains(cents), id > 0
        else { return nil }
        self.init(amount: Money(cents: cents), id: id)
    }
}
