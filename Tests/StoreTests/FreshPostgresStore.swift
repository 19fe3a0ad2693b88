import AuctionCore
import Foundation
import Logging
import PostgresBackend
import PostgresNIO
import TestSupport

/// Fresh PostgreSQL stores for tests, each on its own empty schema of the
/// `TEST_POSTGRES_URL` database, so tests running in parallel never see each
/// other's rows.
///
/// A `PostgresStore` needs its pool's `run()` in a task. The helper starts that
/// task and `cleanup` cancels it, waits for it to end (no task outlives the
/// test), then drops the schema. Prefer `withFreshPostgresStore`, which cannot
/// forget the cleanup:
///
///     try await withFreshPostgresStore { store in ... }
///
/// or, when the store must be handed out (the shared conformance suite):
///
///     let (store, cleanup) = try await makeFreshPostgresStore()
///     defer { Task { await cleanup() } }   // or: await cleanup() at the end
/// The stores' query timeout in these tests: their races queue hundreds of bids
/// on one lot while the whole suite runs on two cores, and they test rules, not
/// latency (the fault tests pass their own short timeout). 30 s was once exceeded
/// at a load average of 29.
let storeTestQueryTimeout = Duration.seconds(120)

/// A running store on an empty schema of `base` (default: `TEST_POSTGRES_URL`),
/// migrated unless `migrated` is false, and the cleanup that stops and drops it.
func makeFreshPostgresStore(
    base: PostgresStore.Configuration? = nil, migrated: Bool = true,
    queryTimeout: Duration = storeTestQueryTimeout
) async throws -> (store: PostgresStore, cleanup: @Sendable () async -> Void) {
    var configuration = try base ?? PostgresTestDatabase.configuration()
    configuration.queryTimeout = queryTimeout
    let schema = try await PostgresTestDatabase.createSchema(in: configuration)
    configuration.schema = schema
    let storeConfiguration = configuration
    let store = PostgresStore(configuration: storeConfiguration, logger: PostgresTestDatabase.logger)
    let running = Task { try await store.run() }
    let cleanup: @Sendable () async -> Void = {
        running.cancel()
        _ = await running.result
        try? await PostgresTestDatabase.dropSchema(schema, in: storeConfiguration)
    }
    if migrated {
        do {
            try await store.migrate()
        } catch {
            await cleanup()
            throw error
        }
    }
    return (store, cleanup)
}

/// Runs `body` with a fresh store and always cleans up after it.
func withFreshPostgresStore<Value>(
    migrated: Bool = true, queryTimeout: Duration = storeTestQueryTimeout,
    _ body: (PostgresStore) async throws -> Value
) async throws -> Value {
    let (store, cleanup) = try await makeFreshPostgresStore(migrated: migrated, queryTimeout: queryTimeout)
    do {
        let value = try await body(store)
        await cleanup()
        return value
    } catch {
        await cleanup()
        throw error
    }
}

/// A second store (another "process") on the schema of `store`, running until `body` returns.
func withSecondPostgresStore<Value>(
    sharing store: PostgresStore, _ body: (PostgresStore) async throws -> Value
) async throws -> Value {
    let other = PostgresStore(configuration: store.configuration, logger: PostgresTestDatabase.logger)
    let running = Task { try await other.run() }
    defer { running.cancel() }
    let value = try await body(other)
    running.cancel()
    _ = await running.result
    return value
}
