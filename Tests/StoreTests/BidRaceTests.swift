import AuctionCore
import Foundation
import Testing

extension StoreConformanceTests {
    /// What one racing bid came to.
    private enum RaceResult: Sendable {
        case accepted(BidOutcome)
        case refused
    }

    @Test("race: 200 concurrent bids from 50 users keep every rule", arguments: StoreBackend.allCases)
    func bidRace(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot(title: "Hot", startingPrice: Money(cents: 10_00))
        var users: [User] = []
        for index in 0..<50 { users.append(try await fixture.user("racer\(index)")) }
        let store = fixture.store
        let lotID = lot.id
        let now = fixture.now
        let bidders = users

        let started = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: RaceResult.self) { group in
            for index in 0..<200 {
                // Rising amounts with wide jitter, so that many bids collide and lose.
                let cents = Int64(10_00 + index * 25 + Int.random(in: 0..<500))
                let bidder = bidders[index % bidders.count]
                group.addTask {
                    try await Self.racingBid(store: store, lotID: lotID, bidderID: bidder.id, cents: cents, now: now)
                }
            }
            var results: [RaceResult] = []
            for try await result in group { results.append(result) }
            return results
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)

        let accepted = results.compactMap { result -> BidOutcome? in
            if case .accepted(let outcome) = result { return outcome } else { return nil }
        }
        let rejected = results.count - accepted.count
        print("bid race [\(backend)]: \(accepted.count) accepted, \(rejected) rejected, "
            + String(format: "%.3f s", seconds))
        #expect(!accepted.isEmpty)

        let final = try #require(try await store.lot(id: lotID))
        let highestAccepted = try #require(accepted.map(\.bid.amount).max())
        #expect(final.highestPrice == highestAccepted)
        #expect(final.seq == Int64(accepted.count))
        #expect(final.bidCount == Set(accepted.map(\.bid.bidderID)).count)

        // The log: one bid_placed per accepted bid, numbered 1...n, amounts strictly rising.
        let log = try await store.events(lotID: lotID, since: 0, limit: 1000)
        #expect(log.map(\.seq) == Array(1...Int64(accepted.count)))
        let decoded = try log.map(DecodedEvent.init)
        #expect(decoded.allSatisfy { $0.type == "bid_placed" })
        let amounts = decoded.compactMap(\.amount)
        #expect(amounts.count == accepted.count)
        #expect(zip(amounts, amounts.dropFirst()).allSatisfy { $0 < $1 })
        #expect(Set(log) == Set(accepted.flatMap(\.events)))
        #expect(amounts.last == highestAccepted)
        #expect(decoded.last?.bidder == final.highestBidder)
    }

    /// Creates the user's bid, or raises it when another of the user's tasks got there first.
    /// A refusal for being too low is the expected way to lose the race; any other error fails.
    private static func racingBid(
        store: any AuctionStore, lotID: Int64, bidderID: Int64, cents: Int64, now: Date
    ) async throws -> RaceResult {
        var mode = BidMode.create
        while true {
            do {
                let outcome = try await store.placeBid(
                    lotID: lotID, bidderID: bidderID, amount: Money(cents: cents), mode: mode, now: now
                )
                return .accepted(outcome)
            } catch AuctionError.bidTooLow {
                return .refused
            } catch AuctionError.alreadyBid where mode == .create {
                mode = .raise
            } catch AuctionError.noBidYet where mode == .raise {
                mode = .create
            }
        }
    }
}
