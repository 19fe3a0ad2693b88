import AuctionCore
import Foundation
import Logging

/// Opens the store the database-limit mode bids on, configured as the server's.
enum DatabaseLimitStore {
    struct Opened: Sendable {
        let store: any AuctionStore
        /// Removes what the store left behind (the SQLite files).
        let cleanup: @Sendable () -> Void
    }

    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    static func open(backends: BackendChoice, logger: Logger) async throws -> Opened {
        // Filled in once the SQLite and PostgreSQL backends are on main.
        throw Unavailable(description: "the \(backends.storage.rawValue) backend is not built yet")
    }
}
