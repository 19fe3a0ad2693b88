import AuctionCore
import Foundation
import GRDB

extension SQLiteStore {
    public func placeBid(
        lotID: Int64, bidderID: Int64, amount: Money?, maxAmount: Money?, mode: BidMode, now: Date,
        idempotency: IdempotentRecording<BidOutcome>?
    ) async throws -> BidOutcome {
        let now = Timestamp.truncated(now)
        let nowMS = Timestamp.milliseconds(now)
        let request = BidRequest(bidderID: bidderID, amount: amount, maxAmount: maxAmount, mode: mode)
        // One transaction on the single writer connection: the lot read here is
        // still the lot when the update commits, so the rules hold under races.
        return try await write(recording: idempotency) { db in
            guard let lot = try SQLiteRows.lot(id: lotID, in: db) else { throw AuctionError.lotNotFound }
            // Cached statements throughout: the bid is the hot path, and preparing
            // each statement anew took more of the server's CPU than running it.
            let existing = try Row.fetchOne(db.cachedStatement(sql: Self.bidOfBidder), arguments: [lotID, bidderID])
            let standing = existing.map(SQLiteRows.standingBid(from:))
            var leaderMaximum: Money?
            if let leaderID = lot.highestBidderID {
                leaderMaximum =
                    leaderID == bidderID
                    ? standing?.maximum
                    : try Row.fetchOne(db.cachedStatement(sql: Self.bidOfBidder), arguments: [lotID, leaderID])
                        .map(SQLiteRows.standingBid(from:))?.maximum
            }
            let decision = try ProxyRules.decide(
                lot: lot, leaderMaximum: leaderMaximum, standing: standing, request: request, now: now)
            guard let bidder = try SQLiteRows.user(id: bidderID, in: db) else {
                throw AuctionError.userNotFound
            }
            let events = decision.events(lot: lot, bidderID: bidderID, bidder: bidder.username, at: now)
            try db.cachedStatement(
                sql: """
                    UPDATE lots SET highest_price_cents = ?, highest_bidder_id = ?,
                        bid_count = bid_count + ?, seq = ?, ends_at_ms = COALESCE(?, ends_at_ms),
                        status = CASE WHEN ? THEN 'finished' ELSE status END
                    WHERE id = ?
                    """
            ).execute(
                arguments: [
                    decision.price.cents, decision.leaderID, existing == nil ? 1 : 0, lot.seq + Int64(events.count),
                    decision.extendedEnd.map(Timestamp.milliseconds), decision.boughtNow, lotID,
                ]
            )
            if let raised = decision.raisedLeaderID {
                try db.cachedStatement(
                    sql: "UPDATE bids SET amount_cents = ?, updated_at_ms = ? WHERE lot_id = ? AND bidder_id = ?"
                ).execute(arguments: [decision.price.cents, nowMS, lotID, raised])
            }

            let bid: Bid
            if let existing, let standing {
                let bidID: Int64 = existing["id"]
                // The bid's time moves with its visible amount only: a new maximum alone stays secret.
                let updatedAt = standing.amount == decision.bidderAmount
                    ? Timestamp.date(milliseconds: existing["updated_at_ms"]) : now
                try db.cachedStatement(
                    sql: "UPDATE bids SET amount_cents = ?, max_amount_cents = ?, updated_at_ms = ? WHERE id = ?"
                ).execute(arguments: [
                    decision.bidderAmount.cents, decision.bidderMaxAmount?.cents, Timestamp.milliseconds(updatedAt),
                    bidID,
                ])
                bid = Bid(
                    id: bidID, lotID: lotID, amount: decision.bidderAmount, bidderID: bidderID,
                    bidder: bidder.username, createdAt: Timestamp.date(milliseconds: existing["created_at_ms"]),
                    updatedAt: updatedAt, maxAmount: decision.bidderMaxAmount,
                    leading: decision.leaderID == bidderID)
            } else {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO bids (lot_id, bidder_id, amount_cents, max_amount_cents, created_at_ms,
                            updated_at_ms)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [
                    lotID, bidderID, decision.bidderAmount.cents, decision.bidderMaxAmount?.cents, nowMS, nowMS,
                ])
                bid = Bid(
                    id: db.lastInsertedRowID, lotID: lotID, amount: decision.bidderAmount, bidderID: bidderID,
                    bidder: bidder.username, createdAt: now, updatedAt: now, maxAmount: decision.bidderMaxAmount,
                    leading: decision.leaderID == bidderID)
            }
            let appended = try events.map { try SQLiteRows.append($0, in: db) }
            let userEvents = try SQLiteUserEvents.append(
                UserEventRules.userEvents(
                    lotID: lotID, at: now, events: events.map(\.kind), leaderBefore: lot.highestBidderID,
                    leaderAfter: decision.leaderID, price: decision.price,
                    bidders: LotBidder.of(bidder: bidderID, named: bidder.username, leaderBefore: lot)),
                in: db)
            return BidOutcome(bid: bid, events: appended, userEvents: userEvents)
        }
    }

    private static let bidOfBidder =
        "SELECT id, amount_cents, max_amount_cents, created_at_ms, updated_at_ms FROM bids WHERE lot_id = ? AND bidder_id = ?"

    public func bids(lotID: Int64, limit: Int, after: BidCursor?) async throws -> [Bid] {
        // Past the cursor: a lower amount, or the same amount and a later id.
        let amount = after?.amount.cents ?? Int64.max
        let id = after?.id ?? 0
        return try await read { db in
            guard
                try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM lots WHERE id = ?)"), arguments: [lotID]) == true
            else { throw AuctionError.lotNotFound }
            // Amounts are unique per lot in practice (each beats the last); id breaks ties.
            return try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                    \(SQLiteRows.bidSelect) WHERE bids.lot_id = ?
                    AND (bids.amount_cents < ? OR (bids.amount_cents = ? AND bids.id > ?))
                    ORDER BY bids.amount_cents DESC, bids.id LIMIT ?
                    """),
                arguments: [lotID, amount, amount, id, limit]
            ).map(SQLiteRows.bid(from:))
        }
    }
}
