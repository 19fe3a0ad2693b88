import AuctionCore
import Foundation
import TestSupport
import Testing

extension StoreConformanceTests {
    /// One accepted request of the race.
    private struct Accepted: Sendable {
        let request: BidRequest
        let bidder: String
        /// The Bid's `leading` in the store's answer.
        let leading: Bool
    }

    /// The accepted bids, replayed in commit order through the pure rules, give the
    /// store's log, lot and answers; no seq gap; visible prices strictly increase
    /// except where API.md's rules force an equal pair (`VisiblePriceAudit`). The
    /// same race over HTTP through two processes: EndToEndTests/ProxyRaceProcessTests.
    @Test("race: 64 users with random maximums end where the pure rules put them, in commit order",
          arguments: StoreBackend.allCases)
    func proxyRace(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.optionLot(startingPrice: Money(cents: 10_00), minIncrement: Money(cents: 50))
        var users: [User] = []
        for index in 0..<64 { users.append(try await fixture.user("proxy\(index)")) }
        let store = fixture.store
        let now = fixture.now

        let accepted = try await withThrowingTaskGroup(of: [Accepted].self) { group in
            for user in users {
                // Half bid with a maximum; half bid the minimum each time, up to the same kind of limit.
                // Maximums 20.00 to 60.00 on the increment's grid: close together, so the price
                // climbs through many bids, and a minimum bid often meets the leader's maximum
                // exactly (the tie the audit allows).
                let maximum = Money(cents: Int64.random(in: 40...120) * 50)
                let usesMaximum = user.id % 2 == 0
                group.addTask {
                    try await Self.raceBidder(
                        store: store, lotID: lot.id, user: user, maximum: maximum, usesMaximum: usesMaximum, now: now)
                }
            }
            var all: [Accepted] = []
            for try await requests in group { all += requests }
            return all
        }
        #expect(!accepted.isEmpty)

        // Commit order is the order of the requests' own (not automatic) bid_placed events.
        let log = try await store.events(lotID: lot.id, since: 0, limit: 10_000)
        #expect(log.map(\.seq) == Array(1...Int64(log.count)))
        let decoded = try log.map(DecodedEvent.init)
        let placed = decoded.filter { $0.type == "bid_placed" && $0.auto == nil }
        #expect(placed.count == accepted.count)
        var byBid: [String: Accepted] = [:]
        for request in accepted { byBid["\(request.bidder) \(request.request.amount!)"] = request }
        let ordered = placed.compactMap { byBid["\($0.bidder!) \($0.amount!)"] }
        #expect(ordered.count == accepted.count)

        // Replaying them through the pure rules gives the same log, byte for byte, the
        // same lot, and the same `leading` in every answer.
        var names: [Int64: String] = [:]
        for user in users { names[user.id] = user.username }
        var replay = ProxyReplay(lot: lot)
        for request in ordered { try replay.apply(request.request, now: now, names: names) }
        #expect(replay.events.map(\.record) == log)
        #expect(ordered.map(\.leading) == replay.leading)
        let final = try #require(try await store.lot(id: lot.id))
        #expect(final.highestPrice == replay.state.lot.highestPrice)
        #expect(final.highestBidder == replay.state.lot.highestBidder && final.highestBidder != nil)
        #expect(final.seq == replay.state.lot.seq && final.bidCount == replay.state.lot.bidCount)

        // Visible prices strictly increase but for the tie API.md forces (VisiblePriceAudit).
        #expect(replay.audit.violations.isEmpty, "\(replay.audit.violations.prefix(5))")
        print(
            "proxy race [\(backend)]: \(accepted.count) accepted bids, \(log.count) events, "
                + "\(replay.audit.ties.count) ties, final \(final.highestPrice)")
    }

    /// Bids the lot's next minimum until it passes the user's maximum, or 40 tries;
    /// returns the requests the store accepted. A user with `usesMaximum` sends a
    /// `max_amount` 0 to 6 increments above the amount (never above their maximum),
    /// so that the server raises for them often and by little. A leader looks again
    /// a little later (whoever outbids it may have stopped by then).
    private static func raceBidder(
        store: any AuctionStore, lotID: Int64, user: User, maximum: Money, usesMaximum: Bool, now: Date
    ) async throws -> [Accepted] {
        var accepted: [Accepted] = []
        var mode = BidMode.create
        for _ in 0..<40 {
            guard let lot = try await store.lot(id: lotID) else { break }
            if lot.highestBidder == user.username {
                try await Task.sleep(for: .milliseconds(5))
                continue
            }
            let amount = BiddingRules.minimumBid(for: lot)
            guard amount <= maximum else { break }
            let step = Money(cents: Int64.random(in: 0...6) * lot.minIncrement.cents)
            let request = BidRequest(
                bidderID: user.id, amount: amount, maxAmount: usesMaximum ? min(maximum, amount + step) : nil, mode: mode)
            do {
                let outcome = try await store.placeBid(
                    lotID: lotID, bidderID: user.id, amount: amount, maxAmount: request.maxAmount, mode: mode, now: now)
                accepted.append(Accepted(request: request, bidder: user.username, leading: outcome.bid.leading))
                mode = .raise
            } catch AuctionError.bidTooLow {
                continue  // another bid got there first: read the lot again
            }
        }
        return accepted
    }
}
