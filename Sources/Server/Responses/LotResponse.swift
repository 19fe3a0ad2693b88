import AuctionCore
import Foundation

/// A lot as the API writes it: the original fields first, this project's after.
struct LotResponse: Encodable {
    let lot: Lot

    enum CodingKeys: String, CodingKey {
        case id, title, description, starting_price, status
        case highest_price, highest_bidder, bid_count, owner, created_at, ends_at, seq
        case min_increment, soft_close_seconds
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lot.id, forKey: .id)
        try c.encode(lot.title, forKey: .title)
        try c.encode(lot.description, forKey: .description)
        try c.encode(lot.startingPrice, forKey: .starting_price)
        try c.encode(lot.status.rawValue, forKey: .status)
        try c.encode(lot.highestPrice, forKey: .highest_price)
        try c.encode(lot.highestBidder, forKey: .highest_bidder)
        try c.encode(lot.bidCount, forKey: .bid_count)
        try c.encode(lot.owner, forKey: .owner)
        try c.encode(Timestamp.format(lot.createdAt), forKey: .created_at)
        try c.encode(lot.endsAt.map(Timestamp.format), forKey: .ends_at)
        try c.encode(lot.seq, forKey: .seq)
        try c.encode(lot.minIncrement, forKey: .min_increment)
        try c.encode(lot.softCloseSeconds, forKey: .soft_close_seconds)
    }
}
