import AuctionCore
import Foundation
import Testing

extension StoreConformanceTests {
    /// One accepted request of the race.
    private struct Accepted: Sendable {
        let request: BidRequest
        let bidder: String
    }

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
                let maximum = Money(cents: Int64.random(in: 20_00...400_00))
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

        // Replaying them through the pure rules gives the same log, byte for byte, and the same lot.
        var names: [Int64: String] = [:]
        for user in users { names[user.id] = user.username }
        var replay = BiddingState(lot: lot)
        var replayed: [EventRecord] = []
        for request in ordered { replayed += try replay.apply(request.request, now: now, names: names).map(\.record) }
        #expect(replayed == log)
        let final = try #require(try await store.lot(id: lot.id))
        #expect(final.highestPrice == replay.lot.highestPrice)
        #expect(final.highestBidder == replay.lot.highestBidder && final.highestBidder != nil)
        #expect(final.seq == replay.lot.seq && final.bidCount == replay.lot.bidCount)

        // Visible prices never fall; two in a row are equal only when the leader's
        // automatic raise meets a bid equal to its maximum (a tie the leader keeps).
        let visible = decoded.filter { $0.type == "bid_placed" }
        for (earlier, later) in zip(visible, visible.dropFirst()) {
            #expect(earlier.amount! <= later.amount!)
            if earlier.amount == later.amount { #expect(earlier.auto == nil && later.auto == true) }
        }
        print("proxy race [\(backend)]: \(accepted.count) accepted bids, \(log.count) events, final \(final.highestPrice)")
    }

    /// Bids the lot's next minimum (with the maximum when `usesMaximum`) until the
    /// user leads, the minimum passes their maximum, or after 12 tries; returns the
    /// requests the store accepted.
    private static func raceBidder(
        store: any AuctionStore, lotID: Int64, user: User, maximum: Money, usesMaximum: Bool, now: Date
    ) async throws -> [Accepted] {
        var accepted: [Accepted] = []
        var mode = BidMode.create
        for _ in 0..<12 {
            guard let lot = try await store.lot(id: lotID), lot.highestBidder != user.username else { break }
            let amount = BiddingRules.minimumBid(for: lot)
            guard amount <= maximum else { break }
            let request = BidRequest(
                bidderID: user.id, amount: amount, maxAmount: usesMaximum ? maximum : nil, mode: mode)
            do {
                _ = try await store.placeBid(
                    lotID: lotID, bidderID: user.id, amount: amount, maxAmount: request.maxAmount, mode: mode, now: now)
                accepted.append(Accepted(request: request, bidder: user.username))
                mode = .raise
            } catch AuctionError.bidTooLow {
                continue  // another bid got there first: read the lot again
            }
        }
        return accepted
    }
}
