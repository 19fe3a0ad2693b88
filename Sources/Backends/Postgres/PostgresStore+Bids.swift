import AuctionCore
import Foundation
import PostgresNIO

/// Bids: ONE SQL statement per bid, made of data-modifying CTEs.
///
/// 1. `locked` takes the lot's row lock (`FOR UPDATE`, which in READ COMMITTED
///    waits for a concurrent bid and then sees its committed row) and decides
///    whether this bid moves the end (anti-sniping).
/// 2. `accepted` is the conditional update: running, not ended, not the owner,
///    at least the highest price plus the increment, and the bidder has (raise)
///    or has not (create) a bid. It takes the next event number(s).
/// 3. `bid` inserts (create) or raises (raise) the bidder's bid.
/// 4. `logged` appends `bid_placed`, and `lot_extended` when the end moved.
///
/// The statement runs in a transaction with the users' events it causes (an
/// outbid, `PostgresUserEvents`), so the lock is held until that commits. The event JSON is Core's own
/// text with the number spliced in by SQL (`EventTemplate`); Core can render it
/// beforehand because the bidder's name and the lot's window never change
/// (`ImmutableFacts`).
///
/// A create that raced with the same bidder's other create fails on the
/// (lot, bidder) unique key, which aborts the whole statement. When no row is
/// accepted, the lot is read again and `BiddingRules.check` names the refusal;
/// if the rules now pass (the state moved in between), the bid is tried again.
extension PostgresStore {
    public func placeBid(
        lotID: Int64, bidderID: Int64, amount: Money, mode: BidMode, now: Date
    ) async throws -> BidOutcome {
        let at = Timestamp.milliseconds(now)
        let (bidder, window) = try await bidFacts(lotID: lotID, bidderID: bidderID)
        let atDate = Timestamp.date(milliseconds: at)
        let bidTemplate = EventTemplate(lotID: lotID, at: atDate, kind: .bidPlaced(bidder: bidder, amount: amount))
        // The end a bid in the window would set: now + window, in whole milliseconds.
        let extendedEnd = window.flatMap { $0 > 0 ? at + Int64($0) * 1000 : nil }
        let extendTemplate = extendedEnd.map {
            EventTemplate(lotID: lotID, at: atDate, kind: .extended(endsAt: Timestamp.date(milliseconds: $0)))
        }
        let attempt = BidAttempt(
            lotID: lotID, bidderID: bidderID, amount: amount.cents, at: at, extendedEnd: extendedEnd,
            bidTemplate: bidTemplate, extendTemplate: extendTemplate
        )
        let maximumAttempts = 3
        for _ in 1...maximumAttempts {
            if let (accepted, userEvents) = try await perform({ client, logger in
                try await client.withConnection { connection in
                    try await connection.transaction(logger: logger) {
                        connection -> (BidAttempt.Accepted, [EventRecord])? in
                        guard let accepted = try await attempt.run(mode: mode, on: connection, logger: logger) else {
                            return nil
                        }
                        let drafts = UserEventRules.userEvents(
                            lotID: lotID, at: atDate, events: [bidTemplate.kind], leaderBefore: accepted.5,
                            leaderAfter: bidderID, price: amount, bidders: [LotBidder(id: bidderID, username: bidder)])
                        return (accepted, try await PostgresUserEvents.append(drafts, on: connection, logger: logger))
                    }
                }
            }) {
                let (bidID, createdAt, updatedAt, previousSeq, extended, _) = accepted
                var events = [bidTemplate.record(lotID: lotID, seq: previousSeq + 1)]
                if extended, let extendTemplate {
                    events.append(extendTemplate.record(lotID: lotID, seq: previousSeq + 2))
                }
                let bid = Bid(
                    id: bidID, lotID: lotID, amount: amount, bidderID: bidderID, bidder: bidder,
                    createdAt: Timestamp.date(milliseconds: createdAt), updatedAt: Timestamp.date(milliseconds: updatedAt)
                )
                return BidOutcome(bid: bid, events: events, userEvents: userEvents)
            }
            try await diagnoseRefusal(lotID: lotID, bidderID: bidderID, amount: amount, mode: mode, now: atDate)
        }
        throw AuctionError.unavailable("the lot changed too often to settle the bid; try again")
    }

    public func bids(lotID: Int64) async throws -> [Bid] {
        let rows = try await perform { client, logger in
            try await client.query(
                """
                SELECT b.id, b.amount_cents, b.bidder_id, u.username, b.created_at_ms, b.updated_at_ms
                FROM lots l
                LEFT JOIN bids b ON b.lot_id = l.id
                LEFT JOIN users u ON u.id = b.bidder_id
                WHERE l.id = \(lotID)
                ORDER BY b.amount_cents DESC, b.id
                """,
                logger: logger
            ).decode((Int64?, Int64?, Int64?, String?, Int64?, Int64?).self).all()
        }
        guard !rows.isEmpty else { throw AuctionError.lotNotFound }
        return rows.compactMap { id, amount, bidderID, bidder, createdAt, updatedAt in
            guard let id, let amount, let bidderID, let bidder, let createdAt, let updatedAt else { return nil }
            return Bid(
                id: id, lotID: lotID, amount: Money(cents: amount), bidderID: bidderID, bidder: bidder,
                createdAt: Timestamp.date(milliseconds: createdAt), updatedAt: Timestamp.date(milliseconds: updatedAt)
            )
        }
    }

    /// The bidder's name and the lot's window, from the cache or one lock-free read.
    /// Throws `lotNotFound` for an unknown lot.
    private func bidFacts(lotID: Int64, bidderID: Int64) async throws -> (bidder: String, window: Int?) {
        if let bidder = facts.username(of: bidderID), let window = facts.softCloseWindow(of: lotID) {
            return (bidder, window)
        }
        let rows = try await perform { client, logger in
            try await client.query(
                """
                SELECT EXISTS (SELECT 1 FROM lots WHERE id = \(lotID)),
                       (SELECT soft_close_seconds FROM lots WHERE id = \(lotID)),
                       (SELECT username FROM users WHERE id = \(bidderID))
                """,
                logger: logger
            ).decode((Bool, Int32?, String?).self).all()
        }
        guard let (lotExists, window, bidder) = rows.first, lotExists else { throw AuctionError.lotNotFound }
        facts.remember(softCloseWindow: window.map(Int.init), of: lotID)
        guard let bidder else { throw AuctionError.userNotFound }
        facts.remember(username: bidder, of: bidderID)
        return (bidder, window.map(Int.init))
    }

    /// Names why a bid was refused, from the lot as it is now. Returns when the
    /// rules pass: the state moved since the statement, so the caller retries.
    private func diagnoseRefusal(lotID: Int64, bidderID: Int64, amount: Money, mode: BidMode, now: Date) async throws {
        let (lot, hasBid) = try await perform { client, logger in
            let lot = try await PostgresLotRow.decodeAll(
                client.query("SELECT * FROM lot_details WHERE id = \(lotID)", logger: logger)
            ).first
            let hasBid = try await client.query(
                "SELECT EXISTS (SELECT 1 FROM bids WHERE lot_id = \(lotID) AND bidder_id = \(bidderID))",
                logger: logger
            ).decode(Bool.self).all().first ?? false
            return (lot, hasBid)
        }
        guard let lot else { throw AuctionError.lotNotFound }
        try BiddingRules.check(lot: lot, bidderID: bidderID, amount: amount, mode: mode, hasBid: hasBid, now: now)
    }
}

/// The values of one bid statement, and the statement for each mode.
private struct BidAttempt: Sendable {
    /// bid id, created_at_ms, updated_at_ms, the lot's seq before the bid, whether the end moved,
    /// the leader before the bid
    typealias Accepted = (Int64, Int64, Int64, Int64, Bool, Int64?)

    let lotID: Int64
    let bidderID: Int64
    let amount: Int64
    let at: Int64
    let extendedEnd: Int64?
    let bidTemplate: EventTemplate
    let extendTemplate: EventTemplate?

    /// The accepted bid, or nil when the conditional update matched no row.
    func run(mode: BidMode, on connection: PostgresConnection, logger: Logger) async throws -> Accepted? {
        do {
            let rows = try await connection.query(query(mode: mode), logger: logger)
            return try await rows.decode(Accepted.self).all().first
        } catch where mode == .create && PostgresErrorMapping.isUniqueViolation(error) {
            // The same bidder's concurrent create committed first; diagnosed as alreadyBid.
            return nil
        }
    }

    /// The one statement of both modes. They differ in three places: a create
    /// counts a new bidder, needs the bidder to have no bid yet, and inserts the
    /// bid; a raise needs a bid and updates it. The `bid` step reads the bid's
    /// values from `accepted`, so the mode's SQL text has no parameters of its own.
    private func query(mode: BidMode) -> PostgresQuery {
        let creating = mode == .create
        let countsBidder = creating ? "bid_count = lots.bid_count + 1," : ""
        let hasBid = creating ? "NOT EXISTS" : "EXISTS"
        let writeBid =
            creating
            ? """
            INSERT INTO bids (lot_id, bidder_id, amount_cents, created_at_ms, updated_at_ms)
            SELECT lot_id, bidder_id, amount_cents, at_ms, at_ms FROM accepted
            RETURNING id, created_at_ms, updated_at_ms
            """
            : """
            UPDATE bids SET amount_cents = accepted.amount_cents, updated_at_ms = accepted.at_ms
            FROM accepted
            WHERE bids.lot_id = accepted.lot_id AND bids.bidder_id = accepted.bidder_id
            RETURNING bids.id, bids.created_at_ms, bids.updated_at_ms
            """
        return """
            WITH locked AS MATERIALIZED (
                SELECT id, seq, highest_bidder_id,
                       COALESCE(ends_at_ms - \(at) < soft_close_seconds * 1000::bigint
                                AND \(extendedEnd)::bigint > ends_at_ms, false) AS extends
                FROM lots WHERE id = \(lotID) FOR UPDATE
            ),
            accepted AS (
                UPDATE lots SET highest_price_cents = \(amount), highest_bidder_id = \(bidderID),
                       \(unescaped: countsBidder)
                       ends_at_ms = CASE WHEN locked.extends THEN \(extendedEnd)::bigint ELSE lots.ends_at_ms END,
                       seq = lots.seq + CASE WHEN locked.extends THEN 2 ELSE 1 END
                FROM locked
                WHERE lots.id = locked.id AND lots.status = 'running'
                  AND (lots.ends_at_ms IS NULL OR lots.ends_at_ms > \(at))
                  AND lots.owner_id <> \(bidderID)
                  AND \(amount) >= lots.highest_price_cents + lots.min_increment_cents
                  AND \(unescaped: hasBid) (SELECT 1 FROM bids WHERE lot_id = \(lotID) AND bidder_id = \(bidderID))
                RETURNING locked.seq AS previous_seq, locked.extends, locked.highest_bidder_id AS previous_leader,
                          lots.id AS lot_id,
                          lots.highest_bidder_id AS bidder_id, lots.highest_price_cents AS amount_cents,
                          \(at)::bigint AS at_ms
            ),
            bid AS (
                \(unescaped: writeBid)
            ),
            logged AS (
                INSERT INTO events (lot_id, seq, type, payload, at_ms)
                SELECT \(lotID), previous_seq + 1, \(bidTemplate.type),
                       \(bidTemplate.prefix) || (previous_seq + 1) || \(bidTemplate.suffix), \(at)
                FROM accepted
                UNION ALL
                SELECT \(lotID), previous_seq + 2, \(extendTemplate?.type)::text,
                       \(extendTemplate?.prefix)::text || (previous_seq + 2) || \(extendTemplate?.suffix)::text, \(at)
                FROM accepted WHERE accepted.extends
            )
            SELECT bid.id, bid.created_at_ms, bid.updated_at_ms, accepted.previous_seq, accepted.extends,
                   accepted.previous_leader
            FROM bid, accepted
            """
    }
}
