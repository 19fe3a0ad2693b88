import AuctionCore
import Foundation
import GRDB

extension SQLiteStore {
    public func placeBid(
        lotID: Int64, bidderID: Int64, amount: Money, mode: BidMode, now: Date,
        idempotency: IdempotentRecording<BidOutcome>?
    ) async throws -> BidOutcome {
        let now = Timestamp.truncated(now)
        let nowMS = Timestamp.milliseconds(now)
        // One transaction on the single writer connection: the lot read here is
        // still the lot when the update commits, so the rules hold under races.
        return try await write(recording: idempotency) { db in
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

            var events = [
                try SQLiteRows.append(
                    AuctionEvent(lotID: lotID, seq: bidSeq, at: now,
                                 kind: .bidPlaced(bidder: bidder.username, amount: amount)),
                    in: db
                ),
            ]
            if let newEnd {
                events.append(try SQLiteRows.append(
                    AuctionEvent(lotID: lotID, seq: bidSeq + 1, at: now, kind: .extended(endsAt: newEnd)),
                    in: db
                ))
            }
            return BidOutcome(bid: bid, events: events)
        }
    }

    public func bids(lotID: Int64, limit: Int, after: BidCursor?) async throws -> [Bid] {
        // Past the cursor: a lower amount, or the same amount and a later id.
        let amount = after?.amount.cents ?? Int64.max
        let id = after?.id ?? 0
        return try await read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM lots WHERE id = ?)", arguments: [lotID]) == true
            else { throw AuctionError.lotNotFound }
            // Amounts are unique per lot in practice (each beats the last); id breaks ties.
            return try Row.fetchAll(
                db,
                sql: """
                    \(SQLiteRows.bidSelect) WHERE bids.lot_id = ?
                    AND (bids.amount_cents < ? OR (bids.amount_cents = ? AND bids.id > ?))
                    ORDER BY bids.amount_cents DESC, bids.id LIMIT ?
                    """,
                arguments: [lotID, amount, amount, id, limit]
            ).map(SQLiteRows.bid(from:))
        }
    }
}
