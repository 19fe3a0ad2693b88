import AuctionCore
import PostgresBackend
import SQLiteBackend

/// Every `AuctionStore` implementation the conformance suite runs against.
/// Adding a backend is one case here and one line in `makeStore()`.
enum StoreBackend: CaseIterable, CustomStringConvertible, Sendable {
    case sqlite
    case postgres

    var description: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// A fresh, migrated, empty store, owned by one test.
    func makeStore() async throws -> any AuctionStore {
        switch self {
        case .sqlite:
            let store = try SQLiteStore.temporary()
            try await store.migrate()
            return store
        case .postgres:
            // A schema of its own in the test database. Its pool keeps running until
            // the test process ends (the test cluster allows 300 connections).
            return try await makeFreshPostgresStore().store
        }
    }
}
