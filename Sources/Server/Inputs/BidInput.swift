import AuctionCore

/// `POST` and `PATCH /lots/{lot_id}/bids`: the amount.
struct BidInput: Decodable {
    let amount: Money

    init(from decoder: any Decoder) throws {
        amount = try decoder.container(keyedBy: CodingKeys.self).requiredMoney(.amount)
    }

    enum CodingKeys: String, CodingKey { case amount }
}
