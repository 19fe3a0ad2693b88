import AuctionCore

/// A bid as the API writes it: the original fields first, this project's after.
struct BidResponse: Encodable {
    let bid: Bid

    enum CodingKeys: String, CodingKey {
        case id, lot_id, amount, bidder, created_at, updated_at
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(bid.id, forKey: .id)
        try c.encode(bid.lotID, forKey: .lot_id)
        try c.encode(bid.amount, forKey: .amount)
        try c.encode(bid.bidder, forKey: .bidder)
        try c.encode(Timestamp.format(bid.createdAt), forKey: .created_at)
        try c.encode(Timestamp.format(bid.updatedAt), forKey: .updated_at)
    }
}
