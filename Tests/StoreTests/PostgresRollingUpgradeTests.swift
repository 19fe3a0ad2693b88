import AuctionCore
import Foundation
import PostgresNIO
import Testing
import TestSupport

@testable import PostgresBackend

/// A node of this version on a schema that a later version migrated: a migration
/// that appends a column to `lot_details` (as version 2 did) must not break the
/// reads and bids of the nodes not yet replaced.
@Suite("PostgreSQL: a later view")
struct PostgresRollingUpgradeTests {
    @Test("a column appended to lot_details: lots read and bids placed as before, prepared reads too")
    func appendedViewColumn() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let ann = try await store.makeUser()
            let bob = try await store.makeUser()
            let lot = try await store.makeLot(owner: owner, startingCents: 1000)
            // Before the change, so that the connection that bids has the bid's read prepared.
            for cents in stride(from: Int64(1100), to: 1500, by: 100) {
                _ = try await store.placeBid(
                    lotID: lot.id, bidderID: ann.id, amount: Money(cents: cents), mode: cents == 1100 ? .create : .raise,
                    now: Date())
            }
            let current = try #require(PostgresMigrations.auctionRules.statements.last).sql
            let later = current.replacingOccurrences(
                of: "l.increment_rule\n", with: "l.increment_rule, 'appended later'::text AS a_later_column\n")
            try #require(later != current)
            _ = try await store.withDirectConnection { connection in
                try await connection.query(PostgresQuery(unsafeSQL: later), logger: PostgresTestDatabase.logger)
            }

            let read = try #require(try await store.lot(id: lot.id))
            #expect(read.highestPrice == Money(cents: 1400))
            #expect(read.highestBidder == ann.username)
            #expect(read.incrementRule == .fixed)
            #expect(try await store.lots(filter: .running, limit: 10, after: nil).map(\.id) == [lot.id])
            #expect(try await store.lots(filter: .all, limit: 10, after: nil).map(\.id) == [lot.id])
            let outcome = try await store.placeBid(
                lotID: lot.id, bidderID: bob.id, amount: Money(cents: 1500), mode: .create, now: Date())
            #expect(outcome.bid.amount == Money(cents: 1500))
            #expect(outcome.bid.leading)
            for cents in stride(from: Int64(1600), to: 2000, by: 100) {
                _ = try await store.placeBid(
                    lotID: lot.id, bidderID: ann.id, amount: Money(cents: cents), mode: .raise, now: Date())
            }
            let after = try #require(try await store.lot(id: lot.id))
            #expect(after.highestPrice == Money(cents: 1900))
            #expect(after.highestBidder == ann.username)
            #expect(after.bidCount == 2)
        }
    }
}
