import AuctionCore
import Foundation
import PostgresNIO
import Testing
import TestSupport

@testable import PostgresBackend

/// Migrations on PostgreSQL: applied once, recorded once, also when two stores migrate at once.
/// The behaviour every store shares is in the conformance suite.
@Suite("PostgreSQL migrations")
struct PostgresMigrationTests {
    @Test("migrations are applied once and recorded once")
    func migrationsRecordedOnce() async throws {
        try await withFreshPostgresStore(migrated: false) { store in
            #expect(try await store.isSchemaCurrent() == false)
            try await store.migrate()
            #expect(try await store.isSchemaCurrent())
            try await store.migrate()
            let versions = try await store.withDirectConnection { connection in
                try await connection.query("SELECT version FROM schema_migrations ORDER BY version", logger: PostgresTestDatabase.logger)
                    .decode(Int64.self).all()
            }
            #expect(versions == PostgresMigrations.all.map(\.version))
        }
    }

    @Test("two stores migrating the same schema at once both succeed, each version once")
    func concurrentMigrate() async throws {
        try await withFreshPostgresStore(migrated: false) { store in
            try await withSecondPostgresStore(sharing: store) { other in
                async let first: Void = store.migrate()
                async let second: Void = other.migrate()
                _ = try await (first, second)
                #expect(try await other.isSchemaCurrent())
            }
            let counts = try await store.withDirectConnection { connection in
                try await connection.query("SELECT version, count(*) FROM schema_migrations GROUP BY version", logger: PostgresTestDatabase.logger)
                    .decode((Int64, Int64).self).all()
            }
            #expect(counts.count == PostgresMigrations.all.count)
            #expect(counts.allSatisfy { $0.1 == 1 })
        }
    }
}
