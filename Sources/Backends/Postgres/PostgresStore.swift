import AuctionCore
import Foundation
import Logging
import PostgresNIO

/// `AuctionStore` on PostgreSQL through a `PostgresClient` pool.
///
/// The pool needs a running task: run `run()` as a service (the server does)
/// before the first call. Every call is bounded by the configuration's
/// `queryTimeout` and fails with `AuctionError.unavailable` when the server
/// cannot be reached; the pool reconnects by itself once the server is back.
///
/// Bids are serialized by the lot's row lock, held by the bid's one transaction
/// (see `PostgresStore+Bids.swift`), so the rules hold with any number of server
/// processes on one database.
public final class PostgresStore: AuctionStore {
    let client: PostgresClient
    public let configuration: Configuration
    let logger: Logger

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.client = PostgresClient(configuration: configuration.clientConfiguration, backgroundLogger: logger)
    }

    /// Runs the connection pool until the task is cancelled (or a graceful shutdown).
    /// Call it once per store: the pool cannot be restarted.
    public func run() async throws {
        await client.run()
    }

    public func ping() async throws {
        try await perform { client, logger in
            _ = try await client.query("SELECT 1", logger: logger).decode(Int32.self).all()
        }
    }

    /// Runs one store call: bounded by the query timeout, its errors mapped to the
    /// store's contract.
    func perform<Value: Sendable>(
        timeout: Duration? = nil, _ operation: @escaping @Sendable (PostgresClient, Logger) async throws -> Value
    ) async throws -> Value {
        let (client, logger, timeout) = (self.client, self.logger, timeout ?? configuration.queryTimeout)
        do {
            return try await withDeadline(timeout) { try await operation(client, logger) }
        } catch {
            throw PostgresErrorMapping.map(error, timeout: timeout)
        }
    }
}

extension PostgresConnection {
    /// BEGIN, `body`, COMMIT; ROLLBACK when `body` throws, and the original error
    /// rethrown (PostgresNIO's own helper wraps it, which would hide refusals).
    /// A connection whose ROLLBACK fails is closed so it never returns to the pool
    /// inside a transaction.
    func transaction<Value>(
        logger: Logger, _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await query("BEGIN", logger: logger)
        let value: Value
        do {
            value = try await body(self)
        } catch {
            do {
                try await query("ROLLBACK", logger: logger)
            } catch {
                try? await close()
            }
            throw error
        }
        try await query("COMMIT", logger: logger)
        return value
    }
}

extension AsyncSequence {
    /// Every element, in order.
    func all() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
