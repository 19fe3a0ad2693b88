import AuctionCore
@testable import AuctionServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Lots")
struct LotRoutesTests {
    @Test("create a lot with form, JSON and multipart bodies", arguments: ["form", "json", "multipart"])
    func create(encoding: String) async throws {
        try await TestApp.run { client in
            let owner = try await client.register("olga")
            let body: Body =
                switch encoding {
                case "json": .json(#"{"title": "Vase", "description": "Blue", "starting_price": 12.5}"#)
                case "multipart": .multipart([("title", "Vase"), ("description", "Blue"), ("starting_price", "12.50")])
                default: .form(["title": "Vase", "description": "Blue", "starting_price": "12.50"])
                }
            let reply = try await client.call(.post, "/lots", body, token: owner.token)
            #expect(reply.status == .created, "\(reply.text)")
            let lot = try reply.decoded(LotBody.self)
            #expect(lot.title == "Vase" && lot.description == "Blue" && lot.status == "running")
            #expect(lot.owner == "olga" && lot.highestBidder == nil && lot.bidCount == 0 && lot.seq == 0)
            #expect(reply.text.contains(#""highest_bidder":null"#) && reply.text.contains(#""ends_at":null"#))
            #expect(Timestamp.parse(lot.createdAt) != nil)
            // Money is written as an exact JSON number.
            #expect(reply.text.contains(#""starting_price":12.5,"#))
            #expect(reply.text.contains(#""highest_price":12.5,"#))
            // The original fields come first.
            #expect(reply.text.hasPrefix(#"{"id":"#))
        }
    }

    @Test func createNeedsAuthentication() async throws {
        try await TestApp.run { client in
            let reply = try await client.call(
                .post, "/lots", .form(["title": "T", "description": "D", "starting_price": "1"]))
            #expect(reply.status == .unauthorized)
            #expect(reply.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await client.call(.get, "/lots?status=all").decoded([LotBody].self).isEmpty)
        }
    }

    static let badLots: [([(String, String)], String)] = [
        ([("description", "D"), ("starting_price", "1")], "title"),
        ([("title", "  "), ("description", "D"), ("starting_price", "1")], "title"),
        ([("title", String(repeating: "t", count: 201)), ("description", "D"), ("starting_price", "1")], "title"),
        ([("title", "T"), ("starting_price", "1")], "description"),
        ([("title", "T"), ("description", "D")], "starting_price"),
        ([("title", "T"), ("description", "D"), ("starting_price", "0")], "starting_price"),
        ([("title", "T"), ("description", "D"), ("starting_price", "12.345")], "starting_price"),
        ([("title", "T"), ("description", "D"), ("starting_price", "1"), ("min_increment", "0")], "min_increment"),
        ([("title", "T"), ("description", "D"), ("starting_price", "1"), ("ends_at", "yesterday")], "ends_at"),
        ([("title", "T"), ("description", "D"), ("starting_price", "1"), ("ends_at", "2001-01-01T00:00:00Z")], "ends_at"),
        ([("title", "T"), ("description", "D"), ("starting_price", "1"), ("duration_seconds", "0")], "duration_seconds"),
        ([("title", "T"), ("description", "D"), ("starting_price", "1"), ("duration_seconds", "abc")], "duration_seconds"),
        (
            [("title", "T"), ("description", "D"), ("starting_price", "1"), ("duration_seconds", "60"),
             ("ends_at", "2099-01-01T00:00:00Z")], "ends_at"
        ),
        ([("title", "T"), ("description", "D"), ("starting_price", "1"), ("soft_close_seconds", "30")], "soft_close_seconds"),
        ([("title", "T"), ("description", String(repeating: "d", count: 10_001)), ("starting_price", "1")], "description"),
        ([("title", "T\u{0}"), ("description", "D"), ("starting_price", "1")], "title"),
        ([("title", "T"), ("description", "a\u{0}b"), ("starting_price", "1")], "description"),
        (
            [("title", "T"), ("description", "D"), ("starting_price", "1"), ("duration_seconds", "60"),
             ("soft_close_seconds", "86401")], "soft_close_seconds"
        ),
        (
            [("title", "T"), ("description", "D"), ("starting_price", "1"), ("duration_seconds", "60"),
             ("soft_close_seconds", "-1")], "soft_close_seconds"
        ),
        ([("title", "T"), ("description", "D"), ("starting_price", "1"), ("duration_seconds", "31622401")], "duration_seconds"),
        ([("title", "T"), ("description", "D"), ("starting_price", "1"), ("ends_at", "2999-01-01T00:00:00Z")], "ends_at"),
    ]

    @Test(
        "a bad events query is 422 and names the field",
        arguments: [
            ("since=-1", "since"), ("since=x", "since"), ("limit=0", "limit"), ("limit=1001", "limit"), ("since=%zz", "query"),
        ])
    func invalidEventsQuery(query: String, field: String) async throws {
        try await TestApp.run { client in
            let owner = try await client.register("rita")
            let lot = try await client.createLot(owner)
            let reply = try await client.call(.get, "/lots/\(lot)/events?\(query)")
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.detail.hasPrefix(field), "\(reply.detail)")
        }
    }

    @Test("invalid lots are 422, name the field and create nothing", arguments: badLots)
    func invalidLot(fields: [(String, String)], field: String) async throws {
        try await TestApp.run { client in
            let owner = try await client.register("paul")
            let reply = try await client.call(.post, "/lots", .form(fields), token: owner.token)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(reply.detail.hasPrefix(field), "\(reply.detail)")
            #expect(try await client.call(.get, "/lots?status=all").decoded([LotBody].self).isEmpty)
        }
    }

    @Test func timedLot() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("quinn")
            let reply = try await client.call(
                .post, "/lots",
                .form(["title": "T", "description": "D", "starting_price": "5", "duration_seconds": "3600",
                       "min_increment": "2.5", "soft_close_seconds": "30"]),
                token: owner.token)
            #expect(reply.status == .created)
            let lot = try reply.decoded(LotBody.self)
            let endsAt = try #require(Timestamp.parse(lot.endsAt ?? ""))
            #expect(abs(endsAt.timeIntervalSinceNow - 3600) < 60)
            #expect(reply.text.contains(#""min_increment":2.5"#))
            #expect(lot.softCloseSeconds == 30)
        }
    }

    @Test(arguments: TestStorage.allCases)
    func listRunningNewestFirstWithPaging(storage: TestStorage) async throws {
        try await TestApp.run(storage: storage) { client in
            let owner = try await client.register("rita")
            var ids: [Int64] = []
            for _ in 0..<5 { ids.append(try await client.createLot(owner)) }
            let finished = ids[1]
            #expect(try await client.call(.patch, "/lots/\(finished)/status?lot_status=finished", token: owner.token).status == .ok)

            func listed(_ query: String) async throws -> [Int64] {
                try await client.call(.get, "/lots\(query)").decoded([LotBody].self).map(\.id)
            }
            #expect(try await listed("") == ids.filter { $0 != finished }.reversed())
            #expect(try await listed("?status=finished") == [finished])
            #expect(try await listed("?status=all") == ids.reversed())

            let page1 = try await client.call(.get, "/lots?status=all&limit=2")
            #expect(try page1.decoded([LotBody].self).map(\.id) == [ids[4], ids[3]])
            let cursor = try #require(page1.headers[HTTPField.Name("X-Next-After")!])
            let page2 = try await client.call(.get, "/lots?status=all&limit=2&after=\(cursor)")
            #expect(try page2.decoded([LotBody].self).map(\.id) == [ids[2], ids[1]])
        }
    }

    @Test("bad list parameters are 422", arguments: ["status=open", "limit=0", "limit=101", "limit=x", "after=-3"])
    func badListQuery(query: String) async throws {
        try await TestApp.run { client in
            let reply = try await client.call(.get, "/lots?\(query)")
            #expect(reply.status == .unprocessableContent)
        }
    }

    @Test(arguments: TestStorage.allCases)
    func showOneLot(storage: TestStorage) async throws {
        try await TestApp.run(storage: storage) { client in
            let owner = try await client.register("sam")
            let id = try await client.createLot(owner, price: "7.05")
            let reply = try await client.call(.get, "/lots/\(id)")
            #expect(reply.status == .ok)
            #expect(try reply.decoded(LotBody.self).id == id)
            #expect(reply.text.contains(#""starting_price":7.05"#))
        }
    }

    @Test("ids that are not positive integers are 404", arguments: ["0", "-1", "abc", "1.5", "99999999999999999999999", "424242"])
    func unknownLots(id: String) async throws {
        try await TestApp.run { client in
            let user = try await client.register("tess")
            for (method, path) in [
                (HTTPRequest.Method.get, "/lots/\(id)"), (.get, "/lots/\(id)/bids"), (.get, "/lots/\(id)/events"),
                (.post, "/lots/\(id)/bids"), (.patch, "/lots/\(id)/bids"), (.patch, "/lots/\(id)/status?lot_status=finished"),
            ] {
                let reply = try await client.call(method, path, .form(["amount": "5"]), token: user.token)
                #expect(reply.status == .notFound, "\(method) \(path): \(reply.text)")
                #expect(!reply.detail.isEmpty)
            }
        }
    }

    @Test(arguments: TestStorage.allCases)
    func statusChanges(storage: TestStorage) async throws {
        try await TestApp.run(storage: storage) { client in
            let owner = try await client.register("uma")
            let other = try await client.register("vic")
            let id = try await client.createLot(owner)
            let path = "/lots/\(id)/status"

            #expect(try await client.call(.patch, "\(path)?lot_status=finished").status == .unauthorized)
            #expect(try await client.call(.patch, "\(path)?lot_status=finished", token: other.token).status == .forbidden)
            #expect(try await client.call(.patch, "\(path)?lot_status=closed", token: owner.token).status == .unprocessableContent)
            #expect(try await client.call(.patch, path, token: owner.token).status == .unprocessableContent)
            #expect(try await client.lot(id).status == "running")

            // Same status: accepted, no event.
            let same = try await client.call(.patch, path, .form(["lot_status": "running"]), token: owner.token)
            #expect(same.status == .ok)
            #expect(try await client.lot(id).seq == 0)

            let done = try await client.call(.patch, path, .json(#"{"status": "finished"}"#), token: owner.token)
            #expect(done.status == .ok)
            #expect(done.text == #"{"message":"Lot \#(id) status updated to finished"}"#)
            #expect(try await client.lot(id).status == "finished")

            let reopen = try await client.call(.patch, "\(path)?lot_status=running", token: owner.token)
            #expect(reopen.status == .conflict)
            #expect(try await client.lot(id).status == "finished")

            let events = try await client.events(id)
            #expect(events.count == 1)
            #expect(events.first?.type == "lot_status_changed")
            #expect(events.first?.status == "finished")
            #expect(events.first?.seq == 1)
        }
    }

    @Test(arguments: TestStorage.allCases)
    func timedLotClosesByItself(storage: TestStorage) async throws {
        var settings = try TestApp.settings()
        settings.closerIntervalMilliseconds = 100
        try await TestApp.run(.live, settings: settings, storage: storage) { client in
            let owner = try await client.register("will")
            let bidder = try await client.register("xena")
            // Long enough for the bid to land first on a loaded machine (5 s was not).
            let id = try await client.createLot(owner, extra: [("duration_seconds", "20")])
            #expect(try await client.bid(bidder, lot: id, "11").status == .created)
            var status = ""
            for _ in 0..<1200 where status != "finished" {
                try await Task.sleep(for: .milliseconds(100))
                status = try await client.lot(id).status
            }
            #expect(status == "finished")
            let events = try await client.events(id)
            #expect(events.map(\.type) == ["bid_placed", "lot_status_changed", "lot_closed"])
            #expect(events.last?.winner == "xena")
            #expect(events.last?.amount == 11)
            #expect(try await client.bid(bidder, lot: id, "20", method: .patch).status == .badRequest)
        }
    }
}
