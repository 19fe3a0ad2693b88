import AuctionCore

/// The small bodies of the account and status routes, in the original field order.
enum SmallResponses {
    static func user(id: Int64, username: String) -> String {
        var o = OrderedJSON()
        o.add("id", id)
        o.add("username", username)
        return o.json
    }

    static func token(_ token: String) -> String {
        var o = OrderedJSON()
        o.add("access_token", token)
        o.add("token_type", "bearer")
        return o.json
    }

    static func message(_ message: String) -> String {
        var o = OrderedJSON()
        o.add("message", message)
        return o.json
    }
}
