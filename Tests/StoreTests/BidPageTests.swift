import AuctionCore
import Foundation
import Testing

extension StoreConformanceTests {
    @Test("bids: paged highest first by (amount, id) cursors", arguments: StoreBackend.allCases)
    func bidPages(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        var users: [User] = []
        for (index, name) in ["a", "b", "c", "d", "e"].enumerated() {
            let user = try await fixture.user(name)
            users.append(user)
            try await fixture.bid(lot, by: user, cents: Int64(11_00 + index * 100))
        }
        let page1 = try await fixture.store.bids(lotID: lot.id, limit: 2, after: nil)
        #expect(page1.map(\.bidder) == ["e", "d"])
        // A bid raised above the cursor moves to the pages already read: it is not listed twice.
        try await fixture.bid(lot, by: users[0], cents: 20_00, mode: .raise)
        let page2 = try await fixture.store.bids(lotID: lot.id, limit: 2, after: BidCursor(after: page1[1]))
        #expect(page2.map(\.bidder) == ["c", "b"])
        let page3 = try await fixture.store.bids(lotID: lot.id, limit: 2, after: BidCursor(after: page2[1]))
        #expect(page3.isEmpty)
        // Equal amounts (never two bids of a lot, but the order is total): the later ids follow.
        let tie = try await fixture.store.bids(lotID: lot.id, limit: 5, after: BidCursor(amount: page2[0].amount, id: 0))
        #expect(tie.map(\.bidder) == ["c", "b"])
        #expect(try await fixture.store.bids(lotID: lot.id, limit: 1, after: nil).map(\.bidder) == ["a"])
    }

    @Test("bids: a page past the end is empty; an unknown lot is lotNotFound", arguments: StoreBackend.allCases)
    func bidPagePastTheEnd(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        try await fixture.bid(lot, by: try await fixture.user("a"), cents: 11_00)
        let past = BidCursor(amount: Money(cents: 1), id: 1)
        #expect(try await fixture.store.bids(lotID: lot.id, limit: 10, after: past).isEmpty)
        await #expect(throws: AuctionError.lotNotFound) {
            try await fixture.store.bids(lotID: lot.id + 1, limit: 10, after: past)
        }
    }
}
