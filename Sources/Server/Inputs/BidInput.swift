import AuctionCore

/// `POST` and `PATCH /lots/{lot_id}/bids`: the amount, and the maximum the server
/// may bid up to (proxy bidding). A `PATCH` may give the maximum alone.
struct BidInput: Decodable {
    /// nil only for a `PATCH` with `max_amount` alone.
    let amount: Money?
    let maxAmount: Money?

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        amount = try fields.money(.amount)
        maxAmount = try fields.money(.maxAmount)
        // Without a maximum the amount is required, with the decoder's own 422.
        if amount == nil, maxAmount == nil { throw Self.amountRequired }
        if let amount, let maxAmount, maxAmount < amount {
            throw APIError.validation("max_amount", "must be at least amount")
        }
    }

    /// The input of `mode`: a `POST` needs an amount.
    func checked(for mode: BidMode) throws -> BidInput {
        if mode == .create, amount == nil { throw Self.amountRequired }
        return self
    }

    private static let amountRequired = APIError.validation("amount", "field required")

    enum CodingKeys: String, CodingKey {
        case amount
        case maxAmount = "max_amount"
    }
}
