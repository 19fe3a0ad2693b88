import AuctionCore

extension Lot {
    /// The lot as anyone may see it.
    var json: String { json(showingReserve: false) }

    /// The lot as the API writes it: the original fields first, this project's after.
    /// `reserve_price` is written only for the owner (`showingReserve`).
    func json(showingReserve: Bool) -> String {
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
        // Under the ladder, the step at the current price.
        o.add("min_increment", increment(at: highestPrice))
        o.add("soft_close_seconds", softCloseSeconds)
        o.add("increment_rule", incrementRule.rawValue)
        o.add("next_minimum_bid", BiddingRules.minimumBid(for: self))
        o.add("reserve_met", reserveMet)
        o.add("buy_now_price", offeredBuyNowPrice)
        if showingReserve { o.add("reserve_price", reservePrice) }
        return o.json
    }
}
