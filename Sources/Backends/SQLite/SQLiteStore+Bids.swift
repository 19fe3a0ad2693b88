import AuctionCore
import Foundation
import GRDB

extension SQLiteStore {
    public func placeBid(
        lotID: Int64, bidderID: Int64, amount: Money, mode: BidMode, now: Date
    ) async throws -> BidOutcome {
        let now = Timestamp.truncated(now)
        let nowMS = Timestamp.milliseconds(now)
        // One transaction on the single writer connection: the lot read here is
        // still the lot when the update commits, so the rules hold under races.
        return try await write { db in
            guard let lot = try SQLiteRows.lot(id: lotID, in: db) else { throw AuctionError.lotNotFound }
            // Cached statements throughout: the bid is the hot path, and preparing
            // each statement anew took more of the server's CPU than running it.
            let existing = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT id, created_at_ms FROM bids WHERE lot_id = ? AND bidder_id = ?"),
                arguments: [lotID, bidderID]
            )
            try BiddingRules.check(
                lot: lot, bidderID: bidderID, amount: amount, mode: mode, hasBid: existing != nil, now: now
            )
            guard let bidder = try SQLiteRows.user(id: bidderID, in: db) else {
                throw AuctionError.userNotFound
            }
            let leaderBefore = try SQLiteUserEvents.leader(of: lotID, in: db)
            let newEnd = BiddingRules.extendedEnd(of: lot, bidAt: now)
            let bidSeq = lot.seq + 1
            let lastSeq = newEnd == nil ? bidSeq : bidSeq + 1

            try db.cachedStatement(
                sql: """
                    UPDATE lots SET highest_price_cents = ?, highest_bidder_id = ?,
                        bid_count = bid_count + ?, seq = ?, ends_at_ms = COALESCE(?, ends_at_ms)
                    WHERE id = ?
                    """
            ).execute(
                arguments: [
                    amount.cents, bidderID, existing == nil ? 1 : 0, lastSeq,
                    newEnd.map(Timestamp.milliseconds), lotID,
                ]
            )

            let bid: Bid
            if let existing {
                let bidID: Int64 = existing["id"]
                try db.cachedStatement(sql: "UPDATE bids SET amount_cents = ?, updated_at_ms = ? WHERE id = ?")
                    .execute(arguments: [amount.cents, nowMS, bidID])
                bid = Bid(
                    id: bidID, lotID: lotID, amount: amount, bidderID: bidderID, bidder: bidder.username,
                    createdAt: Timestamp.date(milliseconds: existing["created_at_ms"]), updatedAt: now
                )
            } else {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO bids (lot_id, bidder_id, amount_cents, created_at_ms, updated_at_ms)
                        VALUES (?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [lotID, bidderID, amount.cents, nowMS, nowMS])
                bid = Bid(
                    id: db.lastInsertedRowID, lotID: lotID, amount: amount, bidderID: bidderID,
                    bidder: bidder.username, createdAt: now, updatedAt: now
                )
            }

            var appended = [
                AuctionEvent(lotID: lotID, seq: bidSeq, at: now, kind: .bidPlaced(bidder: bidder.username, amount: amount)),
            ]
            if let newEnd {
                appended.append(AuctionEvent(lotID: lotID, seq: bidSeq + 1, at: now, kind: .extended(endsAt: newEnd)))
            }
            let events = try appended.map { try SQLiteRows.append($0, in: db) }
            let userEvents = try SQLiteUserEvents.append(
                UserEventRules.userEvents(
                    lotID: lotID, at: now, events: appended.map(\.kind), leaderBefore: leaderBefore,
                    leaderAfter: bidderID, price: amount, bidders: [LotBidder(id: bidderID, username: bidder.username)]),
                in: db)
            return BidOutcome(bid: bid, events: events, userEvents: userEvents)
        }
    }

    public func bids(lotID: Int64) async throws -> [Bid] {
        try await read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM lots WHERE id = ?)", arguments: [lotID]) == true
            else { throw AuctionError.lotNotFound }
            // Amounts are unique per lot in practice (each beats the last); id breaks ties.
            return try Row.fetchAll(
                db, sql: "\(SQLiteRows.bidSelect) WHERE bids.lot_id = ? ORDER BY bids.amount_cents DESC, bids.id",
                arguments: [lotID]
            ).map(SQLiteRows.bid(from:))
        }
    }
}
