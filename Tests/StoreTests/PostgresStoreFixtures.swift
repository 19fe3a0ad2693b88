import TestSupport
import AuctionCore
import Foundation
import PostgresBackend
import PostgresNIO

/// Small builders shared by the PostgreSQL tests.
extension PostgresStore {
    func makeUser(_ name: String = "user-\(UUID().uuidString.prefix(8))") async throws -> User {
        try await createUser(username: name, passwordHash: "$2b$12$hash")
    }

    func makeLot(
        owner: User, startingCents: Int64 = 100, endsAt: Date? = nil, softCloseSeconds: Int? = nil,
        minIncrementCents: Int64 = 1, now: Date = Date()
    ) async throws -> Lot {
        try await createLot(
            NewLot(
                title: "Lot", description: "A lot", startingPrice: Money(cents: startingCents), ownerID: owner.id,
                endsAt: endsAt, minIncrement: Money(cents: minIncrementCents), softCloseSeconds: softCloseSeconds
            ),
            now: now
        )
    }

    /// Runs a query on this store's schema through a plain connection.
    func withDirectConnection<Value>(_ body: (PostgresConnection) async throws -> Value) async throws -> Value {
        try await PostgresTestDatabase.withAdminConnection(configuration, schema: configuration.schema, body)
    }
}

/// The refusal a call threw, or nil when it threw nothing or something else.
func auctionError(_ body: () async throws -> Void) async -> AuctionError? {
    do {
        try await body()
        return nil
    } catch let error as AuctionError {
        return error
    } catch {
        return nil
    }
}
