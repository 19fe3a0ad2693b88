import AuctionCore
import Foundation
import PostgresNIO

/// The users' own event logs: the SQL that writes them inside a change's
/// transaction and reads them back. `user_streams` holds each user's last seq;
/// taking the next numbers is an upsert on it, whose row lock serializes two
/// changes that reach one user (in user id order, so they cannot deadlock).
enum PostgresUserEvents {
    static let migration = PostgresMigration(
        version: 4,
        name: "user events",
        statements: [
            """
            CREATE TABLE user_streams (
                user_id BIGINT PRIMARY KEY REFERENCES users (id),
                seq BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE user_events (
                user_id BIGINT NOT NULL REFERENCES users (id),
                seq BIGINT NOT NULL,
                lot_id BIGINT NOT NULL REFERENCES lots (id),
                type TEXT NOT NULL,
                payload TEXT NOT NULL,
                at_ms BIGINT NOT NULL,
                PRIMARY KEY (user_id, seq)
            )
            """,
        ]
    )

    /// Numbers the drafts in each user's stream, in order, and writes them: one
    /// statement (`\(userEvents:)`).
    static func append(
        _ drafts: [UserEventDraft], on connection: PostgresConnection, logger: Logger
    ) async throws -> [EventRecord] {
        guard !drafts.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            WITH \(userEvents: drafts, when: nil)
            SELECT user_id, seq, lot_id, payload FROM user_written
            """,
            logger: logger
        ).decode((Int64, Int64, Int64, String).self).all()
        return records(rows)
    }

    /// Each user's in seq order (RETURNING has no order of its own).
    static func records(_ rows: [(Int64, Int64, Int64, String)]) -> [EventRecord] {
        rows.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            .map { EventRecord(stream: .user($0.0), lotID: $0.2, seq: $0.1, json: $0.3) }
    }

    /// Writes the won/lost of the lots that `events` finish (each lot's events
    /// together, in order), from the bidders and leader as they are now.
    static func appendClosing(
        _ events: [AuctionEvent], on connection: PostgresConnection, logger: Logger
    ) async throws -> [EventRecord] {
        let lotIDs = Array(Set(events.map(\.lotID)))
        guard !lotIDs.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT l.id, l.highest_bidder_id, l.highest_price_cents, u.id, u.username, l.reserve_price_cents
            FROM lots l JOIN bids b ON b.lot_id = l.id JOIN users u ON u.id = b.bidder_id
            WHERE l.id = ANY(\(lotIDs))
            """,
            logger: logger
        ).decode((Int64, Int64?, Int64, Int64, String, Int64?).self).all()
        var drafts: [UserEventDraft] = []
        for lotID in lotIDs.sorted() {
            let lot = rows.filter { $0.0 == lotID }
            guard let first = lot.first else { continue }
            let kinds = events.filter { $0.lotID == lotID }
            drafts += UserEventRules.userEvents(
                lotID: lotID, at: kinds.first?.at ?? Date(), events: kinds.map(\.kind), leaderBefore: first.1,
                leaderAfter: first.1, price: Money(cents: first.2),
                bidders: lot.map { LotBidder(id: $0.3, username: $0.4) }, reserve: first.5.map(Money.init(cents:)))
        }
        return try await append(drafts, on: connection, logger: logger)
    }
}

extension PostgresStore {
    public func userEvents(userID: Int64, since: Int64, limit: Int) async throws -> [EventRecord] {
        guard limit > 0 else { return [] }
        return try await perform { client, logger in
            try await client.query(
                """
                SELECT seq, lot_id, payload FROM user_events
                WHERE user_id = \(userID) AND seq > \(since)
                ORDER BY seq
                LIMIT \(Int64(limit))
                """,
                logger: logger
            ).decode((Int64, Int64, String).self).all().map {
                EventRecord(stream: .user(userID), lotID: $0.1, seq: $0.0, json: $0.2)
            }
        }
    }

    public func latestUserSeqs(userIDs: [Int64]) async throws -> [Int64: Int64] {
        guard !userIDs.isEmpty else { return [:] }
        return try await perform { client, logger in
            let rows = try await client.query(
                "SELECT user_id, seq FROM user_streams WHERE user_id = ANY(\(userIDs))", logger: logger
            ).decode((Int64, Int64).self).all()
            return Dictionary(rows, uniquingKeysWith: { first, _ in first })
        }
    }
}

extension PostgresQuery.StringInterpolation {
    /// The CTEs that number `drafts` in each user's stream and write them, ending
    /// in `user_written` (user_id, seq, lot_id, payload): the JSON's `seq` spliced
    /// in by SQL as `EventTemplate` does. With `when`, the name of a CTE of the same
    /// statement, they write only when it has a row (the bid's `moved`).
    mutating func appendInterpolation(userEvents drafts: [UserEventDraft], when gate: String?) {
        var counts: [Int64: Int64] = [:]
        let ordinals = drafts.map { draft -> Int64 in
            counts[draft.userID, default: 0] += 1
            return counts[draft.userID]!
        }
        let parts = drafts.map(\.jsonParts)
        appendLiteral("user_drafts AS (SELECT d.* FROM unnest(")
        appendInterpolation(drafts.map(\.userID))
        appendLiteral("::bigint[], ")
        appendInterpolation(ordinals)
        appendLiteral("::bigint[], ")
        appendInterpolation(drafts.map(\.lotID))
        appendLiteral("::bigint[], ")
        appendInterpolation(drafts.map(\.kind.typeName))
        appendLiteral("::text[], ")
        appendInterpolation(parts.map(\.prefix))
        appendLiteral("::text[], ")
        appendInterpolation(parts.map(\.suffix))
        appendLiteral("::text[], ")
        appendInterpolation(drafts.map { Timestamp.milliseconds($0.at) })
        appendLiteral("::bigint[]) AS d(user_id, n, lot_id, type, prefix, suffix, at_ms)")
        if let gate { appendLiteral(", \(gate)") }
        appendLiteral(
            """
            ),
            user_totals AS (SELECT user_id, count(*) AS total FROM user_drafts GROUP BY user_id),
            user_numbered AS (
                INSERT INTO user_streams (user_id, seq)
                SELECT user_id, total FROM user_totals ORDER BY user_id
                ON CONFLICT (user_id) DO UPDATE SET seq = user_streams.seq + excluded.seq
                RETURNING user_id, seq
            ),
            user_written AS (
                INSERT INTO user_events (user_id, seq, lot_id, type, payload, at_ms)
                SELECT d.user_id, s.seq - t.total + d.n, d.lot_id, d.type,
                       d.prefix || (s.seq - t.total + d.n) || d.suffix, d.at_ms
                FROM user_drafts d JOIN user_totals t USING (user_id) JOIN user_numbered s USING (user_id)
                RETURNING user_id, seq, lot_id, payload
            )
            """)
    }
}
