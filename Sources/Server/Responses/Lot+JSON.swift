import AuctionCore

extension Lot {
    /// The lot as the API writes it: the original fields first, this project's after.
    var json: String {
        var o = OrderedJSON()
        o.add("id", id)
        o.add("title", title)
        o.add("description", description)
        o.add("starting_price", startingPrice)
        o.add("status", status.rawValue)
        o.add("highest_price", highestPrice)
        o.add("highest_bidder", highestBidder)
        o.add("bid_count", bidCount)
        o.add("owner", owner)
        o.add("created_at", createdAt)
        o.add("ends_at", endsAt)
        o.add("seq", seq)
        o.add("min_increment", minIncrement)
        o.add("soft_close_seconds", softCloseSeconds)
        return o.json
    }
}
