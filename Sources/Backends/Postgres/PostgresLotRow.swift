import AuctionCore
import PostgresNIO

/// A row of the `lot_details` view, read by column position, so that a query may
/// add columns of its own after the view's.
enum PostgresLotRow {
    /// The view's columns by name (alias `d`), in `decode`'s order. Queries name
    /// them instead of `d.*`: a later migration that appends a column to the view
    /// then changes neither the positions nor the result type of a prepared
    /// statement of a node still running this version (a rolling upgrade).
    static let columns = """
        d.id, d.title, d.description, d.starting_price_cents, d.status, d.highest_price_cents, d.highest_bidder, \
        d.bid_count, d.owner_id, d.owner, d.created_at_ms, d.ends_at_ms, d.min_increment_cents, \
        d.soft_close_seconds, d.seq, d.highest_bidder_id, d.reserve_price_cents, d.buy_now_price_cents, \
        d.increment_rule
        """

    static func decode(_ row: PostgresRow) throws -> Lot {
        try decode(PostgresRandomAccessRow(row))
    }

    static func decode(_ row: PostgresRandomAccessRow) throws -> Lot {
        let rule = try row[18].decode(String.self)
        return Lot(
            id: try row[0].decode(Int64.self), title: try row[1].decode(String.self),
            description: try row[2].decode(String.self), startingPrice: Money(cents: try row[3].decode(Int64.self)),
            // The column's CHECK admits only the two statuses (and the two rules).
            status: LotStatus(rawValue: try row[4].decode(String.self)) ?? .finished,
            highestPrice: Money(cents: try row[5].decode(Int64.self)), highestBidder: try row[6].decode(String?.self),
            bidCount: Int(try row[7].decode(Int32.self)), ownerID: try row[8].decode(Int64.self),
            owner: try row[9].decode(String.self),
            createdAt: Timestamp.date(milliseconds: try row[10].decode(Int64.self)),
            endsAt: try row[11].decode(Int64?.self).map(Timestamp.date(milliseconds:)),
            minIncrement: Money(cents: try row[12].decode(Int64.self)),
            softCloseSeconds: try row[13].decode(Int32?.self).map(Int.init), seq: try row[14].decode(Int64.self),
            highestBidderID: try row[15].decode(Int64?.self),
            reservePrice: try row[16].decode(Int64?.self).map(Money.init(cents:)),
            buyNowPrice: try row[17].decode(Int64?.self).map(Money.init(cents:)),
            incrementRule: IncrementRule(rawValue: rule) ?? .fixed
        )
    }

    /// The number of `columns`; a query's own columns follow.
    static let columnCount = columns.split(separator: ",").count

    static func decodeAll(_ rows: PostgresRowSequence) async throws -> [Lot] {
        try await rows.all().map(decode)
    }
}
