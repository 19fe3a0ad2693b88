import AuctionCore
import Foundation
import PostgresNIO
import Testing
import TestSupport

@testable import PostgresBackend

/// The one-statement bid on PostgreSQL: anti-sniping, refusals named by the rules, and concurrency across stores ("processes").
/// The behaviour every store shares is in the conformance suite.
@Suite("PostgreSQL bids")
struct PostgresBidTests {
    @Test("a bid in the soft-close window moves the end; one outside does not")
    func antiSniping() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let bidder = try await store.makeUser()
            let now = Timestamp.truncated(Date())
            let closing = try await store.makeLot(owner: owner, endsAt: now.addingTimeInterval(10), softCloseSeconds: 60, now: now)
            let outcome = try await store.placeBid(lotID: closing.id, bidderID: bidder.id, amount: Money(cents: 200), mode: .create, now: now)
            let newEnd = Timestamp.date(milliseconds: Timestamp.milliseconds(now) + 60_000)
            #expect(outcome.events.map(\.seq) == [1, 2])
            #expect(outcome.events[1] == AuctionEvent(lotID: closing.id, seq: 2, at: now, kind: .extended(endsAt: newEnd)).record)
            let extended = try #require(try await store.lot(id: closing.id))
            #expect(extended.endsAt == newEnd)
            #expect(extended.seq == 2)

            let distant = try await store.makeLot(owner: owner, endsAt: now.addingTimeInterval(120), softCloseSeconds: 60, now: now)
            let plain = try await store.placeBid(lotID: distant.id, bidderID: bidder.id, amount: Money(cents: 200), mode: .create, now: now)
            #expect(plain.events.map(\.seq) == [1])
            #expect(try await store.lot(id: distant.id)?.endsAt == distant.endsAt)
        }
    }

    @Test("a refused bid is named by BiddingRules and changes nothing")
    func refusals() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let alice = try await store.makeUser()
            let bob = try await store.makeUser()
            let now = Date()
            let lot = try await store.makeLot(owner: owner, startingCents: 1000, minIncrementCents: 50)
            func bid(_ user: User, _ cents: Int64, _ mode: BidMode, lotID: Int64? = nil, at: Date = now) async -> AuctionError? {
                await auctionError {
                    _ = try await store.placeBid(lotID: lotID ?? lot.id, bidderID: user.id, amount: Money(cents: cents), mode: mode, now: at)
                }
            }
            #expect(await bid(alice, 5000, .create, lotID: lot.id + 1000) == .lotNotFound)
            #expect(await bid(owner, 5000, .create) == .ownLot)
            #expect(await bid(alice, 1049, .create) == .bidTooLow(minimum: Money(cents: 1050)))
            #expect(await bid(alice, 5000, .raise) == .noBidYet)
            #expect(await bid(alice, 1050, .create) == nil)
            #expect(await bid(alice, 5000, .create) == .alreadyBid)
            #expect(await bid(bob, 1099, .create) == .bidTooLow(minimum: Money(cents: 1100)))
            #expect(await bid(alice, 1100, .raise) == nil)
            let expired = try await store.makeLot(owner: owner, endsAt: now.addingTimeInterval(-1), now: now.addingTimeInterval(-10))
            #expect(await bid(alice, 5000, .create, lotID: expired.id) == .lotFinished)
            _ = try await store.setStatus(lotID: lot.id, status: .finished, by: owner.id, now: now)
            #expect(await bid(bob, 9000, .create) == .lotFinished)

            let after = try #require(try await store.lot(id: lot.id))
            #expect(after.highestPrice == Money(cents: 1100))
            #expect(after.highestBidder == alice.username)
            #expect(after.bidCount == 1)
            #expect(after.seq == 3)
            #expect(try await store.bids(lotID: lot.id).map(\.amount) == [Money(cents: 1100)])
        }
    }

    @Test("the same bidder creating ten bids at once gets exactly one")
    func concurrentCreatesBySameBidder() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let bidder = try await store.makeUser()
            let lot = try await store.makeLot(owner: owner)
            let results = await withTaskGroup(of: AuctionError?.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        await auctionError {
                            _ = try await store.placeBid(
                                lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 200 + Int64(index)),
                                mode: .create, now: Date()
                            )
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0 == nil }.count == 1)
            #expect(results.compactMap { $0 }.allSatisfy { $0 == .alreadyBid })
            let after = try #require(try await store.lot(id: lot.id))
            #expect(after.bidCount == 1)
            #expect(after.seq == 1)
        }
    }

    @Test("a bid refused for good is answered without waiting for the lot's lock")
    func refusalTakesNoLock() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let bidder = try await store.makeUser()
            let lot = try await store.makeLot(owner: owner, startingCents: 1000)
            try await store.withDirectConnection { connection in
                let logger = PostgresTestDatabase.logger
                try await connection.query("BEGIN", logger: logger)
                try await connection.query("SELECT id FROM lots WHERE id = \(lot.id) FOR UPDATE", logger: logger)
                // Under the lock it would wait until the query timeout and be `unavailable`.
                let refusal = await auctionError {
                    _ = try await store.placeBid(
                        lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 900), mode: .create, now: Date())
                }
                #expect(refusal == .bidTooLow(minimum: Money(cents: 1001)))
                try await connection.query("ROLLBACK", logger: logger)
            }
        }
    }

    @Test("200 bids from 50 users on one lot: serialized, numbered without gaps")
    func bidRace() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let lot = try await store.makeLot(owner: owner, startingCents: 100)
            var users: [User] = []
            for index in 0..<50 { users.append(try await store.makeUser("racer-\(index)")) }

            struct Tally: Sendable {
                var accepted: [BidOutcome] = []
                var refusals: [AuctionError] = []
            }
            let started = ContinuousClock.now
            let tally = try await withThrowingTaskGroup(of: Tally.self) { group in
                for user in users {
                    group.addTask {
                        var tally = Tally()
                        var hasBid = false
                        // Like a client: bid a little above the last price seen,
                        // learning the current minimum from each refusal.
                        var seen: Int64 = 100
                        for _ in 0..<4 {
                            let amount = Money(cents: seen + Int64.random(in: 1...300))
                            do {
                                let outcome = try await store.placeBid(
                                    lotID: lot.id, bidderID: user.id, amount: amount, mode: hasBid ? .raise : .create,
                                    now: Date()
                                )
                                tally.accepted.append(outcome)
                                hasBid = true
                                seen = amount.cents
                            } catch let refusal as AuctionError {
                                tally.refusals.append(refusal)
                                if case .bidTooLow(let minimum) = refusal { seen = minimum.cents - 1 }
                            }
                        }
                        return tally
                    }
                }
                return try await group.reduce(into: Tally()) {
                    $0.accepted += $1.accepted
                    $0.refusals += $1.refusals
                }
            }
            let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18
                + Double((ContinuousClock.now - started).components.seconds)
            let accepted = tally.accepted.sorted { $0.events[0].seq < $1.events[0].seq }
            print(
                "postgres bid race: \(accepted.count) accepted, \(tally.refusals.count) rejected, "
                    + String(format: "%.2f s, %.0f bids/s", seconds, 200 / seconds)
            )
            #expect(accepted.count + tally.refusals.count == 200)
            #expect(tally.refusals.allSatisfy { if case .bidTooLow = $0 { true } else { false } })
            // Numbered 1...n without gaps, amounts strictly rising in that order.
            #expect(accepted.map { $0.events[0].seq } == Array(1...Int64(accepted.count)))
            let amounts = accepted.map(\.bid.amount)
            #expect(zip(amounts, amounts.dropFirst()).allSatisfy { $0 < $1 })
            let final = try #require(try await store.lot(id: lot.id))
            #expect(final.highestPrice == amounts.max())
            #expect(final.highestBidder == accepted.last?.bid.bidder)
            #expect(final.seq == Int64(accepted.count))
            #expect(final.bidCount == Set(accepted.map(\.bid.bidderID)).count)
            #expect(try await store.events(lotID: lot.id, since: 0, limit: 1000) == accepted.flatMap(\.events))
            let bids = try await store.bids(lotID: lot.id)
            #expect(bids.count == final.bidCount)
            #expect(bids.first?.amount == final.highestPrice)
        }
    }
}
