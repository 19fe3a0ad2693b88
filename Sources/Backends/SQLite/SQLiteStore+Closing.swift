import AuctionCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Closes the expired lots in one write transaction. Transactions on the file
    /// are serialized (one writer here, IMMEDIATE locks across processes), so a
    /// second caller sees the lots already finished and closes nothing twice.
    public func closeExpiredLots(now: Date, limit: Int) async throws -> [EventRecord] {
        guard limit > 0 else { return [] }
        let at = Timestamp.truncated(now)
        let nowMS = Timestamp.milliseconds(at)
        return try await write { db in
            let expired = try Row.fetchAll(
                db,
                sql: """
                    \(SQLiteRows.lotSelect)
                    WHERE lots.status = 'running' AND lots.ends_at_ms IS NOT NULL AND lots.ends_at_ms <= ?
                    ORDER BY lots.ends_at_ms, lots.id LIMIT ?
                    """,
                arguments: [nowMS, limit]
            ).map(SQLiteRows.lot(from:))

            var records: [EventRecord] = []
            var drafts: [UserEventDraft] = []
            for lot in expired {
                try db.execute(
                    sql: "UPDATE lots SET status = 'finished', seq = ? WHERE id = ?",
                    arguments: [lot.seq + 2, lot.id]
                )
                let events = AuctionEvent.closing(
                    lotID: lot.id, after: lot.seq, at: at, winner: lot.highestBidder, highestPrice: lot.highestPrice,
                    bidCount: lot.bidCount, reservePrice: lot.reservePrice)
                for event in events { records.append(try SQLiteRows.append(event, in: db)) }
                drafts += try SQLiteUserEvents.closing(lot, events: events, in: db)
            }
            return records + (try SQLiteUserEvents.append(drafts, in: db))
        }
    }
}
