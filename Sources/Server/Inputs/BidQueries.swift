import AuctionCore

/// `GET /lots/{lot_id}/bids?limit=&after=`: the page.
struct BidListQuery: Decodable {
    static let maxPage = 100

    let limit: Int
    let after: BidCursor?

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        limit = Int(try fields.integer(.limit, in: 1...Int64(Self.maxPage)) ?? Int64(Self.maxPage))
        after = try fields.text(.after).map { text in
            guard let cursor = BidCursor(text: text) else {
                throw APIError.validation("after", "must be the X-Next-After of the previous page")
            }
            return cursor
        }
    }

    enum CodingKeys: String, CodingKey { case limit, after }
}
