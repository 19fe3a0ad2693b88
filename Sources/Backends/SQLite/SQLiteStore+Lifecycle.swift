import AuctionCore
import GRDB

extension SQLiteStore: AuctionStore {
    /// Nothing runs in the background: GRDB opens connections on demand.
    public func run() async throws {}

    public func migrate() async throws {
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                SQLiteSchema.migrator.asyncMigrate(dbPool) { result in
                    continuation.resume(with: result.map { _ in })
                }
            }
        } catch let error as DatabaseError {
            throw SQLiteErrors.map(error)
        }
    }

    public func isSchemaCurrent() async throws -> Bool {
        try await read { db in try SQLiteSchema.migrator.hasCompletedMigrations(db) }
    }

    public func ping() async throws {
        _ = try await read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}
