import AuctionCore
import Foundation
import GRDB

/// The users' own event logs: the SQL that writes them inside a change's
/// transaction and reads them back. `user_streams` holds each user's last seq;
/// the single writer connection makes read-then-write safe here.
enum SQLiteUserEvents {
    static let schema = """
        CREATE TABLE user_streams (
            user_id INTEGER PRIMARY KEY REFERENCES users(id),
            seq INTEGER NOT NULL
        );
        CREATE TABLE user_events (
            user_id INTEGER NOT NULL REFERENCES users(id),
            seq INTEGER NOT NULL,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            at_ms INTEGER NOT NULL,
            PRIMARY KEY (user_id, seq)
        ) WITHOUT ROWID;
        """

    /// The user events of `lot` finishing with `events` (`lot` as it was before them).
    static func closing(_ lot: Lot, events: [AuctionEvent], in db: Database) throws -> [UserEventDraft] {
        guard lot.bidCount > 0 else { return [] }
        let bidders = try Row.fetchAll(
            db, sql: "SELECT users.id, users.username FROM bids JOIN users ON users.id = bids.bidder_id WHERE bids.lot_id = ?",
            arguments: [lot.id]
        ).map { LotBidder(id: $0["id"], username: $0["username"]) }
        // A closing changes no leader: the lot as read before it has the one.
        return UserEventRules.userEvents(
            lotID: lot.id, at: events.first?.at ?? Date(), events: events.map(\.kind), leaderBefore: lot.highestBidderID,
            leaderAfter: lot.highestBidderID, price: lot.highestPrice, bidders: bidders, reserve: lot.reservePrice)
    }

    /// Numbers the drafts in each user's stream, in order, and writes them.
    static func append(_ drafts: [UserEventDraft], in db: Database) throws -> [EventRecord] {
        var last: [Int64: Int64] = [:]
        var records: [EventRecord] = []
        for draft in drafts {
            let previous = try last[draft.userID]
                ?? Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT seq FROM user_streams WHERE user_id = ?"), arguments: [draft.userID])
                ?? 0
            let event = draft.numbered(previous + 1)
            last[draft.userID] = event.seq
            try db.cachedStatement(
                sql: "INSERT INTO user_events (user_id, seq, lot_id, type, payload, at_ms) VALUES (?, ?, ?, ?, ?, ?)"
            ).execute(arguments: [
                event.userID, event.seq, event.lotID, event.kind.typeName, event.json, Timestamp.milliseconds(event.at),
            ])
            records.append(event.record)
        }
        for (userID, seq) in last {
            try db.cachedStatement(
                sql: "INSERT INTO user_streams (user_id, seq) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET seq = excluded.seq"
            ).execute(arguments: [userID, seq])
        }
        return records
    }

    static func events(userID: Int64, since: Int64, limit: Int, in db: Database) throws -> [EventRecord] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT lot_id, seq, payload FROM user_events WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?"),
            arguments: [userID, since, limit]
        ).map { EventRecord(stream: .user(userID), lotID: $0["lot_id"], seq: $0["seq"], json: $0["payload"]) }
    }

    static func latestSeqs(userIDs: [Int64], in db: Database) throws -> [Int64: Int64] {
        var seqs: [Int64: Int64] = [:]
        // Chunks keep each statement well under SQLite's bound-variable limit.
        for start in stride(from: 0, to: userIDs.count, by: 500) {
            let chunk = Array(userIDs[start..<min(start + 500, userIDs.count)])
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            for row in try Row.fetchAll(
                db, sql: "SELECT user_id, seq FROM user_streams WHERE user_id IN (\(placeholders))",
                arguments: StatementArguments(chunk))
            {
                seqs[row["user_id"]] = row["seq"]
            }
        }
        return seqs
    }
}

extension SQLiteStore {
    public func userEvents(userID: Int64, since: Int64, limit: Int) async throws -> [EventRecord] {
        guard limit > 0 else { return [] }
        return try await read { db in try SQLiteUserEvents.events(userID: userID, since: since, limit: limit, in: db) }
    }

    public func latestUserSeqs(userIDs: [Int64]) async throws -> [Int64: Int64] {
        let ids = Array(Set(userIDs))
        guard !ids.isEmpty else { return [:] }
        return try await read { db in try SQLiteUserEvents.latestSeqs(userIDs: ids, in: db) }
    }
}
