import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Bids")
struct BidRoutesTests {
    @Test("place a bid with form, JSON number, JSON string and multipart", arguments: [
        Body.form(["amount": "12.5"]), .json(#"{"amount": 12.5}"#), .json(#"{"amount": "12.50"}"#),
        .multipart([("amount", "12.5")]),
    ])
    func place(body: Body) async throws {
        try await TestApp.run { client in
            let owner = try await client.register("ann")
            let bidder = try await client.register("ben")
            let lot = try await client.createLot(owner)
            let reply = try await client.call(.post, "/lots/\(lot)/bids", body, token: bidder.token)
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.text.hasPrefix(#"{"id":"#))
            #expect(reply.text.contains(#""lot_id":\#(lot),"amount":12.5,"bidder":"ben""#))
            let state = try await client.call(.get, "/lots/\(lot)")
            #expect(state.text.contains(#""highest_price":12.5"#))
            let shown = try state.decoded(LotBody.self)
            #expect(shown.highestBidder == "ben" && shown.bidCount == 1 && shown.seq == 1)
        }
    }

    /// The hand parser took `filename="..."` for the field's name when it came first.
    @Test func multipartPartsAreNamedByTheirNameParameter() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("ann")
            let bidder = try await client.register("ben")
            let lot = try await client.createLot(owner)
            let body = Body.raw(
                contentType: "multipart/form-data; boundary=b0undary",
                "--b0undary\r\nContent-Disposition: form-data; filename=\"amount.txt\"; name=\"amount\"\r\n"
                    + "Content-Type: text/plain\r\n\r\n12.5\r\n--b0undary--\r\n")
            let reply = try await client.call(.post, "/lots/\(lot)/bids", body, token: bidder.token)
            #expect(reply.status == .created, "\(reply.text)")
            #expect(try await client.lot(lot).highestPrice == Decimal(string: "12.5"))
        }
    }

    @Test("bad bodies are 422 with these texts", arguments: [
        (Body.form([:]), "amount: field required"),
        (.json(#"{"amount": [1]}"#), "amount: must be a string or a number"),
        (.json(#"{"amount": null}"#), "amount: field required"),
        (.form(["amount": "1\u{0}"]), "amount: must not contain NUL characters"),
        (.json("[1, 2]"), "body: not a valid JSON object"),
        (.raw(contentType: "application/x-www-form-urlencoded", "amount=%zz"), "body: not valid form encoding"),
        (.raw(contentType: "multipart/form-data", "--x\r\n\r\n"), "body: not valid multipart/form-data"),
    ])
    func badBodyTexts(body: Body, detail: String) async throws {
        try await TestApp.run { client in
            let owner = try await client.register("ann")
            let bidder = try await client.register("ben")
            let lot = try await client.createLot(owner)
            let reply = try await client.call(.post, "/lots/\(lot)/bids", body, token: bidder.token)
            #expect(reply.status == .unprocessableContent)
            #expect(reply.detail == detail)
        }
    }

    @Test(arguments: TestStorage.allCases)
    func rulesOfBidding(storage: TestStorage) async throws {
        try await TestApp.run(storage: storage) { client in
            let owner = try await client.register("cat")
            let ann = try await client.register("dan")
            let bea = try await client.register("eve")
            let lot = try await client.createLot(owner, price: "10")

            #expect(try await client.bid(ann, lot: lot, "10").status == .badRequest)  // not higher than start
            #expect(try await client.bid(owner, lot: lot, "50").status == .forbidden)  // own lot
            #expect(try await client.bid(ann, lot: lot, "11", method: .patch).status == .notFound)  // no bid yet
            #expect(try await client.call(.post, "/lots/\(lot)/bids", .form(["amount": "11"])).status == .unauthorized)
            #expect(try await client.bid(ann, lot: lot, "11").status == .created)
            let again = try await client.bid(ann, lot: lot, "12")
            #expect(again.status == .badRequest)  // already has a bid
            #expect(again.detail.contains("PATCH"))
            #expect(try await client.bid(bea, lot: lot, "11").status == .badRequest)  // equal
            #expect(try await client.bid(bea, lot: lot, "11.01").status == .created)
            let raised = try await client.bid(ann, lot: lot, "15", method: .patch)
            #expect(raised.status == .ok)
            #expect(raised.text.contains(#""amount":15"#))
            #expect(try await client.bid(bea, lot: lot, "14", method: .patch).status == .badRequest)

            let bids = try await client.call(.get, "/lots/\(lot)/bids").decoded([BidBody].self)
            #expect(bids.map(\.bidder) == ["dan", "eve"])
            #expect(bids.map(\.amount) == [15, Decimal(string: "11.01")!])

            #expect(try await client.call(.patch, "/lots/\(lot)/status?lot_status=finished", token: owner.token).status == .ok)
            let late = try await client.bid(bea, lot: lot, "100", method: .patch)
            #expect(late.status == .badRequest)
            #expect(late.detail.contains("finished"))
            #expect(try await client.bid(try await client.register("fay"), lot: lot, "100").status == .badRequest)

            let events = try await client.events(lot)
            #expect(events.map(\.seq) == [1, 2, 3, 4])
            #expect(events.map(\.type) == ["bid_placed", "bid_placed", "bid_placed", "lot_status_changed"])
            #expect(try await client.events(lot, query: "?since=2").map(\.seq) == [3, 4])
            let first = try await client.call(.get, "/lots/\(lot)/events?limit=1")
            #expect(first.text.hasPrefix(#"[{"type":"bid_placed","lot_id":\#(lot),"bidder":"dan","amount":11,"seq":1,"at":""#))
        }
    }

    @Test(arguments: TestStorage.allCases)
    func minimumIncrementIsEnforced(storage: TestStorage) async throws {
        try await TestApp.run(storage: storage) { client in
            let owner = try await client.register("gil")
            let bidder = try await client.register("hob")
            let lot = try await client.createLot(owner, price: "10", extra: [("min_increment", "5")])
            let low = try await client.bid(bidder, lot: lot, "14.99")
            #expect(low.status == .badRequest)
            #expect(low.detail.contains("15"))
            #expect(try await client.bid(bidder, lot: lot, "15").status == .created)
        }
    }

    /// Every value API.md lists as invalid money, and the conventions' other bad input.
    static let badAmounts: [Body] = [
        .form(["amount": "NaN"]), .form(["amount": "inf"]), .form(["amount": "1e400"]), .form(["amount": "-1"]),
        .form(["amount": "0"]), .form(["amount": "12.345"]), .form(["amount": "abc"]), .form(["amount": ""]),
        .form(["amount": "1000000000000.01"]), .form([:]), .json(#"{"amount": 1e400}"#), .json(#"{"amount": -1}"#),
        .json(#"{"amount": 12.345}"#), .json(#"{"amount": "NaN"}"#), .json(#"{"amount": [1]}"#),
        .json(#"{"amount": null}"#), .json(#"{"amount": true}"#), .json(#"{"amount": 0}"#),
    ]

    @Test("invalid amounts are 422 and change nothing", arguments: badAmounts)
    func invalidAmounts(body: Body) async throws {
        try await TestApp.run { client in
            let owner = try await client.register("ida")
            let bidder = try await client.register("jon")
            let lot = try await client.createLot(owner)
            for method in [HTTPRequest.Method.post, .patch] {
                let reply = try await client.call(method, "/lots/\(lot)/bids", body, token: bidder.token)
                #expect(reply.status == .unprocessableContent, "\(method): \(reply.text)")
                #expect(reply.detail.hasPrefix("amount"), "\(reply.detail)")
            }
            let state = try await client.lot(lot)
            #expect(state.bidCount == 0 && state.seq == 0 && state.highestPrice == 10)
            #expect(try await client.events(lot).isEmpty)
        }
    }

    @Test func largestAmountIsAccepted() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("kim")
            let bidder = try await client.register("lee")
            let lot = try await client.createLot(owner)
            let reply = try await client.bid(bidder, lot: lot, "1000000000000")
            #expect(reply.status == .created)
            #expect(reply.text.contains(#""amount":1000000000000"#))
        }
    }

    @Test(arguments: TestStorage.allCases)
    func concurrentBidsOverHTTPKeepTheRule(storage: TestStorage) async throws {
        try await TestApp.run(storage: storage) { client in
            let owner = try await client.register("max")
            var users: [TestUser] = []
            for i in 0..<20 { users.append(try await client.register("racer\(i)")) }
            let lot = try await client.createLot(owner, price: "1")
            let bidders = users
            let accepted = try await withThrowingTaskGroup(of: Int.self) { group in
                for (i, user) in bidders.enumerated() {
                    group.addTask {
                        var count = 0
                        for round in 0..<5 {
                            let amount = "\(2 + round * 20 + (i * 7) % 20)"
                            let method: HTTPRequest.Method = count == 0 ? .post : .patch
                            let reply = try await client.bid(user, lot: lot, amount, method: method)
                            if reply.status == .created || reply.status == .ok { count += 1 }
                            #expect([.created, .ok, .badRequest].contains(reply.status), "\(reply.text)")
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            let events = try await client.events(lot)
            #expect(events.count == accepted)
            #expect(events.map(\.seq) == Array(1...Int64(accepted)))
            let amounts = events.compactMap(\.amount)
            #expect(zip(amounts, amounts.dropFirst()).allSatisfy { $0 < $1 })
            #expect(try await client.lot(lot).highestPrice == amounts.max())
        }
    }
}
