import AuctionCore
import SQLiteBackend

/// Every `AuctionStore` implementation the conformance suite runs against.
/// Adding a backend is one case here and one line in `makeStore()`.
enum StoreBackend: CaseIterable, CustomStringConvertible, Sendable {
    case sqlite

    var description: String {
        switch self {
        case .sqlite: "sqlite"
        }
    }

    /// A fresh, migrated, empty store, owned by one test.
    func makeStore() async throws -> any AuctionStore {
        switch self {
        case .sqlite:
            let store = try SQLiteStore.temporary()
            try await store.migrate()
            return store
        }
    }
}
