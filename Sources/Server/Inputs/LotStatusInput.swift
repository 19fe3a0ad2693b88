import AuctionCore

/// `PATCH /lots/{lot_id}/status`: `lot_status` in the query (the original
/// client's way), else in the body, where `status` is also accepted.
struct LotStatusInput: Decodable {
    let text: String?

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        text = try fields.text(.lotStatus) ?? fields.text(.status)
    }

    enum CodingKeys: String, CodingKey {
        case lotStatus = "lot_status"
        case status
    }

    /// The query's `lot_status`: the body's other name is not read from the URL.
    struct Query: Decodable {
        let text: String?

        init(from decoder: any Decoder) throws {
            text = try decoder.container(keyedBy: CodingKeys.self).text(.lotStatus)
        }
    }

    /// The status the query names, else the body's.
    static func status(query: Query, body: LotStatusInput) throws -> LotStatus {
        guard let text = query.text ?? body.text else { throw APIError.validation("lot_status", "field required") }
        guard let status = LotStatus(rawValue: text) else {
            throw APIError.validation("lot_status", "must be running or finished")
        }
        return status
    }
}
