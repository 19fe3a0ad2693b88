import AuctionCore
import Logging

/// Brings the schema up to date (auto-migrate) or refuses to serve on an old one.
enum SchemaCheck {
    struct OutOfDate: Error, CustomStringConvertible {
        var description: String {
            "the database schema is out of date: run `auction migrate` (or set storage.autoMigrate / STORAGE_AUTO_MIGRATE=true)"
        }
    }

    static func prepare(store: any AuctionStore, autoMigrate: Bool, logger: Logger) async throws {
        if autoMigrate {
            try await store.migrate()
        } else if try await !store.isSchemaCurrent() {
            throw OutOfDate()
        }
        logger.info("schema is current")
    }
}
