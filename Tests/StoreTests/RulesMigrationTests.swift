import AuctionCore
import Foundation
import PostgresNIO
import Testing
import TestSupport

@testable import PostgresBackend
@testable import SQLiteBackend

/// A database made before the auction rules migrates to them, keeping its lots and bids.
@Suite("Rules migrations")
struct RulesMigrationTests {
    @Test("SQLite: a v1 database gains reserve, buy now, the increment rule and maximums")
    func sqlite() async throws {
        let store = try SQLiteStore.temporary()
        try SQLiteSchema.migrator.migrate(store.dbPool, upTo: "v1-auction")
        #expect(try await store.isSchemaCurrent() == false)
        try await store.dbPool.write { db in
            try db.execute(sql: Self.v1Rows)
        }
        try await store.migrate()
        try await Self.checkMigrated(store)
    }

    @Test("PostgreSQL: a version 1 schema gains reserve, buy now, the increment rule and maximums")
    func postgres() async throws {
        try await withFreshPostgresStore(migrated: false) { store in
            try await store.withDirectConnection { connection in
                let logger = PostgresTestDatabase.logger
                try await connection.query(
                    "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                    logger: logger)
                for statement in PostgresMigrations.createAuctionTables.statements {
                    try await connection.query(statement, logger: logger)
                }
                try await connection.query("INSERT INTO schema_migrations (version) VALUES (1)", logger: logger)
                for statement in Self.v1Rows.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
                    try await connection.query(PostgresQuery(unsafeSQL: String(statement)), logger: logger)
                }
            }
            #expect(try await store.isSchemaCurrent() == false)
            try await store.migrate()
            try await Self.checkMigrated(store)
        }
    }

    /// A user, an owner, a lot with one bid, as version 1 wrote them (ids given, as both stores accept).
    private static let v1Rows = """
        INSERT INTO users (username, password_hash, created_at_ms) VALUES ('owner', 'h', 0);
        INSERT INTO users (username, password_hash, created_at_ms) VALUES ('ann', 'h', 0);
        INSERT INTO lots (title, description, starting_price_cents, status, highest_price_cents, highest_bidder_id,
            bid_count, owner_id, created_at_ms, min_increment_cents, seq)
            VALUES ('Old', 'An old lot', 1000, 'running', 1200, 2, 1, 1, 0, 100, 1);
        INSERT INTO bids (lot_id, bidder_id, amount_cents, created_at_ms, updated_at_ms) VALUES (1, 2, 1200, 0, 0);
        INSERT INTO events (lot_id, seq, type, payload, at_ms) VALUES (1, 1, 'bid_placed', '{}', 0)
        """

    private static func checkMigrated(_ store: any AuctionStore) async throws {
        #expect(try await store.isSchemaCurrent())
        let lot = try #require(try await store.lot(id: 1))
        #expect(lot.incrementRule == .fixed && lot.reservePrice == nil && lot.buyNowPrice == nil)
        #expect(lot.reserveMet == nil && lot.highestBidder == "ann" && lot.highestPrice == Money(cents: 12_00))
        #expect(try await store.bids(lotID: 1).map(\.leading) == [true])
        // The old bid's maximum is its amount: a new bidder's maximum above it takes the lead.
        let bob = try await store.createUser(username: "bob", passwordHash: "h")
        let outcome = try await store.placeBid(
            lotID: 1, bidderID: bob.id, amount: Money(cents: 13_00), maxAmount: Money(cents: 20_00), mode: .create,
            now: Date())
        #expect(outcome.bid.leading && outcome.bid.amount == Money(cents: 13_00))
    }
}
