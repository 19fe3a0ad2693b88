import AuctionCore
import Foundation
import GRDB

/// The notifiers' leases and cursors (`NotifierStore`). SQLite is one node, but
/// the store keeps the same API; the single writer orders every change.
enum SQLiteNotifiers {
    static let schema = """
        CREATE TABLE notifier_leases (
            notifier TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at_ms INTEGER NOT NULL
        );
        CREATE TABLE notifier_cursors (
            notifier TEXT NOT NULL,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            seq INTEGER NOT NULL,
            PRIMARY KEY (notifier, lot_id)
        ) WITHOUT ROWID;
        """
}

extension SQLiteStore: NotifierStore {
    public func acquireNotifierLease(_ notifier: String, holder: String, now: Date, expiry: Date) async throws -> Bool {
        let (nowMs, expiryMs) = (Timestamp.milliseconds(now), Timestamp.milliseconds(expiry))
        return try await write { db in
            let current = try Row.fetchOne(
                db, sql: "SELECT holder, expires_at_ms FROM notifier_leases WHERE notifier = ?", arguments: [notifier])
            if let current {
                let (owner, expires): (String, Int64) = (current["holder"], current["expires_at_ms"])
                guard owner == holder || expires <= nowMs else { return false }
                try db.execute(
                    sql: "UPDATE notifier_leases SET holder = ?, expires_at_ms = ? WHERE notifier = ?",
                    arguments: [holder, expiryMs, notifier])
            } else {
                // The notifier's first lease: its cursors start at every lot's last event.
                try db.execute(
                    sql: "INSERT INTO notifier_leases (notifier, holder, expires_at_ms) VALUES (?, ?, ?)",
                    arguments: [notifier, holder, expiryMs])
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO notifier_cursors (notifier, lot_id, seq)
                        SELECT ?, id, seq FROM lots WHERE seq > 0
                        """,
                    arguments: [notifier])
            }
            return true
        }
    }

    public func releaseNotifierLease(_ notifier: String, holder: String) async throws {
        // Expired rather than deleted: a missing row would make the next lease a first start.
        try await write { db in
            try db.execute(
                sql: "UPDATE notifier_leases SET expires_at_ms = 0 WHERE notifier = ? AND holder = ?",
                arguments: [notifier, holder])
        }
    }

    public func notifierBacklog(_ notifier: String, limit: Int) async throws -> [NotifierCursor] {
        guard limit > 0 else { return [] }
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, COALESCE(c.seq, 0) AS sent FROM lots l
                    LEFT JOIN notifier_cursors c ON c.notifier = ? AND c.lot_id = l.id
                    WHERE l.seq > COALESCE(c.seq, 0)
                    ORDER BY l.id
                    LIMIT ?
                    """,
                arguments: [notifier, limit]
            ).map { NotifierCursor(lotID: $0["id"], seq: $0["sent"]) }
        }
    }

    public func advanceNotifierCursor(
        _ notifier: String, lotID: Int64, to seq: Int64, holder: String, now: Date
    ) async throws -> Bool {
        let nowMs = Timestamp.milliseconds(now)
        return try await write { db in
            let holds = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM notifier_leases WHERE notifier = ? AND holder = ? AND expires_at_ms > ?",
                arguments: [notifier, holder, nowMs]) ?? false
            guard holds else { return false }
            try db.execute(
                sql: """
                    INSERT INTO notifier_cursors (notifier, lot_id, seq) VALUES (?, ?, ?)
                    ON CONFLICT (notifier, lot_id) DO UPDATE SET seq = MAX(seq, excluded.seq)
                    """,
                arguments: [notifier, lotID, seq])
            return true
        }
    }
}
