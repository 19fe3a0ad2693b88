import AuctionCore

/// `GET /lots?status=&limit=&after=`: which lots, and the page.
struct LotListQuery: Decodable {
    static let maxPage = 100

    let filter: LotFilter
    let limit: Int
    let after: Int64?

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try fields.text(.status) {
            guard let value = LotFilter(rawValue: text) else {
                throw APIError.validation("status", "must be running, finished or all")
            }
            filter = value
        } else {
            filter = .running
        }
        limit = Int(try fields.integer(.limit, in: 1...Int64(Self.maxPage)) ?? Int64(Self.maxPage))
        after = try fields.integer(.after, in: 1...Int64.max)
    }

    enum CodingKeys: String, CodingKey { case status, limit, after }
}

/// `GET /lots/{lot_id}/events?since=&limit=`.
struct EventsQuery: Decodable {
    static let maxPage = 1000

    let since: Int64
    let limit: Int

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        since = try fields.integer(.since, in: 0...Int64.max) ?? 0
        limit = Int(try fields.integer(.limit, in: 1...Int64(Self.maxPage)) ?? Int64(Self.maxPage))
    }

    enum CodingKeys: String, CodingKey { case since, limit }
}
