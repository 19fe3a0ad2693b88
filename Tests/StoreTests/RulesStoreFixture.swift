import AuctionCore
import Foundation

/// The auction rules' side of the fixture: lots with options, bids with maximums,
/// and the visible bids of an event log.
extension StoreFixture {
    func optionLot(
        startingPrice: Money = Money(cents: 10_00), minIncrement: Money = Money(cents: 1_00),
        rule: IncrementRule = .fixed, reserve: Money? = nil, buyNow: Money? = nil, endsIn seconds: TimeInterval? = nil,
        softCloseSeconds: Int? = nil
    ) async throws -> Lot {
        try await store.createLot(
            NewLot(
                title: "Clock", description: "A clock", startingPrice: startingPrice, ownerID: owner.id,
                endsAt: seconds.map { now.addingTimeInterval($0) }, minIncrement: minIncrement,
                softCloseSeconds: softCloseSeconds, reservePrice: reserve, buyNowPrice: buyNow, incrementRule: rule),
            now: now)
    }

    /// A bid in whole units of money; `amount` nil changes the maximum alone.
    @discardableResult
    func bid(
        _ lot: Lot, by user: User, _ amount: Int64?, max: Int64? = nil, _ mode: BidMode = .create,
        after seconds: TimeInterval = 1
    ) async throws -> BidOutcome {
        try await store.placeBid(
            lotID: lot.id, bidderID: user.id, amount: amount.map { Money(cents: $0 * 100) },
            maxAmount: max.map { Money(cents: $0 * 100) }, mode: mode, now: now.addingTimeInterval(seconds))
    }

    /// The lot's whole event log, decoded.
    func log(of lot: Lot) async throws -> [DecodedEvent] {
        try await store.events(lotID: lot.id, since: 0, limit: 10_000).map(DecodedEvent.init)
    }
}

/// A visible bid of the log: bidder, amount, automatic.
struct Visible: Equatable, CustomStringConvertible {
    let bidder: String
    let cents: Int64
    let auto: Bool

    init(_ bidder: String, _ units: Int64, auto: Bool = false) {
        (self.bidder, self.cents, self.auto) = (bidder, units * 100, auto)
    }

    init?(_ event: DecodedEvent) {
        guard event.type == "bid_placed", let bidder = event.bidder, let amount = event.amount else { return nil }
        (self.bidder, self.cents, self.auto) = (bidder, amount.cents, event.auto ?? false)
    }

    static func of(_ outcome: BidOutcome) throws -> [Visible] {
        try outcome.events.map(DecodedEvent.init).compactMap(Visible.init)
    }

    var description: String { "\(bidder) \(Money(cents: cents))\(auto ? " auto" : "")" }
}
