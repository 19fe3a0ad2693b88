import AuctionCore
import PostgresNIO

/// A row of the `lot_details` view, in its column order.
enum PostgresLotRow {
    typealias Columns = (
        Int64, String, String, Int64, String, Int64, String?, Int32, Int64, String, Int64, Int64?, Int64,
        Int32?, Int64
    )

    static func decode(_ row: PostgresRow) throws -> Lot {
        let (
            id, title, description, startingPrice, status, highestPrice, highestBidder, bidCount, ownerID,
            owner, createdAt, endsAt, minIncrement, softCloseSeconds, seq
        ) = try row.decode(Columns.self)
        return Lot(
            id: id, title: title, description: description, startingPrice: Money(cents: startingPrice),
            // The column's CHECK admits only the two statuses.
            status: LotStatus(rawValue: status) ?? .finished,
            highestPrice: Money(cents: highestPrice), highestBidder: highestBidder, bidCount: Int(bidCount),
            ownerID: ownerID, owner: owner, createdAt: Timestamp.date(milliseconds: createdAt),
            endsAt: endsAt.map(Timestamp.date(milliseconds:)), minIncrement: Money(cents: minIncrement),
            softCloseSeconds: softCloseSeconds.map(Int.init), seq: seq
        )
    }

    static func decodeAll(_ rows: PostgresRowSequence) async throws -> [Lot] {
        try await rows.all().map(decode)
    }
}
