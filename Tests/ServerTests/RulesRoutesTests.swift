import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// API.md part 3 over HTTP: lot options, proxy bids, buy now.
@Suite("Auction rules over HTTP")
struct RulesRoutesTests {
    @Test("lot options: bad combinations are 422 naming the field, and create nothing", arguments: [
        ([("buy_now_price", "10")], "buy_now_price: must be greater than the starting price"),
        ([("reserve_price", "20"), ("buy_now_price", "20")], "buy_now_price: must be greater than the reserve price"),
        ([("reserve_price", "9.99")], "reserve_price: must be at least the starting price"),
        ([("increment_rule", "ladder"), ("min_increment", "1")],
         "min_increment: cannot be given with increment_rule ladder, whose steps are fixed"),
        ([("increment_rule", "steps")], "increment_rule: must be fixed or ladder"),
        ([("reserve_price", "abc")], "reserve_price: must be a decimal number such as 12.50"),
        ([("buy_now_price", "0")], "buy_now_price: must be greater than 0"),
    ])
    func badOptions(fields: [(String, String)], detail: String) async throws {
        try await TestApp.run { client in
            let owner = try await client.register("ann")
            let reply = try await client.call(
                .post, "/lots", .form([("title", "Lot"), ("description", "A thing"), ("starting_price", "10")] + fields),
                token: owner.token)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.detail == detail)
            #expect(try await client.call(.get, "/lots?status=all").array.isEmpty)
        }
    }

    @Test("lot JSON: reserve_met, buy_now_price, increment_rule, next_minimum_bid; the reserve for the owner only")
    func lotFields() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("ann")
            let other = try await client.register("ben")
            let created = try await client.call(
                .post, "/lots",
                .json(#"{"title": "Lot", "description": "A thing", "starting_price": 10, "reserve_price": 50, "buy_now_price": "100", "increment_rule": "ladder"}"#),
                token: owner.token)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.text.hasSuffix(
                #""increment_rule":"ladder","next_minimum_bid":10.5,"reserve_met":false,"buy_now_price":100,"reserve_price":50}"#))
            let id = try #require(created.object.int("id"))
            let anonymous = try await client.call(.get, "/lots/\(id)")
            #expect(anonymous.object.number("buy_now_price") == 100 && anonymous.object["reserve_met"] as? Bool == false)
            #expect(anonymous.object["reserve_price"] == nil)
            #expect(try await client.call(.get, "/lots/\(id)", token: other.token).object["reserve_price"] == nil)
            #expect(try await client.call(.get, "/lots/\(id)", token: owner.token).object.number("reserve_price") == 50)
            #expect(try await client.call(.get, "/lots").array.allSatisfy { $0["reserve_price"] == nil })
            // A token that is given must be good, even where none is needed.
            #expect(try await client.call(.get, "/lots/\(id)", token: "forged").status == .unauthorized)

            #expect(try await client.bid(other, lot: id, "10.50").status == .created)
            let after = try await client.call(.get, "/lots/\(id)").object
            #expect(after["buy_now_price"] is NSNull && after.number("next_minimum_bid") == Decimal(string: "11"))
            #expect(after["reserve_met"] as? Bool == false)

            let plain = try await client.createLot(owner)
            let shown = try await client.call(.get, "/lots/\(plain)").object
            #expect(shown["reserve_met"] is NSNull && shown["buy_now_price"] is NSNull)
            #expect(shown.string("increment_rule") == "fixed" && shown.number("next_minimum_bid") == Decimal(string: "10.01"))
        }
    }

    @Test("proxy bids: max_amount in one's own answers only, leading on every bid, auto in the log")
    func proxyBids() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("own")
            let a = try await client.register("A")
            let b = try await client.register("B")
            let lot = try await client.createLot(owner, extra: [("min_increment", "1")])
            let bids = "/lots/\(lot)/bids"

            let low = try await client.call(.post, bids, .form(["amount": "20", "max_amount": "19"]), token: a.token)
            #expect(low.status == .unprocessableContent && low.detail == "max_amount: must be at least amount")
            let alone = try await client.call(.post, bids, .form(["max_amount": "50"]), token: a.token)
            #expect(alone.status == .unprocessableContent && alone.detail == "amount: field required")
            #expect(try await client.call(.patch, bids, .form([:]), token: a.token).detail == "amount: field required")

            let first = try await client.call(.post, bids, .form(["amount": "11", "max_amount": "50"]), token: a.token)
            #expect(first.status == .created)
            #expect(first.text.hasSuffix(#""leading":true,"max_amount":50}"#), "\(first.text)")
            let second = try await client.call(.post, bids, .json(#"{"amount": 20}"#), token: b.token)
            #expect(second.status == .created)
            #expect(second.text.hasSuffix(#""leading":false,"max_amount":null}"#), "\(second.text)")

            let listed = try await client.call(.get, bids)
            #expect(!listed.text.contains("max_amount"))
            #expect(listed.array.map { $0.string("bidder") } == ["A", "B"])
            #expect(listed.array.map { $0["leading"] as? Bool } == [true, false])
            #expect(try await client.call(.get, bids, token: a.token).text == listed.text)

            let log = try await client.call(.get, "/lots/\(lot)/events").array
            #expect(log.map { $0.string("bidder") } == ["A", "B", "A"])
            #expect(log.map { $0.number("amount") } == [11, 20, 21])
            #expect(log.map { $0["auto"] as? Bool } == [nil, nil, true])
            #expect(!(try await client.call(.get, "/lots/\(lot)/events").text.contains("max")))

            // The maximum alone: silent while leading; never below one's visible bid.
            let quiet = try await client.call(.patch, bids, .form(["max_amount": "80"]), token: a.token)
            #expect(quiet.status == .ok && quiet.text.hasSuffix(#""amount":21,"bidder":"A","#) == false)
            #expect(quiet.object.number("amount") == 21 && quiet.object.number("max_amount") == 80)
            #expect(try await client.lot(lot).seq == 3)
            let below = try await client.call(.patch, bids, .form(["max_amount": "20"]), token: a.token)
            #expect(below.status == .badRequest)
            #expect(below.detail == "max_amount may not go below your visible bid: at least 21")
            #expect(try await client.lot(lot).seq == 3)
        }
    }

    @Test("buy now: a first bid at its price ends the lot with that bidder as winner")
    func buyNow() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("own")
            let a = try await client.register("A")
            let b = try await client.register("B")
            let lot = try await client.createLot(owner, extra: [("buy_now_price", "100")])
            let bought = try await client.bid(a, lot: lot, "150")
            #expect(bought.status == .created && bought.object.number("amount") == 100)
            let shown = try await client.call(.get, "/lots/\(lot)").object
            #expect(shown.string("status") == "finished" && shown.number("highest_price") == 100)
            #expect(shown["buy_now_price"] is NSNull)
            let log = try await client.call(.get, "/lots/\(lot)/events").array
            #expect(log.map { $0.string("type") } == ["bid_placed", "lot_status_changed", "lot_closed"])
            #expect(log.last?.string("winner") == "A" && log.last?.number("amount") == 100)
            #expect(try await client.bid(b, lot: lot, "200").status == .badRequest)
        }
    }
}
