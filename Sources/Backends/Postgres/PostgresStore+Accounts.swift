import AuctionCore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func createUser(
        username: String, passwordHash: String, idempotency: IdempotentRecording<User>?
    ) async throws -> User {
        let createdAt = Timestamp.milliseconds(Date())
        let user = try await perform(recording: idempotency) { connection, logger in
            do {
                let ids = try await connection.query(
                    """
                    INSERT INTO users (username, password_hash, created_at_ms)
                    VALUES (\(username), \(passwordHash), \(createdAt))
                    RETURNING id
                    """,
                    logger: logger
                ).decode(Int64.self).all()
                return ids.first.map { User(id: $0, username: username, passwordHash: passwordHash) }
            } catch where PostgresErrorMapping.isUniqueViolation(error) {
                throw AuctionError.usernameTaken
            }
        }
        guard let user else { throw AuctionError.unavailable("PostgreSQL returned no id for the new account") }
        return user
    }

    public func user(named username: String) async throws -> User? {
        try await perform { client, logger in
            try await client.query(
                "SELECT id, username, password_hash FROM users WHERE username = \(username)", logger: logger
            ).decode((Int64, String, String).self).all().first.map { User(id: $0.0, username: $0.1, passwordHash: $0.2) }
        }
    }

    public func user(id: Int64) async throws -> User? {
        try await perform { client, logger in
            try await client.query(
                "SELECT id, username, password_hash FROM users WHERE id = \(id)", logger: logger
            ).decode((Int64, String, String).self).all().first.map { User(id: $0.0, username: $0.1, passwordHash: $0.2) }
        }
    }
}
