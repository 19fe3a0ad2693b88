import AuctionCore
@testable import AuctionServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Bid pages")
struct BidPageRoutesTests {
    @Test func bidsComeInPagesWithANextCursor() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("ann")
            var names: [String] = []
            let lot = try await client.createLot(owner)
            for index in 0..<5 {
                let bidder = try await client.register("bidder\(index)")
                names.append(bidder.username)
                #expect(try await client.bid(bidder, lot: lot, "\(11 + index)").status == .created)
            }
            let nextAfter = HTTPField.Name("X-Next-After")!
            let page1 = try await client.call(.get, "/lots/\(lot)/bids?limit=2")
            #expect(try page1.decoded([BidBody].self).map(\.bidder) == [names[4], names[3]])
            let cursor = try #require(page1.headers[nextAfter])
            let page2 = try await client.call(.get, "/lots/\(lot)/bids?limit=2&after=\(cursor)")
            #expect(try page2.decoded([BidBody].self).map(\.bidder) == [names[2], names[1]])
            let last = try await client.call(.get, "/lots/\(lot)/bids?limit=2&after=\(try #require(page2.headers[nextAfter]))")
            #expect(try last.decoded([BidBody].self).map(\.bidder) == [names[0]])
            #expect(last.headers[nextAfter] == nil)
            // Without a limit: at most 100, the whole of this lot.
            let all = try await client.call(.get, "/lots/\(lot)/bids")
            #expect(try all.decoded([BidBody].self).count == 5 && all.headers[nextAfter] == nil)
        }
    }

    @Test("at most 100 bids a page")
    func theDefaultPageIsTheLargest() async throws {
        let bids = 101
        try await TestApp.run { client in
            let owner = try await client.register("ann")
            let lot = try await client.createLot(owner)
            for index in 0..<bids {
                let bidder = try await client.register("b\(index)")
                #expect(try await client.bid(bidder, lot: lot, "\(11 + index)").status == .created)
            }
            let page = try await client.call(.get, "/lots/\(lot)/bids")
            #expect(try page.decoded([BidBody].self).count == 100)
            let cursor = try #require(page.headers[HTTPField.Name("X-Next-After")!])
            let rest = try await client.call(.get, "/lots/\(lot)/bids?after=\(cursor)")
            #expect(try rest.decoded([BidBody].self).count == bids - 100)
        }
    }

    @Test("bad page parameters are 422", arguments: ["limit=0", "limit=101", "limit=x", "after=7", "after=x_1", "after=5_0", "after=-1_3"])
    func badPageQuery(query: String) async throws {
        try await TestApp.run { client in
            let owner = try await client.register("ann")
            let lot = try await client.createLot(owner)
            let reply = try await client.call(.get, "/lots/\(lot)/bids?\(query)")
            #expect(reply.status == .unprocessableContent, "\(query): \(reply.text)")
            #expect(reply.text.contains(#""detail""#))
        }
    }
}
