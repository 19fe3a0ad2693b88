import AuctionCore
@testable import AuctionServer
import Foundation
import InMemoryBroker
import Logging
import PostgresBackend
import Sessions
import TestSupport

/// The stores the route tests run on.
enum TestStorage: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    var description: String { rawValue }

    /// The dependencies of a test app: a fresh store (PostgreSQL: an empty schema
    /// of the test database), in-memory broker and sessions. Nil means "from the
    /// settings" (SQLite on the test's own file).
    func dependencies() async throws -> (AuctionDependencies?, cleanup: @Sendable () async -> Void) {
        switch self {
        case .sqlite:
            return (nil, {})
        case .postgres:
            var configuration = try PostgresTestDatabase.configuration()
            let schema = try await PostgresTestDatabase.createSchema(in: configuration)
            configuration.schema = schema
            // Route tests check answers, not latency; 5 s was exceeded at a load of 29.
            configuration.queryTimeout = .seconds(120)
            let store = PostgresStore(configuration: configuration, logger: PostgresTestDatabase.logger)
            let dropped = configuration
            return (
                AuctionDependencies(store: store, broker: InMemoryBroker(), sessions: InMemorySessionStore()),
                { try? await PostgresTestDatabase.dropSchema(schema, in: dropped) }
            )
        }
    }
}
