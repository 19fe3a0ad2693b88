import AuctionCore
import Foundation
import PostgresNIO

/// The notifiers' leases and cursors (`NotifierStore`). Each call is one
/// statement, so two nodes racing for a lease are ordered by its row.
enum PostgresNotifiers {
    static let migration = PostgresMigration(
        version: 5,
        name: "notifier leases and cursors",
        statements: [
            """
            CREATE TABLE notifier_leases (
                notifier TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at_ms BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE notifier_cursors (
                notifier TEXT NOT NULL,
                lot_id BIGINT NOT NULL REFERENCES lots (id),
                seq BIGINT NOT NULL,
                PRIMARY KEY (notifier, lot_id)
            )
            """,
        ]
    )
}

extension PostgresStore: NotifierStore {
    public func acquireNotifierLease(_ notifier: String, holder: String, now: Date, expiry: Date) async throws -> Bool {
        let (nowMs, expiryMs) = (Timestamp.milliseconds(now), Timestamp.milliseconds(expiry))
        return try await perform { client, logger in
            // `xmax = 0` marks a row the upsert inserted: the notifier's first lease,
            // when its cursors start at every lot's current last event.
            let rows = try await client.query(
                """
                WITH lease AS (
                    INSERT INTO notifier_leases (notifier, holder, expires_at_ms)
                    VALUES (\(notifier), \(holder), \(expiryMs))
                    ON CONFLICT (notifier) DO UPDATE
                    SET holder = excluded.holder, expires_at_ms = excluded.expires_at_ms
                    WHERE notifier_leases.holder = excluded.holder OR notifier_leases.expires_at_ms <= \(nowMs)
                    RETURNING xmax = 0 AS fresh
                ),
                baseline AS (
                    INSERT INTO notifier_cursors (notifier, lot_id, seq)
                    SELECT \(notifier), id, seq FROM lots
                    WHERE seq > 0 AND EXISTS (SELECT 1 FROM lease WHERE fresh)
                    ON CONFLICT DO NOTHING
                )
                SELECT count(*) FROM lease
                """,
                logger: logger
            ).decode(Int64.self).all()
            return rows.first == 1
        }
    }

    public func releaseNotifierLease(_ notifier: String, holder: String) async throws {
        // Expired rather than deleted: a missing row would make the next lease a first start.
        try await perform { client, logger in
            _ = try await client.query(
                "UPDATE notifier_leases SET expires_at_ms = 0 WHERE notifier = \(notifier) AND holder = \(holder)",
                logger: logger)
        }
    }

    public func notifierBacklog(_ notifier: String, limit: Int) async throws -> [NotifierCursor] {
        guard limit > 0 else { return [] }
        return try await perform { client, logger in
            try await client.query(
                """
                SELECT l.id, COALESCE(c.seq, 0) FROM lots l
                LEFT JOIN notifier_cursors c ON c.notifier = \(notifier) AND c.lot_id = l.id
                WHERE l.seq > COALESCE(c.seq, 0)
                ORDER BY l.id
                LIMIT \(Int64(limit))
                """,
                logger: logger
            ).decode((Int64, Int64).self).all().map { NotifierCursor(lotID: $0.0, seq: $0.1) }
        }
    }

    public func advanceNotifierCursor(
        _ notifier: String, lotID: Int64, to seq: Int64, holder: String, now: Date
    ) async throws -> Bool {
        let nowMs = Timestamp.milliseconds(now)
        return try await perform { client, logger in
            let rows = try await client.query(
                """
                INSERT INTO notifier_cursors (notifier, lot_id, seq)
                SELECT \(notifier), \(lotID), \(seq)
                WHERE EXISTS (
                    SELECT 1 FROM notifier_leases
                    WHERE notifier = \(notifier) AND holder = \(holder) AND expires_at_ms > \(nowMs)
                )
                ON CONFLICT (notifier, lot_id) DO UPDATE SET seq = GREATEST(notifier_cursors.seq, excluded.seq)
                RETURNING 1
                """,
                logger: logger
            ).decode(Int32.self).all()
            return !rows.isEmpty
        }
    }
}
