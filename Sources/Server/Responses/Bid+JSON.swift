import AuctionCore

extension Bid {
    /// The bid as the API writes it: the original fields first, this project's after.
    var json: String {
        var o = OrderedJSON()
        o.add("id", id)
        o.add("lot_id", lotID)
        o.add("amount", amount)
        o.add("bidder", bidder)
        o.add("created_at", createdAt)
        o.add("updated_at", updatedAt)
        return o.json
    }
}
