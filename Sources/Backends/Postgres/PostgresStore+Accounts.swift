import AuctionCore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func createUser(username: String, passwordHash: String) async throws -> User {
        let createdAt = Timestamp.milliseconds(Date())
        return try await perform { client, logger in
            do {
                let ids = try await client.query(
                    """
                    INSERT INTO users (username, password_hash, created_at_ms)
                    VALUES (\(username), \(passwordHash), \(createdAt))
                    RETURNING id
                    """,
                    logger: logger
                ).decode(Int64.self).all()
                return User(id: ids[0], username: username, passwordHash: passwordHash)
            } catch where PostgresErrorMapping.isUniqueViolation(error) {
                throw AuctionError.usernameTaken
            }
        }
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
