import AuctionCore
import Foundation
import Logging
import SQLiteBackend

/// Opens the store the database-limit mode bids on, configured as the server's:
/// SQLite on a fresh temporary file with the same synchronous setting, or the
/// same PostgreSQL database (its run() must be running while used).
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
        switch backends.storage {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("auction-bench-limit-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let synchronous: SQLiteBackend.SQLiteSynchronous = backends.sqliteSynchronous == .full ? .full : .normal
            let store = try SQLiteStore(path: folder.appendingPathComponent("limit.sqlite").path, synchronous: synchronous)
            return Opened(store: store) { try? FileManager.default.removeItem(at: folder) }
        case .postgres:
            // Filled in once the PostgreSQL backend is on main.
            throw Unavailable(description: "the postgres backend is not built yet")
        }
    }
}
