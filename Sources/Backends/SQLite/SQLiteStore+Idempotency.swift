import AuctionCore
import Foundation
import GRDB

/// Idempotency keys on SQLite: one row per (scope, key). Every change runs on the
/// single writer connection, so a claim's read and write cannot interleave with
/// another's; `IdempotencyPolicy.decide` makes the decision.
enum SQLiteIdempotency {
    /// Migration v2: the row holds the claim (token, claimed_at) until the response
    /// (status, body) is written into it by the transaction of the effect.
    static let schema = """
        CREATE TABLE idempotency_keys (
            scope TEXT NOT NULL,
            idem_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            token TEXT NOT NULL,
            status INTEGER,
            body TEXT,
            created_at_ms INTEGER NOT NULL,
            claimed_at_ms INTEGER NOT NULL,
            PRIMARY KEY (scope, idem_key)
        ) WITHOUT ROWID;
        -- The purge, oldest first.
        CREATE INDEX idempotency_keys_created_at ON idempotency_keys(created_at_ms);
        """

    /// Keeps the response under the claim; false when the key is no longer the
    /// claim's (taken over, or answered already).
    static func record(_ response: StoredResponse, for claim: IdempotencyClaim, in db: Database) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE idempotency_keys SET status = ?, body = ?
                WHERE scope = ? AND idem_key = ? AND token = ? AND status IS NULL
                """,
            arguments: [response.status, response.body, claim.key.scope, claim.key.key, claim.token]
        )
        return db.changesCount == 1
    }
}

extension SQLiteStore {
    /// One write transaction whose result, when `recording` is given, is kept as the
    /// key's response in the same transaction.
    func write<T: Sendable>(
        recording: IdempotentRecording<T>?, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await write { db in
            let outcome = try body(db)
            // A claim taken over must not commit its effect too: throwing rolls it back.
            if let recording, try !SQLiteIdempotency.record(recording.render(outcome), for: recording.claim, in: db) {
                throw IdempotencyClaimLost()
            }
            return outcome
        }
    }

    public func claimIdempotencyKey(_ key: IdempotencyKey, now: Date) async throws -> IdempotencyClaimResult {
        let nowMS = Timestamp.milliseconds(now)
        return try await write { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT fingerprint, status, body, created_at_ms, claimed_at_ms
                    FROM idempotency_keys WHERE scope = ? AND idem_key = ?
                    """,
                arguments: [key.scope, key.key]
            ).map { row in
                IdempotencyPolicy.Row(
                    fingerprint: row["fingerprint"],
                    response: (row["status"] as Int?).map { StoredResponse(status: $0, body: row["body"] ?? "") },
                    createdAt: Timestamp.date(milliseconds: row["created_at_ms"]),
                    claimedAt: Timestamp.date(milliseconds: row["claimed_at_ms"]))
            }
            let claim = IdempotencyClaim(key: key)
            switch IdempotencyPolicy.decide(existing: row, fingerprint: key.fingerprint, now: now) {
            case .answer(let result):
                return result
            case .insert:
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO idempotency_keys
                            (scope, idem_key, fingerprint, token, status, body, created_at_ms, claimed_at_ms)
                        VALUES (?, ?, ?, ?, NULL, NULL, ?, ?)
                        """,
                    arguments: [key.scope, key.key, key.fingerprint, claim.token, nowMS, nowMS]
                )
            case .takeOver:
                try db.execute(
                    sql: "UPDATE idempotency_keys SET token = ?, claimed_at_ms = ? WHERE scope = ? AND idem_key = ?",
                    arguments: [claim.token, nowMS, key.scope, key.key]
                )
            }
            return .claimed(claim)
        }
    }

    public func finishIdempotencyKey(_ claim: IdempotencyClaim, response: StoredResponse?) async throws {
        try await write { db in
            if let response {
                _ = try SQLiteIdempotency.record(response, for: claim, in: db)
            } else {
                try db.execute(
                    sql: "DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ? AND token = ? AND status IS NULL",
                    arguments: [claim.key.scope, claim.key.key, claim.token]
                )
            }
        }
    }

    public func purgeIdempotencyKeys(olderThan cutoff: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM idempotency_keys WHERE created_at_ms < ?", arguments: [Timestamp.milliseconds(cutoff)])
            return db.changesCount
        }
    }
}
