import AuctionCore
import Foundation

/// Lots and bids for the rules' tests: bidders A, B, C (ids 11, 12, 13) on a lot of owner 1.
enum RulesFixture {
    static let now = Timestamp.date(milliseconds: 1_800_000_000_000)
    static let (a, b, c): (Int64, Int64, Int64) = (11, 12, 13)
    static let names: [Int64: String] = [a: "A", b: "B", c: "C"]

    static func lot(
        start: Int64 = 10_00, increment: Int64 = 1_00, rule: IncrementRule = .fixed, reserve: Int64? = nil,
        buyNow: Int64? = nil, endsIn seconds: TimeInterval? = nil, softClose: Int? = nil
    ) -> Lot {
        Lot(
            id: 7, title: "Lamp", description: "A lamp", startingPrice: Money(cents: start), status: .running,
            highestPrice: Money(cents: start), highestBidder: nil, bidCount: 0, ownerID: 1, owner: "owner",
            createdAt: now, endsAt: seconds.map { now.addingTimeInterval($0) }, minIncrement: Money(cents: increment),
            softCloseSeconds: softClose, seq: 0, reservePrice: reserve.map(Money.init(cents:)),
            buyNowPrice: buyNow.map(Money.init(cents:)), incrementRule: rule)
    }

    /// A request in whole units of money (`amount` nil: the maximum alone).
    static func bid(_ bidder: Int64, _ amount: Int64?, max: Int64? = nil, _ mode: BidMode = .create) -> BidRequest {
        BidRequest(
            bidderID: bidder, amount: amount.map { Money(cents: $0 * 100) }, maxAmount: max.map { Money(cents: $0 * 100) },
            mode: mode)
    }
}

/// A visible bid in an event, as the tests write them: bidder, whole units, automatic.
struct Placed: Equatable, CustomStringConvertible {
    let bidder: String
    let amount: Int64
    let auto: Bool

    init(_ bidder: String, _ amount: Int64, auto: Bool = false) {
        (self.bidder, self.amount, self.auto) = (bidder, amount, auto)
    }

    /// The bid_placed events among `events`.
    static func of(_ events: [AuctionEvent]) -> [Placed] {
        events.compactMap { event in
            guard case .bidPlaced(let bidder, let amount, let auto) = event.kind else { return nil }
            return Placed(bidder, amount.cents / 100, auto: auto)
        }
    }

    var description: String { "\(bidder) \(amount)\(auto ? " auto" : "")" }
}
