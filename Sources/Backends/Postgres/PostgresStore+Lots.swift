import AuctionCore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func createLot(_ new: NewLot, now: Date, idempotency: IdempotentRecording<Lot>?) async throws -> Lot {
        let createdAt = Timestamp.milliseconds(now)
        let endsAt = new.endsAt.map(Timestamp.milliseconds)
        let softClose = new.softCloseSeconds.map(Int32.init(clamping:))
        let lot = try await perform(recording: idempotency) { connection, logger in
            // Reading the owner in the same statement gives the name for the answer
            // and makes an unknown owner insert nothing.
            let rows = try await connection.query(
                """
                WITH owner AS (SELECT username FROM users WHERE id = \(new.ownerID)),
                inserted AS (
                    INSERT INTO lots (title, description, starting_price_cents, status, highest_price_cents,
                                      owner_id, created_at_ms, ends_at_ms, min_increment_cents, soft_close_seconds,
                                      reserve_price_cents, buy_now_price_cents, increment_rule)
                    SELECT \(new.title), \(new.description), \(new.startingPrice.cents), 'running',
                           \(new.startingPrice.cents), \(new.ownerID), \(createdAt), \(endsAt),
                           \(new.minIncrement.cents), \(softClose), \(new.reservePrice?.cents),
                           \(new.buyNowPrice?.cents), \(new.incrementRule.rawValue)
                    FROM owner
                    RETURNING id
                )
                SELECT inserted.id, owner.username FROM inserted, owner
                """,
                logger: logger
            ).decode((Int64, String).self).all()
            return rows.first.map { id, owner in
                Lot(
                    id: id, title: new.title, description: new.description, startingPrice: new.startingPrice,
                    status: .running, highestPrice: new.startingPrice, highestBidder: nil, bidCount: 0,
                    ownerID: new.ownerID, owner: owner, createdAt: Timestamp.date(milliseconds: createdAt),
                    endsAt: endsAt.map(Timestamp.date(milliseconds:)), minIncrement: new.minIncrement,
                    softCloseSeconds: new.softCloseSeconds, seq: 0, reservePrice: new.reservePrice,
                    buyNowPrice: new.buyNowPrice, incrementRule: new.incrementRule
                )
            }
        }
        guard let lot else { throw AuctionError.userNotFound }
        return lot
    }

    public func lot(id: Int64) async throws -> Lot? {
        try await perform { client, logger in
            try await PostgresLotRow.decodeAll(
                client.query(
                    "SELECT \(unescaped: PostgresLotRow.columns) FROM lot_details d WHERE d.id = \(id)", logger: logger)
            ).first
        }
    }

    public func lots(filter: LotFilter, limit: Int, after: Int64?) async throws -> [Lot] {
        guard limit > 0 else { return [] }
        let before = after ?? Int64.max
        let limit = Int64(limit)
        return try await perform { client, logger in
            let rows: PostgresRowSequence
            switch filter {
            case .all:
                rows = try await client.query(
                    """
                    SELECT \(unescaped: PostgresLotRow.columns) FROM lot_details d WHERE d.id < \(before)
                    ORDER BY d.id DESC LIMIT \(limit)
                    """,
                    logger: logger
                )
            case .running, .finished:
                rows = try await client.query(
                    """
                    SELECT \(unescaped: PostgresLotRow.columns) FROM lot_details d
                    WHERE d.status = \(filter.rawValue) AND d.id < \(before)
                    ORDER BY d.id DESC LIMIT \(limit)
                    """,
                    logger: logger
                )
            }
            return try await PostgresLotRow.decodeAll(rows)
        }
    }

    /// One statement: lock the lot, change it only when its owner finishes a
    /// running lot, append the event, and return what the lot was so that a
    /// refusal can be named; then, in the same transaction, the bidders' won/lost.
    public func setStatus(lotID: Int64, status: LotStatus, by userID: Int64, now: Date) async throws -> [EventRecord] {
        let at = Timestamp.milliseconds(now)
        let template = EventTemplate(
            lotID: lotID, at: Timestamp.date(milliseconds: at), kind: .statusChanged(.finished)
        )
        let (rows, userEvents) = try await perform { client, logger in
            try await client.withConnection { connection in
                try await connection.transaction(logger: logger) {
                    connection -> ([(Int64, String, Int64?)], [EventRecord]) in
                    let rows = try await connection.query(
                        """
                        WITH locked AS MATERIALIZED (
                            SELECT id, owner_id, status FROM lots WHERE id = \(lotID) FOR UPDATE
                        ),
                        changed AS (
                            UPDATE lots SET status = 'finished', seq = lots.seq + 1
                            FROM locked
                            WHERE lots.id = locked.id AND locked.owner_id = \(userID)
                              AND locked.status = 'running' AND \(status.rawValue) = 'finished'
                            RETURNING lots.seq
                        ),
                        logged AS (
                            INSERT INTO events (lot_id, seq, type, payload, at_ms)
                            SELECT \(lotID), seq, \(template.type), \(template.prefix) || seq || \(template.suffix), \(at)
                            FROM changed
                        )
                        SELECT locked.owner_id, locked.status, (SELECT seq FROM changed) FROM locked
                        """,
                        logger: logger
                    ).decode((Int64, String, Int64?).self).all()
                    guard let newSeq = rows.first?.2 else { return (rows, []) }
                    let finished = AuctionEvent(
                        lotID: lotID, seq: newSeq, at: Timestamp.date(milliseconds: at), kind: template.kind)
                    return (rows, try await PostgresUserEvents.appendClosing([finished], on: connection, logger: logger))
                }
            }
        }
        guard let (ownerID, current, newSeq) = rows.first else { throw AuctionError.lotNotFound }
        if let newSeq { return [template.record(lotID: lotID, seq: newSeq)] + userEvents }
        if ownerID != userID { throw AuctionError.notOwner }
        if current == status.rawValue { return [] }
        throw AuctionError.cannotReopen
    }

    /// Finds expired running lots with `FOR UPDATE SKIP LOCKED`, so concurrent
    /// closers (in any process) each take different lots and a lot another closer
    /// has finished no longer matches. Not the hot path, so it is a transaction of
    /// a few statements whose events Core renders in full (winner and amount are
    /// only known after the read).
    public func closeExpiredLots(now: Date, limit: Int) async throws -> [EventRecord] {
        guard limit > 0 else { return [] }
        let at = Timestamp.milliseconds(now)
        let atDate = Timestamp.date(milliseconds: at)
        let limit = Int64(limit)
        return try await perform { client, logger in
            try await client.withConnection { connection in
                try await connection.transaction(logger: logger) { connection in
                    let due = try await connection.query(
                        """
                        SELECT l.id, l.seq, w.username, l.highest_price_cents, l.bid_count, l.reserve_price_cents
                        FROM lots l LEFT JOIN users w ON w.id = l.highest_bidder_id
                        WHERE l.status = 'running' AND l.ends_at_ms <= \(at)
                        ORDER BY l.ends_at_ms, l.id
                        LIMIT \(limit)
                        FOR UPDATE OF l SKIP LOCKED
                        """,
                        logger: logger
                    ).decode((Int64, Int64, String?, Int64, Int32, Int64?).self).all()
                    guard !due.isEmpty else { return [] }
                    let events = due.flatMap { id, seq, winner, highest, bidCount, reserve in
                        AuctionEvent.closing(
                            lotID: id, after: seq, at: atDate, winner: winner, highestPrice: Money(cents: highest),
                            bidCount: Int(bidCount), reservePrice: reserve.map(Money.init(cents:)))
                    }
                    let ids = due.map(\.0)
                    try await connection.query(
                        "UPDATE lots SET status = 'finished', seq = seq + 2 WHERE id = ANY(\(ids))",
                        logger: logger
                    )
                    let lotIDs = events.map(\.lotID)
                    let seqs = events.map(\.seq)
                    let types = events.map(\.kind.typeName)
                    let payloads = events.map(\.json)
                    try await connection.query(
                        """
                        INSERT INTO events (lot_id, seq, type, payload, at_ms)
                        SELECT lot_id, seq, type, payload, \(at)
                        FROM unnest(\(lotIDs)::bigint[], \(seqs)::bigint[], \(types)::text[], \(payloads)::text[])
                            AS e(lot_id, seq, type, payload)
                        """,
                        logger: logger
                    )
                    return events.map(\.record)
                        + (try await PostgresUserEvents.appendClosing(events, on: connection, logger: logger))
                }
            }
        }
    }
}
