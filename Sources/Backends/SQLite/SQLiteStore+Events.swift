import AuctionCore
import GRDB

extension SQLiteStore {
    public func events(lotID: Int64, since: Int64, limit: Int) async throws -> [EventRecord] {
        guard limit > 0 else { return [] }
        return try await read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT lot_id, seq, payload FROM events WHERE lot_id = ? AND seq > ? ORDER BY seq LIMIT ?"),
                arguments: [lotID, since, limit]
            ).map(SQLiteRows.eventRecord(from:))
        }
    }

    public func latestSeqs(lotIDs: [Int64]) async throws -> [Int64: Int64] {
        let ids = Array(Set(lotIDs))
        guard !ids.isEmpty else { return [:] }
        return try await read { db in
            var seqs: [Int64: Int64] = [:]
            // Chunks keep each statement well under SQLite's bound-variable limit.
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db, sql: "SELECT id, seq FROM lots WHERE id IN (\(placeholders))",
                    arguments: StatementArguments(chunk)
                )
                for row in rows { seqs[row["id"]] = row["seq"] }
            }
            return seqs
        }
    }
}
