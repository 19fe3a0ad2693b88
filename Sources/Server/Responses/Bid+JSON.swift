import AuctionCore

extension Bid {
    /// The bid as anyone may see it: no maximum.
    var json: String { json(showingMaximum: false) }

    /// The bid as the API writes it: the original fields first, this project's after.
    /// `max_amount` is written only in the bidder's own responses (`showingMaximum`).
    func json(showingMaximum: Bool) -> String {
        var o = OrderedJSON()
        o.add("id", id)
        o.add("lot_id", lotID)
        o.add("amount", amount)
        o.add("bidder", bidder)
        o.add("created_at", createdAt)
        o.add("updated_at", updatedAt)
        o.add("leading", leading)
        if showingMaximum { o.add("max_amount", maxAmount) }
        return o.json
    }
}
