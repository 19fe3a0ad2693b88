import PostgresNIO

/// One step of the schema, applied once, in its own transaction, and recorded in
/// `schema_migrations`. Steps are never edited once released: a change is a new step.
struct PostgresMigration: Sendable {
    let version: Int64
    let name: String
    /// Run in order; PostgreSQL's extended protocol takes one statement per query.
    let statements: [PostgresQuery]
}

enum PostgresMigrations {
    static let all: [PostgresMigration] = [
        createAuctionTables, auctionRules, PostgresIdempotency.migration, PostgresUserEvents.migration,
        PostgresNotifiers.migration,
    ]

    /// Ids are identities; money is integer cents; times are milliseconds since 1970.
    static let createAuctionTables = PostgresMigration(
        version: 1,
        name: "users, lots, bids, events",
        statements: [
            """
            CREATE TABLE users (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                username TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                created_at_ms BIGINT NOT NULL
            )
            """,
            // fillfactor leaves room in each page so that a bid's update of its lot
            // (no indexed column changes) stays a HOT update.
            """
            CREATE TABLE lots (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                title TEXT NOT NULL,
                description TEXT NOT NULL,
                starting_price_cents BIGINT NOT NULL,
                status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished')),
                highest_price_cents BIGINT NOT NULL,
                highest_bidder_id BIGINT NULL REFERENCES users (id),
                bid_count INTEGER NOT NULL DEFAULT 0 CHECK (bid_count >= 0),
                owner_id BIGINT NOT NULL REFERENCES users (id),
                created_at_ms BIGINT NOT NULL,
                ends_at_ms BIGINT NULL,
                min_increment_cents BIGINT NOT NULL,
                soft_close_seconds INTEGER NULL,
                seq BIGINT NOT NULL DEFAULT 0
            ) WITH (fillfactor = 80)
            """,
            """
            CREATE TABLE bids (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                lot_id BIGINT NOT NULL REFERENCES lots (id),
                bidder_id BIGINT NOT NULL REFERENCES users (id),
                amount_cents BIGINT NOT NULL,
                created_at_ms BIGINT NOT NULL,
                updated_at_ms BIGINT NOT NULL,
                UNIQUE (lot_id, bidder_id)
            )
            """,
            """
            CREATE TABLE events (
                lot_id BIGINT NOT NULL REFERENCES lots (id),
                seq BIGINT NOT NULL,
                type TEXT NOT NULL,
                payload TEXT NOT NULL,
                at_ms BIGINT NOT NULL,
                PRIMARY KEY (lot_id, seq)
            )
            """,
            // GET /lots?status=...: newest first within a status.
            "CREATE INDEX lots_status_id ON lots (status, id DESC)",
            // GET /lots/{id}/bids: highest first.
            "CREATE INDEX bids_lot_amount ON bids (lot_id, amount_cents DESC)",
            // The closer: running lots by their end.
            "CREATE INDEX lots_running_ends_at ON lots (ends_at_ms) WHERE status = 'running' AND ends_at_ms IS NOT NULL",
            // A lot as the API shows it, in `PostgresLotRow`'s column order.
            """
            CREATE VIEW lot_details AS
            SELECT l.id, l.title, l.description, l.starting_price_cents, l.status,
                   l.highest_price_cents, hb.username AS highest_bidder, l.bid_count,
                   l.owner_id, o.username AS owner, l.created_at_ms, l.ends_at_ms,
                   l.min_increment_cents, l.soft_close_seconds, l.seq
            FROM lots l
            JOIN users o ON o.id = l.owner_id
            LEFT JOIN users hb ON hb.id = l.highest_bidder_id
            """,
        ]
    )
}

extension PostgresMigrations {
    /// Reserve, buy now, the increment rule and proxy maximums (API.md part 3); the
    /// view gains the leader's id and the new columns at its end. `bid_revision`
    /// is the condition of a bid's write (`PostgresStore+Bids.swift`).
    static let auctionRules = PostgresMigration(
        version: 2,
        name: "reserve, buy now, increment rule, maximums",
        statements: [
            """
            ALTER TABLE lots
                ADD COLUMN reserve_price_cents BIGINT NULL,
                ADD COLUMN buy_now_price_cents BIGINT NULL,
                ADD COLUMN increment_rule TEXT NOT NULL DEFAULT 'fixed' CHECK (increment_rule IN ('fixed', 'ladder')),
                ADD COLUMN bid_revision BIGINT NOT NULL DEFAULT 0
            """,
            "ALTER TABLE bids ADD COLUMN max_amount_cents BIGINT NULL",
            """
            CREATE OR REPLACE VIEW lot_details AS
            SELECT l.id, l.title, l.description, l.starting_price_cents, l.status,
                   l.highest_price_cents, hb.username AS highest_bidder, l.bid_count,
                   l.owner_id, o.username AS owner, l.created_at_ms, l.ends_at_ms,
                   l.min_increment_cents, l.soft_close_seconds, l.seq,
                   l.highest_bidder_id, l.reserve_price_cents, l.buy_now_price_cents, l.increment_rule
            FROM lots l
            JOIN users o ON o.id = l.owner_id
            LEFT JOIN users hb ON hb.id = l.highest_bidder_id
            """,
        ]
    )
}
