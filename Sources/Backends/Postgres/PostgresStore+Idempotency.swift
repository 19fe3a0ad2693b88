import AuctionCore
import Foundation
import PostgresNIO

/// Idempotency keys on PostgreSQL: one row per (scope, key), shared by every node.
/// A claim is one `INSERT ... ON CONFLICT DO UPDATE ... WHERE`, so two nodes
/// claiming at once are ordered by the row; the conditions are `IdempotencyPolicy`'s.
enum PostgresIdempotency {
    static let migration = PostgresMigration(
        version: 3,
        name: "idempotency keys",
        statements: [
            """
            CREATE TABLE idempotency_keys (
                scope TEXT NOT NULL,
                idem_key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                token TEXT NOT NULL,
                status INTEGER NULL,
                body TEXT NULL,
                created_at_ms BIGINT NOT NULL,
                claimed_at_ms BIGINT NOT NULL,
                PRIMARY KEY (scope, idem_key)
            )
            """,
            // The purge, oldest first.
            "CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at_ms)",
        ]
    )

    /// Keeps the response under the claim; false when the key is no longer the claim's.
    static func record(
        _ response: StoredResponse, for claim: IdempotencyClaim, on connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE idempotency_keys SET status = \(Int32(clamping: response.status)), body = \(response.body)
            WHERE scope = \(claim.key.scope) AND idem_key = \(claim.key.key) AND token = \(claim.token)
              AND status IS NULL
            RETURNING 1
            """,
            logger: logger
        ).decode(Int32.self).all()
        return !rows.isEmpty
    }
}

extension PostgresStore {
    /// Runs `operation` on one connection. With `recording`, inside a transaction
    /// that also keeps the outcome's response under the claim (a nil outcome keeps
    /// nothing), so the effect and its answer commit together: the lot's lock is
    /// then held until COMMIT, two round trips more, only for requests with a key.
    func perform<Outcome: Sendable>(
        recording: IdempotentRecording<Outcome>?,
        _ operation: @escaping @Sendable (PostgresConnection, Logger) async throws -> Outcome?
    ) async throws -> Outcome? {
        try await perform { client, logger in
            try await client.withConnection { connection in
                guard let recording else { return try await operation(connection, logger) }
                return try await connection.transaction(logger: logger) { connection in
                    guard let outcome = try await operation(connection, logger) else { return nil }
                    let response = recording.render(outcome)
                    guard try await PostgresIdempotency.record(response, for: recording.claim, on: connection, logger: logger)
                    else { throw IdempotencyClaimLost() }
                    return outcome
                }
            }
        }
    }

    public func claimIdempotencyKey(_ key: IdempotencyKey, now: Date) async throws -> IdempotencyClaimResult {
        let nowMS = Timestamp.milliseconds(now)
        let expired = Timestamp.milliseconds(now.addingTimeInterval(-IdempotencyPolicy.retention))
        let leaseEnded = Timestamp.milliseconds(now.addingTimeInterval(-IdempotencyPolicy.lease))
        let claim = IdempotencyClaim(key: key)
        // A row that changes between the two statements (purged, answered) is read again.
        for _ in 1...3 {
            let result: IdempotencyClaimResult? = try await perform { client, logger in
                let claimed = try await client.query(
                    """
                    INSERT INTO idempotency_keys AS k
                        (scope, idem_key, fingerprint, token, created_at_ms, claimed_at_ms)
                    VALUES (\(key.scope), \(key.key), \(key.fingerprint), \(claim.token), \(nowMS), \(nowMS))
                    ON CONFLICT (scope, idem_key) DO UPDATE
                    SET fingerprint = EXCLUDED.fingerprint, token = EXCLUDED.token,
                        claimed_at_ms = EXCLUDED.claimed_at_ms, status = NULL, body = NULL,
                        created_at_ms = CASE WHEN k.created_at_ms <= \(expired)
                                             THEN EXCLUDED.created_at_ms ELSE k.created_at_ms END
                    WHERE k.created_at_ms <= \(expired)
                       OR (k.status IS NULL AND k.claimed_at_ms <= \(leaseEnded)
                           AND k.fingerprint = EXCLUDED.fingerprint)
                    RETURNING 1
                    """,
                    logger: logger
                ).decode(Int32.self).all()
                if !claimed.isEmpty { return .claimed(claim) }
                let rows = try await client.query(
                    """
                    SELECT fingerprint, status, body, created_at_ms, claimed_at_ms FROM idempotency_keys
                    WHERE scope = \(key.scope) AND idem_key = \(key.key)
                    """,
                    logger: logger
                ).decode((String, Int32?, String?, Int64, Int64).self).all()
                guard let (fingerprint, status, body, createdAt, claimedAt) = rows.first else { return nil }
                let row = IdempotencyPolicy.Row(
                    fingerprint: fingerprint, response: status.map { StoredResponse(status: Int($0), body: body ?? "") },
                    createdAt: Timestamp.date(milliseconds: createdAt), claimedAt: Timestamp.date(milliseconds: claimedAt))
                guard case .answer(let answer) = IdempotencyPolicy.decide(existing: row, fingerprint: key.fingerprint, now: now)
                else { return nil }
                return answer
            }
            if let result { return result }
        }
        throw AuctionError.unavailable("the idempotency key changed too often to claim; try again")
    }

    public func finishIdempotencyKey(_ claim: IdempotencyClaim, response: StoredResponse?) async throws {
        try await perform { client, logger in
            if let response {
                try await client.withConnection { connection in
                    _ = try await PostgresIdempotency.record(response, for: claim, on: connection, logger: logger)
                }
            } else {
                try await client.query(
                    """
                    DELETE FROM idempotency_keys
                    WHERE scope = \(claim.key.scope) AND idem_key = \(claim.key.key) AND token = \(claim.token)
                      AND status IS NULL
                    """,
                    logger: logger
                )
            }
        }
    }

    public func purgeIdempotencyKeys(olderThan cutoff: Date) async throws -> Int {
        let cutoffMS = Timestamp.milliseconds(cutoff)
        let counts = try await perform { client, logger in
            try await client.query(
                """
                WITH purged AS (DELETE FROM idempotency_keys WHERE created_at_ms < \(cutoffMS) RETURNING 1)
                SELECT count(*) FROM purged
                """,
                logger: logger
            ).decode(Int64.self).all()
        }
        return Int(counts.first ?? 0)
    }
}
