import AuctionCore

/// How a bidder of the proxy-bid scenario bids (issue 11), the same over HTTP and
/// at the database limit. It values the lot at a random maximum, 0.01 to 20.00
/// above the lot's next minimum when it draws it. Whenever it does not lead it bids
/// that minimum; half of the bidders (`usesMaximum`) send their maximum as
/// `max_amount` too, so the server bids for them. When the minimum passes its
/// maximum it values the lot again above it: the auction moves for the whole run.
struct ProxyBidStrategy {
    let usesMaximum: Bool
    private(set) var mode: BidMode = .create
    private var maximum: Int64 = 0
    private var random = FastRandom()

    init(bidder index: Int) {
        usesMaximum = index % 2 == 0
    }

    /// The bid to send when the lot takes `minimum` (cents) next.
    mutating func bid(minimum: Money) -> (amount: Money, maxAmount: Money?) {
        if minimum.cents > maximum { maximum = minimum.cents + 1 + random.next(upTo: 2000) }
        return (minimum, usesMaximum ? Money(cents: maximum) : nil)
    }

    mutating func accepted() { mode = .raise }
    mutating func alreadyHasBid() { mode = .raise }
}
