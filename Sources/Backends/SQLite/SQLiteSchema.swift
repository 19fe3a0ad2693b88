import GRDB

/// The versioned schema. Migrations are append-only: a released one never changes.
///
/// Table and column names match the PostgreSQL backend. Money is integer cents,
/// dates are milliseconds since 1970.
enum SQLiteSchema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-auction") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-auction-rules") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3-idempotency-keys") { db in
            try db.execute(sql: SQLiteIdempotency.schema)
        }
        migrator.registerMigration("v4-user-events") { db in
            try db.execute(sql: SQLiteUserEvents.schema)
        }
        migrator.registerMigration("v5-notifiers") { db in
            try db.execute(sql: SQLiteNotifiers.schema)
        }
        return migrator
    }()

    // AUTOINCREMENT so that ids are never reused, like PostgreSQL's sequences.
    private static let v1 = """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL
        );

        CREATE TABLE lots (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            starting_price_cents INTEGER NOT NULL CHECK (starting_price_cents > 0),
            status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished')),
            highest_price_cents INTEGER NOT NULL,
            highest_bidder_id INTEGER REFERENCES users(id),
            bid_count INTEGER NOT NULL DEFAULT 0,
            owner_id INTEGER NOT NULL REFERENCES users(id),
            created_at_ms INTEGER NOT NULL,
            ends_at_ms INTEGER,
            min_increment_cents INTEGER NOT NULL DEFAULT 1 CHECK (min_increment_cents > 0),
            soft_close_seconds INTEGER,
            seq INTEGER NOT NULL DEFAULT 0
        );
        -- Listing by status, newest first.
        CREATE INDEX lots_status_id ON lots(status, id DESC);
        -- The closer's scan for running lots whose end has passed.
        CREATE INDEX lots_running_ends_at ON lots(ends_at_ms)
            WHERE status = 'running' AND ends_at_ms IS NOT NULL;

        CREATE TABLE bids (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            bidder_id INTEGER NOT NULL REFERENCES users(id),
            amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
            created_at_ms INTEGER NOT NULL,
            updated_at_ms INTEGER NOT NULL,
            UNIQUE (lot_id, bidder_id)
        );
        -- A lot's bids, highest first.
        CREATE INDEX bids_lot_amount ON bids(lot_id, amount_cents DESC);

        CREATE TABLE events (
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            seq INTEGER NOT NULL,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            at_ms INTEGER NOT NULL,
            PRIMARY KEY (lot_id, seq)
        ) WITHOUT ROWID;
        """

    /// Reserve, buy now, the increment rule, and proxy maximums (API.md part 3).
    private static let v2 = """
        ALTER TABLE lots ADD COLUMN reserve_price_cents INTEGER;
        ALTER TABLE lots ADD COLUMN buy_now_price_cents INTEGER;
        ALTER TABLE lots ADD COLUMN increment_rule TEXT NOT NULL DEFAULT 'fixed'
            CHECK (increment_rule IN ('fixed', 'ladder'));
        ALTER TABLE bids ADD COLUMN max_amount_cents INTEGER;
        """
}
