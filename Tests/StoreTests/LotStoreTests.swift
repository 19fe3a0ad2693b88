import AuctionCore
import Foundation
import Testing

extension StoreConformanceTests {
    @Test("lots: created with defaults, read back equal", arguments: StoreBackend.allCases)
    func createLotWithDefaults(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot(title: "Lamp", startingPrice: Money(cents: 12_50))
        #expect(lot.title == "Lamp")
        #expect(lot.description == "A lamp")
        #expect(lot.startingPrice == Money(cents: 12_50))
        #expect(lot.status == .running)
        #expect(lot.highestPrice == Money(cents: 12_50))
        #expect(lot.highestBidder == nil)
        #expect(lot.bidCount == 0)
        #expect(lot.ownerID == fixture.owner.id)
        #expect(lot.owner == "owner")
        #expect(lot.createdAt == fixture.now)
        #expect(lot.endsAt == nil)
        #expect(lot.minIncrement == .cent)
        #expect(lot.softCloseSeconds == nil)
        #expect(lot.seq == 0)
        #expect(try await fixture.store.lot(id: lot.id) == lot)
    }

    @Test("lots: timed fields are kept, dates truncated to milliseconds", arguments: StoreBackend.allCases)
    func createTimedLot(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let precise = Date(timeIntervalSince1970: 1_900_000_000.123456)
        let lot = try await fixture.store.createLot(
            NewLot(
                title: "Clock", description: "Ticks", startingPrice: Money(cents: 5_00), ownerID: fixture.owner.id,
                endsAt: precise, minIncrement: Money(cents: 50), softCloseSeconds: 30
            ),
            now: Date(timeIntervalSince1970: 1_800_000_000.987654)
        )
        #expect(lot.endsAt == Timestamp.date(milliseconds: 1_900_000_000_123))
        #expect(lot.createdAt == Timestamp.date(milliseconds: 1_800_000_000_987))
        #expect(lot.minIncrement == Money(cents: 50))
        #expect(lot.softCloseSeconds == 30)
        #expect(try await fixture.store.lot(id: lot.id) == lot)
    }

    @Test("lots: an unknown id is nil", arguments: StoreBackend.allCases)
    func unknownLot(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        #expect(try await fixture.store.lot(id: lot.id + 1) == nil)
        #expect(try await fixture.store.lot(id: -1) == nil)
    }

    @Test("lots: listing by status, newest first", arguments: StoreBackend.allCases)
    func listByStatus(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let first = try await fixture.lot(title: "First")
        let second = try await fixture.lot(title: "Second")
        let third = try await fixture.lot(title: "Third")
        _ = try await fixture.store.setStatus(lotID: second.id, status: .finished, by: fixture.owner.id, now: fixture.now)

        let running = try await fixture.store.lots(filter: .running, limit: 100, after: nil)
        #expect(running.map(\.id) == [third.id, first.id])
        #expect(running.first == third)
        let finished = try await fixture.store.lots(filter: .finished, limit: 100, after: nil)
        #expect(finished.map(\.id) == [second.id])
        #expect(finished.first?.status == .finished)
        let all = try await fixture.store.lots(filter: .all, limit: 100, after: nil)
        #expect(all.map(\.id) == [third.id, second.id, first.id])
    }

    @Test("lots: paging with limit and an id cursor", arguments: StoreBackend.allCases)
    func listPaging(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        var ids: [Int64] = []
        for index in 1...5 { ids.append(try await fixture.lot(title: "Lot \(index)").id) }
        let newestFirst = Array(ids.reversed())

        let page1 = try await fixture.store.lots(filter: .all, limit: 2, after: nil).map(\.id)
        #expect(page1 == Array(newestFirst[0..<2]))
        let page2 = try await fixture.store.lots(filter: .all, limit: 2, after: page1.last).map(\.id)
        #expect(page2 == Array(newestFirst[2..<4]))
        let page3 = try await fixture.store.lots(filter: .running, limit: 2, after: page2.last).map(\.id)
        #expect(page3 == [newestFirst[4]])
        #expect(try await fixture.store.lots(filter: .all, limit: 2, after: page3.last).isEmpty)
        #expect(try await fixture.store.lots(filter: .all, limit: 0, after: nil).isEmpty)
    }

    @Test("lots: a listing names the highest bidder and counts bids", arguments: StoreBackend.allCases)
    func listingShowsBidState(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        try await fixture.bid(lot, by: alice, cents: 11_00)
        try await fixture.bid(lot, by: bob, cents: 12_00)
        try await fixture.bid(lot, by: alice, cents: 13_00, mode: .raise)

        let listed = try #require(try await fixture.store.lots(filter: .running, limit: 10, after: nil).first)
        #expect(listed.highestBidder == "alice")
        #expect(listed.highestPrice == Money(cents: 13_00))
        #expect(listed.bidCount == 2)
        #expect(listed.seq == 3)
        #expect(try await fixture.store.lot(id: lot.id) == listed)
    }
}
