import AuctionCore
import Foundation
import GRDB

extension SQLiteStore {
    public func createUser(
        username: String, passwordHash: String, idempotency: IdempotentRecording<User>?
    ) async throws -> User {
        let now = Timestamp.milliseconds(Date())
        return try await write(recording: idempotency) { db in
            do {
                try db.execute(
                    sql: "INSERT INTO users (username, password_hash, created_at_ms) VALUES (?, ?, ?)",
                    arguments: [username, passwordHash, now]
                )
            } catch DatabaseError.SQLITE_CONSTRAINT_UNIQUE {
                // The unique index, not a prior SELECT, decides: two sign-ups race safely.
                throw AuctionError.usernameTaken
            }
            return User(id: db.lastInsertedRowID, username: username, passwordHash: passwordHash)
        }
    }

    public func user(named username: String) async throws -> User? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE username = ?", arguments: [username])
                .map(SQLiteRows.user(from:))
        }
    }

    public func user(id: Int64) async throws -> User? {
        try await read { db in try SQLiteRows.user(id: id, in: db) }
    }
}
