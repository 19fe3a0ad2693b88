import AuctionCore
import Foundation
import PostgresNIO
import Testing
import TestSupport

@testable import PostgresBackend

/// Reads and accounts on PostgreSQL.
/// The behaviour every store shares is in the conformance suite.
@Suite("PostgreSQL reads")
struct PostgresReadTests {
    @Test("listing, paging, bids, events and latest numbers")
    func reads() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let bidders = [try await store.makeUser(), try await store.makeUser(), try await store.makeUser()]
            var lots: [Lot] = []
            for _ in 0..<5 { lots.append(try await store.makeLot(owner: owner)) }
            _ = try await store.setStatus(lotID: lots[1].id, status: .finished, by: owner.id, now: Date())
            for (index, bidder) in bidders.enumerated() {
                _ = try await store.placeBid(lotID: lots[4].id, bidderID: bidder.id, amount: Money(cents: 200 + Int64(index) * 100), mode: .create, now: Date())
            }
            let ids = lots.map(\.id)
            #expect(try await store.lots(filter: .all, limit: 100, after: nil).map(\.id) == ids.reversed())
            #expect(try await store.lots(filter: .running, limit: 2, after: nil).map(\.id) == [ids[4], ids[3]])
            #expect(try await store.lots(filter: .running, limit: 2, after: ids[3]).map(\.id) == [ids[2], ids[0]])
            #expect(try await store.lots(filter: .finished, limit: 10, after: nil).map(\.id) == [ids[1]])
            let top = try #require(try await store.lot(id: ids[4]))
            #expect(top.highestBidder == bidders[2].username)
            #expect(top.owner == owner.username)
            #expect(try await store.bids(lotID: ids[4]).map(\.bidder) == bidders.reversed().map(\.username))
            #expect(try await store.bids(lotID: ids[0]) == [])
            #expect(await auctionError { _ = try await store.bids(lotID: ids[4] + 100) } == .lotNotFound)
            #expect(try await store.events(lotID: ids[4], since: 1, limit: 1).map(\.seq) == [2])
            #expect(try await store.latestSeqs(lotIDs: [ids[0], ids[1], ids[4], ids[4] + 100]) == [ids[0]: 0, ids[1]: 1, ids[4]: 3])
        }
    }

    @Test("accounts: a taken name is usernameTaken")
    func accounts() async throws {
        try await withFreshPostgresStore { store in
            let user = try await store.makeUser("alice")
            #expect(await auctionError { _ = try await store.makeUser("alice") } == .usernameTaken)
            #expect(try await store.user(named: "alice") == user)
            #expect(try await store.user(id: user.id) == user)
            #expect(try await store.user(named: "bob") == nil)
        }
    }
}
