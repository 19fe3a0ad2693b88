import AuctionCore
import Logging

/// `auction migrate`: applies the store's pending migrations with the store's
/// own runtime (a connection pool) running only as long as needed.
public enum Migration {
    public static func run(storage: StorageSettings, logger: Logger) async throws {
        let store = try BackendFactory.makeStore(storage, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            try await store.migrate()
            group.cancelAll()
        }
    }
}
