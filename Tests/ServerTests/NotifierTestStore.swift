import AuctionCore
@testable import AuctionServer
import Foundation
import Logging
import PostgresBackend
import Synchronization
import TestSupport

/// The stores the notifier's tests run on, each able to open a second store on
/// the same data (another process, or the same one restarted).
enum NotifierTestStore: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    var description: String { rawValue }

    /// Runs `body` with `open`, which opens a store on one fresh, migrated database
    /// each time it is called; everything opened is stopped and removed afterwards.
    func with<Value>(_ body: (_ open: @Sendable () async throws -> any AuctionStore & NotifierStore) async throws -> Value)
        async throws -> Value
    {
        let running = Mutex<[Task<Void, any Error>]>([])
        let open: @Sendable () async throws -> any AuctionStore & NotifierStore
        let cleanup: () async -> Void
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("telegram-\(UUID()).sqlite").path
            let storage = try AppSettings.testing(sqlitePath: path).storage
            open = {
                let store = try BackendFactory.makeStore(storage, logger: PostgresTestDatabase.logger)
                return try requireNotifier(store)
            }
            cleanup = { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        case .postgres:
            var configuration = try PostgresTestDatabase.configuration()
            let schema = try await PostgresTestDatabase.createSchema(in: configuration)
            configuration.schema = schema
            // As the store tests: the whole suite on two cores makes some queries slow.
            configuration.queryTimeout = .seconds(30)
            let shared = configuration
            open = {
                let store = PostgresStore(configuration: shared, logger: PostgresTestDatabase.logger)
                running.withLock { $0.append(Task { try await store.run() }) }
                return store
            }
            cleanup = {
                for task in running.withLock({ $0 }) {
                    task.cancel()
                    _ = await task.result
                }
                try? await PostgresTestDatabase.dropSchema(schema, in: shared)
            }
        }
        do {
            try await open().migrate()
            let value = try await body(open)
            await cleanup()
            return value
        } catch {
            await cleanup()
            throw error
        }
    }
}

struct NotNotifierStore: Error {}

/// The store as both protocols (every real store is both).
func requireNotifier(_ store: any AuctionStore) throws -> any AuctionStore & NotifierStore {
    guard let both = store as? any AuctionStore & NotifierStore else { throw NotNotifierStore() }
    return both
}
