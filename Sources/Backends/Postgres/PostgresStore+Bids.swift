import AuctionCore
import AuctionSupport
import Foundation
import PostgresNIO

/// Bids: a read, Core's `ProxyRules`, and one conditional write statement.
///
/// 1. One read on the pool (no lock, no transaction) of the lot, the bidder's
///    bid and the leader's bid, with the lot's `bid_revision` (moved by every bid
///    write, also a maximum changed alone) and `seq`.
/// 2. `ProxyRules.decide` on it, in Swift, as on SQLite. A refusal is the answer:
///    it was decided on a committed state, and cost one round trip.
/// 3. One statement of data-modifying CTEs writes the decision: the lot's update
///    only `WHERE bid_revision` and `seq` are still what was read (in READ
///    COMMITTED a concurrent write waits for the row lock and then checks the
///    condition on the committed row), then the bidder's bid, the leader's
///    automatic raise and the events, each only when the lot was updated.
///
/// The statement also writes the users' events the bid causes (an outbid, an
/// automatic raise: `PostgresUserEvents`) and runs on its own, so the lot's row
/// lock is held for one statement; with an `Idempotency-Key` it commits with the
/// kept answer, in a transaction, the lock held until COMMIT. When
/// the lot changed in between (another bid committed first), the bid is read and
/// decided again after a short jittered backoff; after several such losses it
/// takes the lot's lock first (`SELECT ... FOR UPDATE`, then the same read and
/// write), which always settles it: the optimistic path serves most bids, the
/// lock the contended ones.
extension PostgresStore {
    public func placeBid(
        lotID: Int64, bidderID: Int64, amount: Money?, maxAmount: Money?, mode: BidMode, now: Date,
        idempotency: IdempotentRecording<BidOutcome>?
    ) async throws -> BidOutcome {
        let attempt = BidAttempt(
            lotID: lotID, at: Timestamp.milliseconds(now),
            request: BidRequest(bidderID: bidderID, amount: amount, maxAmount: maxAmount, mode: mode))
        // Losers back off a little, with jitter, so that they do not meet again at once.
        var backoff = Backoff(initial: .milliseconds(2), maximum: .milliseconds(50))
        for _ in 0..<Self.optimisticBidAttempts {
            if let outcome = try await settle(attempt, locking: false, recording: idempotency) { return outcome }
            try await Task.sleep(for: backoff.next())
        }
        // Under the lock the lot cannot change between the read and the write.
        guard let locked = try await settle(attempt, locking: true, recording: idempotency) else {
            throw AuctionError.unavailable("the bid was not written; try again")
        }
        return locked
    }

    /// One attempt: unless `locking`, the read and the rules' decision on the pool
    /// (a refusal opens no transaction), then the one statement that writes the
    /// bid and the users' events it causes (an outbid, an automatic raise), on its
    /// own: the lot's row lock is held for that statement only. With a key the
    /// statement and the kept answer commit together, and `locking` takes the
    /// lock first and reads inside the transaction. Nil when the lot changed
    /// since the read.
    private func settle(
        _ attempt: BidAttempt, locking: Bool, recording idempotency: IdempotentRecording<BidOutcome>?
    ) async throws -> BidOutcome? {
        try await perform { client, logger in
            let decided =
                locking ? nil : try await attempt.decide { try await client.execute($0, logger: logger).all() }
            if let decided, idempotency == nil {
                return try await decided.write { try await client.query($0, logger: logger) }
            }
            return try await client.withConnection { connection in
                try await connection.transaction(logger: logger) { connection -> BidOutcome? in
                    let query = { (query: PostgresQuery) in try await connection.query(query, logger: logger) }
                    let settled: DecidedBid
                    if let decided {
                        settled = decided
                    } else {
                        let rows = try await connection.query(
                            "SELECT id FROM lots WHERE id = \(attempt.lotID) FOR UPDATE", logger: logger
                        ).decode(Int64.self).all()
                        guard !rows.isEmpty else { throw AuctionError.lotNotFound }
                        settled = try await attempt.decide { try await connection.execute($0, logger: logger).all() }
                    }
                    guard let outcome = try await settled.write(query) else { return nil }
                    if let idempotency {
                        let recorded = try await PostgresIdempotency.record(
                            idempotency.render(outcome), for: idempotency.claim, on: connection, logger: logger)
                        guard recorded else { throw IdempotencyClaimLost() }
                    }
                    return outcome
                }
            }
        }
    }

    /// Most losses are followed by a refusal on the next read. With 2 tries, the
    /// bids left queued for the lock, each held for three round trips, and under
    /// a full test run some waited past the query timeout.
    static let optimisticBidAttempts = 8

    public func bids(lotID: Int64, limit: Int, after: BidCursor?) async throws -> [Bid] {
        // Past the cursor: a lower amount, or the same amount and a later id.
        let amount = after?.amount.cents ?? Int64.max
        let id = after?.id ?? 0
        let limit = Int64(limit)
        // The lot's row always comes (with NULLs when no bid is on the page): an empty page is not a missing lot.
        let rows = try await perform { client, logger in
            try await client.query(
                """
                SELECT b.id, b.amount_cents, b.bidder_id, u.username, b.created_at_ms, b.updated_at_ms,
                       b.bidder_id = l.highest_bidder_id
                FROM lots l
                LEFT JOIN LATERAL (
                    SELECT * FROM bids
                    WHERE lot_id = l.id AND (amount_cents < \(amount) OR (amount_cents = \(amount) AND id > \(id)))
                    ORDER BY amount_cents DESC, id LIMIT \(limit)
                ) b ON true
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

/// One bid's read and decision, on the pool or in the lock's transaction.
private struct BidAttempt: Sendable {
    let lotID: Int64
    let at: Int64
    let request: BidRequest

    /// The rules' decision on the lot as read; throws the rules' refusal.
    func decide(_ read: (BidContextRead) async throws -> [PostgresRow]) async throws -> DecidedBid {
        let atDate = Timestamp.date(milliseconds: at)
        let context = try await BidContext.read(lotID: lotID, bidderID: request.bidderID, run: read)
        let decision = try ProxyRules.decide(
            lot: context.lot, leaderMaximum: context.leaderMaximum, standing: context.standing?.bid,
            request: request, now: atDate)
        guard let bidder = context.bidderName else { throw AuctionError.userNotFound }
        return DecidedBid(attempt: self, context: context, decision: decision, bidder: bidder)
    }
}

/// An accepted decision, to be written while the lot is still as read.
private struct DecidedBid: Sendable {
    let attempt: BidAttempt
    let context: BidContext
    let decision: BidDecision
    let bidder: String

    /// The accepted bid with its events and the users' events it causes, nil when
    /// the lot changed since the read.
    func write(_ query: (PostgresQuery) async throws -> PostgresRowSequence) async throws -> BidOutcome? {
        let (lotID, at, bidderID) = (attempt.lotID, attempt.at, attempt.request.bidderID)
        let atDate = Timestamp.date(milliseconds: at)
        let events = decision.events(lot: context.lot, bidderID: bidderID, bidder: bidder, at: atDate)
        let drafts = UserEventRules.userEvents(
            lotID: lotID, at: atDate, events: events.map(\.kind), leaderBefore: context.lot.highestBidderID,
            leaderAfter: decision.leaderID, price: decision.price,
            bidders: LotBidder.of(bidder: bidderID, named: bidder, leaderBefore: context.lot))
        let write = BidWrite(
            lotID: lotID, bidderID: bidderID, at: at, context: context, decision: decision, events: events,
            userEvents: drafts)
        let written = try await query(write.query)
            .decode((Int64, Int64, Int64, [Int64], [Int64], [Int64], [String]).self).all()
        guard let (bidID, createdAt, updatedAt, users, seqs, lots, payloads) = written.first else { return nil }
        let bid = Bid(
            id: bidID, lotID: lotID, amount: decision.bidderAmount, bidderID: bidderID, bidder: bidder,
            createdAt: Timestamp.date(milliseconds: createdAt), updatedAt: Timestamp.date(milliseconds: updatedAt),
            maxAmount: decision.bidderMaxAmount, leading: decision.leaderID == bidderID)
        let userEvents = PostgresUserEvents.records(
            users.indices.map { (users[$0], seqs[$0], lots[$0], payloads[$0]) })
        return BidOutcome(bid: bid, events: events.map(\.record), userEvents: userEvents)
    }
}

/// The read of a bid's rules, prepared once per connection: its planning (the
/// `lot_details` view and two joins on bids) cost PostgreSQL 1.7 ms a call, 13
/// times its execution, measured with pg_stat_statements on a hot lot.
struct BidContextRead: PostgresPreparedStatement {
    static let sql = """
        SELECT \(PostgresLotRow.columns), (SELECT username FROM users WHERE id = $2),
               mine.id, mine.amount_cents, mine.max_amount_cents, mine.updated_at_ms,
               lead.amount_cents, lead.max_amount_cents, l.bid_revision
        FROM lot_details d
        JOIN lots l ON l.id = d.id
        LEFT JOIN bids mine ON mine.lot_id = d.id AND mine.bidder_id = $2
        LEFT JOIN bids lead ON lead.lot_id = d.id AND lead.bidder_id = d.highest_bidder_id
        WHERE d.id = $1
        """
    typealias Row = PostgresRow

    let lotID: Int64
    let bidderID: Int64

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(lotID)
        bindings.append(bidderID)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

/// What a bid's rules read of the lot.
private struct BidContext: Sendable {
    struct Standing: Sendable {
        let id: Int64
        let bid: StandingBid
        let updatedAt: Int64
    }

    let lot: Lot
    /// Moved by every write of a bid on the lot: the condition of the write.
    let revision: Int64
    let bidderName: String?
    let standing: Standing?
    let leaderMaximum: Money?

    /// `run` executes the statement: on the pool, or on the transaction's connection.
    static func read(
        lotID: Int64, bidderID: Int64, run: (BidContextRead) async throws -> [PostgresRow]
    ) async throws -> BidContext {
        let rows = try await run(BidContextRead(lotID: lotID, bidderID: bidderID))
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
            lot: try PostgresLotRow.decode(row), revision: try row[column + 7].decode(Int64.self),
            bidderName: try row[column].decode(String?.self),
            standing: standing, leaderMaximum: leader?.maximum)
    }
}

/// The one statement that writes a decided bid when the lot is still as read:
/// the lot, the leader's raised bid, the bidder's bid (inserted or updated), the
/// events, the users' events. Returns the bidder's bid's id, created_at_ms and
/// updated_at_ms and the users' events written (as arrays), or no row when the
/// lot changed since the read.
private struct BidWrite {
    let lotID: Int64
    let bidderID: Int64
    let at: Int64
    let context: BidContext
    let decision: BidDecision
    let events: [AuctionEvent]
    let userEvents: [UserEventDraft]

    private var lot: Lot { context.lot }
    private var standing: BidContext.Standing? { context.standing }

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
            SELECT lot_id, bidder_id, amount, max_amount, updated_at, updated_at FROM v, moved
            RETURNING id, created_at_ms, updated_at_ms
            """
            : """
            UPDATE bids SET amount_cents = v.amount, max_amount_cents = v.max_amount, updated_at_ms = v.updated_at
            FROM v, moved WHERE bids.id = v.standing_id
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
                       status = CASE WHEN \(decision.boughtNow) THEN 'finished' ELSE status END,
                       bid_revision = bid_revision + 1
                WHERE id = \(lotID) AND bid_revision = \(context.revision) AND seq = \(lot.seq)
                RETURNING id
            ),
            raised AS (
                UPDATE bids SET amount_cents = \(price), updated_at_ms = \(at)
                FROM moved
                WHERE bids.lot_id = \(lotID) AND bids.bidder_id = \(decision.raisedLeaderID)::bigint
            ),
            logged AS (
                INSERT INTO events (lot_id, seq, type, payload, at_ms)
                SELECT \(lotID), seq, type, payload, \(at)
                FROM unnest(\(seqs)::bigint[], \(types)::text[], \(payloads)::text[]) AS e(seq, type, payload), moved
            ),
            bid AS (
                \(unescaped: writeBid)
            ),
            \(userEvents: userEvents, when: "moved")
            SELECT id, created_at_ms, updated_at_ms,
                   ARRAY(SELECT user_id FROM user_written ORDER BY user_id, seq),
                   ARRAY(SELECT seq FROM user_written ORDER BY user_id, seq),
                   ARRAY(SELECT lot_id FROM user_written ORDER BY user_id, seq),
                   ARRAY(SELECT payload FROM user_written ORDER BY user_id, seq)
            FROM bid
            """
    }
}
