import AuctionCore
import Foundation
import Testing

@Suite("GET /account/me/events")
struct UserEventRoutesTests {
    @Test(arguments: TestStorage.allCases)
    func outbidWonAndLost(storage: TestStorage) async throws {
        try await TestApp.run(storage: storage) { client in
            let owner = try await client.register("ola")
            let ann = try await client.register("ann")
            let bob = try await client.register("bob")
            let lot = try await client.createLot(owner, price: "10")
            #expect(try await client.bid(ann, lot: lot, "11").status == .created)
            #expect(try await client.bid(bob, lot: lot, "12.5").status == .created)
            #expect(try await client.bid(bob, lot: lot, "10").status == .badRequest)
            #expect(try await client.call(.patch, "/lots/\(lot)/status?lot_status=finished", token: owner.token).status == .ok)

            let annEvents = try await client.call(.get, "/account/me/events", token: ann.token)
            #expect(annEvents.status == .ok)
            #expect(annEvents.array.map { $0.string("type") } == ["outbid", "lost"])
            #expect(annEvents.array.map { $0.int("seq") } == [1, 2])
            #expect(annEvents.text.hasPrefix(#"[{"type":"outbid","lot_id":\#(lot),"amount":12.5,"by":"bob","seq":1,"at":""#))
            let lost = annEvents.array.last ?? [:]
            #expect(lost.string("winner") == "bob" && lost.number("amount") == Decimal(string: "12.5"))
            let bobEvents = try await client.call(.get, "/account/me/events?since=0", token: bob.token)
            #expect(bobEvents.text.hasPrefix(#"[{"type":"won","lot_id":\#(lot),"amount":12.5,"seq":1,"at":""#))
            #expect(try await client.call(.get, "/account/me/events?since=1", token: ann.token).array.map { $0.string("type") } == ["lost"])
            #expect(try await client.call(.get, "/account/me/events?limit=1", token: ann.token).array.count == 1)
            #expect(try await client.call(.get, "/account/me/events", token: owner.token).text == "[]")
        }
    }

    @Test func refusesWithoutATokenAndBadQueries() async throws {
        try await TestApp.run { client in
            let ann = try await client.register("ann")
            #expect(try await client.call(.get, "/account/me/events").status == .unauthorized)
            for query in ["since=-1", "since=x", "limit=0", "limit=1001"] {
                let reply = try await client.call(.get, "/account/me/events?\(query)", token: ann.token)
                #expect(reply.status == .unprocessableContent, "\(query)")
                #expect(!reply.detail.isEmpty)
            }
        }
    }
}
