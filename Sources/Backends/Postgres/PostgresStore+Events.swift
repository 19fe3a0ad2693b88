import AuctionCore
import PostgresNIO

extension PostgresStore {
    public func events(lotID: Int64, since: Int64, limit: Int) async throws -> [EventRecord] {
        guard limit > 0 else { return [] }
        return try await perform { client, logger in
            try await client.query(
                """
                SELECT seq, payload FROM events
                WHERE lot_id = \(lotID) AND seq > \(since)
                ORDER BY seq
                LIMIT \(Int64(limit))
                """,
                logger: logger
            ).decode((Int64, String).self).all().map { EventRecord(lotID: lotID, seq: $0.0, json: $0.1) }
        }
    }

    public func latestSeqs(lotIDs: [Int64]) async throws -> [Int64: Int64] {
        guard !lotIDs.isEmpty else { return [:] }
        return try await perform { client, logger in
            let rows = try await client.query(
                "SELECT id, seq FROM lots WHERE id = ANY(\(lotIDs))", logger: logger
            ).decode((Int64, Int64).self).all()
            return Dictionary(rows, uniquingKeysWith: { first, _ in first })
        }
    }
}
