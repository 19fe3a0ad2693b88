import AuctionCore
import PostgresBackend
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
            let synchronous = backends.sqliteSynchronous
            let store = try SQLiteStore(path: folder.appendingPathComponent("limit.sqlite").path, synchronous: synchronous)
            return Opened(store: store) { try? FileManager.default.removeItem(at: folder) }
        case .postgres:
            guard let target = backends.postgres else {
                throw Unavailable(description: "--storage postgres needs --postgres-url")
            }
            let store = PostgresStore(
                configuration: .init(
                    host: target.host, port: target.port, username: target.user, password: target.password,
                    database: target.database),
                logger: logger)
            return Opened(store: store) {}
        }
    }
}
