import AuctionCore
import Foundation
import PostgresNIO

/// Bids: one transaction that locks the lot's row, reads what the rules need,
/// lets Core's `ProxyRules` decide, and writes the decision in one statement.
///
/// 1. `SELECT ... FOR UPDATE` takes the lot's row lock: concurrent bids on the
///    lot wait here, one at a time, in any number of server processes.
/// 2. A read of the lot, the bidder's bid and the leader's bid. It is its own
///    statement because in READ COMMITTED a statement sees the rows committed
///    when it started: one that waited for the lock would see a stale leader.
/// 3. One statement of data-modifying CTEs writes the lot, the bidder's bid, the
///    leader's automatic raise and the events (Core's JSON, rendered in Swift).
/// A refusal thrown by the rules rolls the transaction back.
///
/// Before all that, the same read without a lock: a refusal that stays true once
/// true (`BiddingRules.isFinal`: too low, finished, ...) is answered from it, so
/// only bids that may be accepted wait for the lock. On a hot lot most bids are
/// refused, and each one that took the lock held it for three round trips.
extension PostgresStore {
    public func placeBid(
        lotID: Int64, bidderID: Int64, amount: Money?, maxAmount: Money?, mode: BidMode, now: Date
    ) async throws -> BidOutcome {
        let at = Timestamp.milliseconds(now)
        let atDate = Timestamp.date(milliseconds: at)
        let request = BidRequest(bidderID: bidderID, amount: amount, maxAmount: maxAmount, mode: mode)
        let glance = try await perform { client, logger in
            try await BidContext.read(lotID: lotID, bidderID: bidderID) { try await client.query($0, logger: logger) }
        }
        do {
            _ = try ProxyRules.decide(
                lot: glance.lot, leaderMaximum: glance.leaderMaximum, standing: glance.standing?.bid, request: request,
                now: atDate)
        } catch where BiddingRules.isFinal(error) {
            throw error
        } catch {
            // Perhaps not so under the lock: decided there.
        }
        return try await perform { client, logger in
            try await client.withConnection { connection in
                try await connection.transaction(logger: logger) { connection in
                    let locked = try await connection.query(
                        "SELECT id FROM lots WHERE id = \(lotID) FOR UPDATE", logger: logger
                    ).decode(Int64.self).all()
                    guard !locked.isEmpty else { throw AuctionError.lotNotFound }
                    let context = try await BidContext.read(lotID: lotID, bidderID: bidderID) {
                        try await connection.query($0, logger: logger)
                    }
                    let decision = try ProxyRules.decide(
                        lot: context.lot, leaderMaximum: context.leaderMaximum, standing: context.standing?.bid,
                        request: request, now: atDate)
                    guard let bidder = context.bidderName else { throw AuctionError.userNotFound }
                    let events = decision.events(lot: context.lot, bidderID: bidderID, bidder: bidder, at: atDate)
                    let write = BidWrite(
                        lotID: lotID, bidderID: bidderID, at: at, lot: context.lot, standing: context.standing,
                        decision: decision, events: events)
                    let written = try await connection.query(write.query, logger: logger)
                        .decode((Int64, Int64, Int64).self).all()
                    guard let (bidID, createdAt, updatedAt) = written.first else {
                        throw AuctionError.unavailable("the bid was not written")
                    }
                    let bid = Bid(
                        id: bidID, lotID: lotID, amount: decision.bidderAmount, bidderID: bidderID, bidder: bidder,
                        createdAt: Timestamp.date(milliseconds: createdAt),
                        updatedAt: Timestamp.date(milliseconds: updatedAt), maxAmount: decision.bidderMaxAmount,
                        leading: decision.leaderID == bidderID)
                    return BidOutcome(bid: bid, events: events.map(\.record))
                }
            }
        }
    }

    public func bids(lotID: Int64) async throws -> [Bid] {
        let rows = try await perform { client, logger in
            try await client.query(
                """
                SELECT b.id, b.amount_cents, b.bidder_id, u.username, b.created_at_ms, b.updated_at_ms,
                       b.bidder_id = l.highest_bidder_id
                FROM lots l
                LEFT JOIN bids b ON b.lot_id = l.id
                LEFT JOIN users u ON u.id = b.bidder_id
                WHERE l.id = \(lotID)
                ORDER BY b.amount_cents DESC, b.id
                """,
                logger: logger
            ).decode((Int64?, Int64?, Int64?, String?, Int64?, Int64?, Bool?).self).all()
        }
        guard !rows.isEmpty else { throw AuctionError.lotNotFound }
        return rows.compactMap { id, amount, bidderID, bidder, createdAt, updatedAt, leading in
            guard let id, let amount, let bidderID, let bidder, let createdAt, let updatedAt else { return nil }
            return Bid(
                id: id, lotID: lotID, amount: Money(cents: amount), bidderID: bidderID, bidder: bidder,
                createdAt: Timestamp.date(milliseconds: createdAt), updatedAt: Timestamp.date(milliseconds: updatedAt),
                leading: leading ?? false
            )
        }
    }
}

/// What a bid's rules read under the lot's lock.
private struct BidContext {
    struct Standing {
        let id: Int64
        let bid: StandingBid
        let updatedAt: Int64
    }

    let lot: Lot
    let bidderName: String?
    let standing: Standing?
    let leaderMaximum: Money?

    /// `run` sends the query: on the pool, or on the transaction's connection.
    static func read(
        lotID: Int64, bidderID: Int64, run: (PostgresQuery) async throws -> PostgresRowSequence
    ) async throws -> BidContext {
        let rows = try await run(
            """
            SELECT d.*, (SELECT username FROM users WHERE id = \(bidderID)),
                   mine.id, mine.amount_cents, mine.max_amount_cents, mine.updated_at_ms,
                   lead.amount_cents, lead.max_amount_cents
            FROM lot_details d
            LEFT JOIN bids mine ON mine.lot_id = d.id AND mine.bidder_id = \(bidderID)
            LEFT JOIN bids lead ON lead.lot_id = d.id AND lead.bidder_id = d.highest_bidder_id
            WHERE d.id = \(lotID)
            """
        ).all()
        guard let first = rows.first else { throw AuctionError.lotNotFound }
        let row = PostgresRandomAccessRow(first)
        let column = PostgresLotRow.columnCount
        var standing: Standing?
        if let id = try row[column + 1].decode(Int64?.self) {
            standing = Standing(
                id: id,
                bid: StandingBid(
                    amount: Money(cents: try row[column + 2].decode(Int64.self)),
                    maxAmount: try row[column + 3].decode(Int64?.self).map(Money.init(cents:))),
                updatedAt: try row[column + 4].decode(Int64.self))
        }
        let leader = try row[column + 5].decode(Int64?.self).map { amount in
            StandingBid(
                amount: Money(cents: amount),
                maxAmount: try row[column + 6].decode(Int64?.self).map(Money.init(cents:)))
        }
        return BidContext(
            lot: try PostgresLotRow.decode(row), bidderName: try row[column].decode(String?.self),
            standing: standing, leaderMaximum: leader?.maximum)
    }
}

/// The one statement that writes a decided bid: the lot, the leader's raised bid,
/// the bidder's bid (inserted or updated), the events. Returns the bidder's bid's
/// id, created_at_ms and updated_at_ms.
private struct BidWrite {
    let lotID: Int64
    let bidderID: Int64
    let at: Int64
    let lot: Lot
    let standing: BidContext.Standing?
    let decision: BidDecision
    let events: [AuctionEvent]

    var query: PostgresQuery {
        let price = decision.price.cents
        let amount = decision.bidderAmount.cents
        let maxAmount = decision.bidderMaxAmount?.cents
        let seqs = events.map(\.seq)
        let types = events.map(\.kind.typeName)
        let payloads = events.map(\.json)
        let newBid: Int64 = standing == nil ? 1 : 0
        let endsAt = decision.extendedEnd.map(Timestamp.milliseconds)
        let lastSeq = lot.seq + Int64(events.count)
        // The bid's time moves with its visible amount only: a new maximum alone stays secret.
        let updatedAt = standing.map { $0.bid.amount == decision.bidderAmount ? $0.updatedAt : at } ?? at
        // The bid's values come from `v`, so that the mode's SQL text has no parameters of its own.
        let writeBid =
            standing == nil
            ? """
            INSERT INTO bids (lot_id, bidder_id, amount_cents, max_amount_cents, created_at_ms, updated_at_ms)
            SELECT lot_id, bidder_id, amount, max_amount, updated_at, updated_at FROM v
            RETURNING id, created_at_ms, updated_at_ms
            """
            : """
            UPDATE bids SET amount_cents = v.amount, max_amount_cents = v.max_amount, updated_at_ms = v.updated_at
            FROM v WHERE bids.id = v.standing_id
            RETURNING bids.id, bids.created_at_ms, bids.updated_at_ms
            """
        return """
            WITH v AS (
                SELECT \(lotID)::bigint AS lot_id, \(bidderID)::bigint AS bidder_id, \(amount)::bigint AS amount,
                       \(maxAmount)::bigint AS max_amount, \(updatedAt)::bigint AS updated_at,
                       \(standing?.id)::bigint AS standing_id
            ),
            moved AS (
                UPDATE lots SET highest_price_cents = \(price), highest_bidder_id = \(decision.leaderID),
                       bid_count = bid_count + \(newBid), seq = \(lastSeq),
                       ends_at_ms = COALESCE(\(endsAt)::bigint, ends_at_ms),
                       status = CASE WHEN \(decision.boughtNow) THEN 'finished' ELSE status END
                WHERE id = \(lotID)
            ),
            raised AS (
                UPDATE bids SET amount_cents = \(price), updated_at_ms = \(at)
                WHERE lot_id = \(lotID) AND bidder_id = \(decision.raisedLeaderID)::bigint
            ),
            logged AS (
                INSERT INTO events (lot_id, seq, type, payload, at_ms)
                SELECT \(lotID), seq, type, payload, \(at)
                FROM unnest(\(seqs)::bigint[], \(types)::text[], \(payloads)::text[]) AS e(seq, type, payload)
            ),
            bid AS (
                \(unescaped: writeBid)
            )
            SELECT id, created_at_ms, updated_at_ms FROM bid
            """
    }
}
