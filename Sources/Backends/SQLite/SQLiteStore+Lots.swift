import AuctionCore
import Foundation
import GRDB

extension SQLiteStore {
    public func createLot(_ lot: NewLot, now: Date, idempotency: IdempotentRecording<Lot>?) async throws -> Lot {
        let createdAt = Timestamp.truncated(now)
        let endsAt = lot.endsAt.map(Timestamp.truncated)
        return try await write(recording: idempotency) { db in
            guard let owner = try SQLiteRows.user(id: lot.ownerID, in: db) else {
                throw AuctionError.userNotFound
            }
            try db.execute(
                sql: """
                    INSERT INTO lots (title, description, starting_price_cents, status,
                        highest_price_cents, bid_count, owner_id, created_at_ms, ends_at_ms,
                        min_increment_cents, soft_close_seconds, seq, reserve_price_cents, buy_now_price_cents,
                        increment_rule)
                    VALUES (?, ?, ?, 'running', ?, 0, ?, ?, ?, ?, ?, 0, ?, ?, ?)
                    """,
                arguments: [
                    lot.title, lot.description, lot.startingPrice.cents, lot.startingPrice.cents,
                    owner.id, Timestamp.milliseconds(createdAt), endsAt.map(Timestamp.milliseconds),
                    lot.minIncrement.cents, lot.softCloseSeconds, lot.reservePrice?.cents, lot.buyNowPrice?.cents,
                    lot.incrementRule.rawValue,
                ]
            )
            return Lot(
                id: db.lastInsertedRowID, title: lot.title, description: lot.description,
                startingPrice: lot.startingPrice, status: .running, highestPrice: lot.startingPrice,
                highestBidder: nil, bidCount: 0, ownerID: owner.id, owner: owner.username,
                createdAt: createdAt, endsAt: endsAt, minIncrement: lot.minIncrement,
                softCloseSeconds: lot.softCloseSeconds, seq: 0, reservePrice: lot.reservePrice,
                buyNowPrice: lot.buyNowPrice, incrementRule: lot.incrementRule
            )
        }
    }

    public func lot(id: Int64) async throws -> Lot? {
        try await read { db in try SQLiteRows.lot(id: id, in: db) }
    }

    public func lots(filter: LotFilter, limit: Int, after: Int64?) async throws -> [Lot] {
        guard limit > 0 else { return [] }
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if filter != .all {
            conditions.append("lots.status = ?")
            arguments += [filter.rawValue]
        }
        if let after {
            conditions.append("lots.id < ?")
            arguments += [after]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "\(SQLiteRows.lotSelect) \(whereClause) ORDER BY lots.id DESC LIMIT ?"
        arguments += [limit]
        return try await read { [arguments] db in
            // Cached: four forms of the statement at most, and preparing one anew (GRDB's
            // authorizer reading every column) took a fifth of the server's CPU on this route.
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(SQLiteRows.lot(from:))
        }
    }

    public func setStatus(lotID: Int64, status: LotStatus, by userID: Int64, now: Date) async throws -> [EventRecord] {
        let at = Timestamp.truncated(now)
        return try await write { db in
            guard let lot = try SQLiteRows.lot(id: lotID, in: db) else { throw AuctionError.lotNotFound }
            guard lot.ownerID == userID else { throw AuctionError.notOwner }
            if lot.status == status { return [] }
            // The only change left is running -> finished.
            guard status == .finished else { throw AuctionError.cannotReopen }
            let seq = lot.seq + 1
            try db.execute(
                sql: "UPDATE lots SET status = ?, seq = ? WHERE id = ?",
                arguments: [status.rawValue, seq, lotID]
            )
            let event = AuctionEvent(lotID: lotID, seq: seq, at: at, kind: .statusChanged(status))
            let record = try SQLiteRows.append(event, in: db)
            return [record] + (try SQLiteUserEvents.append(SQLiteUserEvents.closing(lot, events: [event], in: db), in: db))
        }
    }
}
