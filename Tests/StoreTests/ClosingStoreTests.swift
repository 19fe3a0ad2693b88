import AuctionCore
import Foundation
import Testing

extension StoreConformanceTests {
    @Test("soft close: a bid in the last N seconds moves the end to now + N", arguments: StoreBackend.allCases)
    func softClose(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot(endsIn: 60, softCloseSeconds: 30)
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")

        // 50 s left: outside the window, nothing moves.
        let early = try await fixture.bid(lot, by: alice, cents: 11_00, after: 10)
        #expect(early.events.map(\.seq) == [1])
        #expect(try await fixture.store.lot(id: lot.id)?.endsAt == fixture.now.addingTimeInterval(60))

        // 15 s left: the end moves to the bid's time + 30 s.
        let bidAt = fixture.now.addingTimeInterval(45.5)
        let late = try await fixture.store.placeBid(
            lotID: lot.id, bidderID: bob.id, amount: Money(cents: 12_00), mode: .create, now: bidAt
        )
        let newEnd = bidAt.addingTimeInterval(30)
        #expect(late.events == [
            AuctionEvent(lotID: lot.id, seq: 2, at: bidAt, kind: .bidPlaced(bidder: "bob", amount: Money(cents: 12_00))).record,
            AuctionEvent(lotID: lot.id, seq: 3, at: bidAt, kind: .extended(endsAt: newEnd)).record,
        ])
        #expect(late.events.last?.json == """
            {"type":"lot_extended","lot_id":\(lot.id),"ends_at":"\(Timestamp.format(newEnd))","seq":3,"at":"\(Timestamp.format(bidAt))"}
            """)
        let updated = try #require(try await fixture.store.lot(id: lot.id))
        #expect(updated.endsAt == newEnd)
        #expect(updated.seq == 3)
        #expect(try await fixture.store.events(lotID: lot.id, since: 0, limit: 10) == early.events + late.events)

        // The moved end takes bids past the original end.
        try await fixture.bid(lot, by: alice, cents: 13_00, mode: .raise, after: 70)
    }

    @Test("soft close: no window, no extension", arguments: StoreBackend.allCases)
    func noSoftClose(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot(endsIn: 60)
        let alice = try await fixture.user("alice")
        let outcome = try await fixture.bid(lot, by: alice, cents: 11_00, after: 59)
        #expect(outcome.events.count == 1)
        #expect(try await fixture.store.lot(id: lot.id)?.endsAt == fixture.now.addingTimeInterval(60))
    }

    @Test("close: expired lots finish once, with winner and amount", arguments: StoreBackend.allCases)
    func closeExpired(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let alice = try await fixture.user("alice")
        let sold = try await fixture.lot(title: "Sold", endsIn: 10)
        let unsold = try await fixture.lot(title: "Unsold", endsIn: 20)
        let later = try await fixture.lot(title: "Later", endsIn: 100)
        let untimed = try await fixture.lot(title: "Untimed")
        let stopped = try await fixture.lot(title: "Stopped", endsIn: 5)
        try await fixture.bid(sold, by: alice, cents: 12_34, after: 1)
        _ = try await fixture.store.setStatus(lotID: stopped.id, status: .finished, by: fixture.owner.id, now: fixture.now)

        let at = fixture.now.addingTimeInterval(20)
        let events = try await fixture.store.closeExpiredLots(now: at, limit: 100).lotEvents
        #expect(events == [
            AuctionEvent(lotID: sold.id, seq: 2, at: at, kind: .statusChanged(.finished)).record,
            AuctionEvent(lotID: sold.id, seq: 3, at: at, kind: .closed(winner: "alice", amount: Money(cents: 12_34))).record,
            AuctionEvent(lotID: unsold.id, seq: 1, at: at, kind: .statusChanged(.finished)).record,
            AuctionEvent(lotID: unsold.id, seq: 2, at: at, kind: .closed(winner: nil, amount: nil)).record,
        ])
        #expect(events[1].json == """
            {"type":"lot_closed","lot_id":\(sold.id),"winner":"alice","amount":12.34,"seq":3,"at":"\(Timestamp.format(at))"}
            """)
        #expect(events[3].json == """
            {"type":"lot_closed","lot_id":\(unsold.id),"winner":null,"amount":null,"seq":2,"at":"\(Timestamp.format(at))"}
            """)

        #expect(try await fixture.store.lot(id: sold.id)?.status == .finished)
        #expect(try await fixture.store.lot(id: sold.id)?.seq == 3)
        #expect(try await fixture.store.lot(id: unsold.id)?.status == .finished)
        #expect(try await fixture.store.lot(id: later.id)?.status == .running)
        #expect(try await fixture.store.lot(id: untimed.id)?.status == .running)
        #expect(try await fixture.store.events(lotID: stopped.id, since: 0, limit: 10).count == 1)
        #expect(try await fixture.store.events(lotID: sold.id, since: 0, limit: 10).suffix(2) == events.prefix(2))

        // Once: a second pass closes nothing; later ones close what expired since.
        #expect(try await fixture.store.closeExpiredLots(now: at, limit: 100).isEmpty)
        let laterEvents = try await fixture.store.closeExpiredLots(now: fixture.now.addingTimeInterval(1000), limit: 100)
        #expect(laterEvents.map(\.lotID) == [later.id, later.id])
        #expect(try await fixture.store.lot(id: untimed.id)?.status == .running)
    }

    @Test("close: the limit bounds one pass", arguments: StoreBackend.allCases)
    func closeLimit(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        for index in 1...3 { _ = try await fixture.lot(title: "Lot \(index)", endsIn: Double(index)) }
        let at = fixture.now.addingTimeInterval(10)
        #expect(try await fixture.store.closeExpiredLots(now: at, limit: 2).count == 4)
        #expect(try await fixture.store.closeExpiredLots(now: at, limit: 2).count == 2)
        #expect(try await fixture.store.closeExpiredLots(now: at, limit: 2).isEmpty)
    }

    @Test("close: two concurrent passes close each lot exactly once", arguments: StoreBackend.allCases)
    func concurrentClose(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        var ids: [Int64] = []
        for index in 1...20 { ids.append(try await fixture.lot(title: "Lot \(index)", endsIn: 1).id) }
        let at = fixture.now.addingTimeInterval(5)
        let store = fixture.store

        async let first = store.closeExpiredLots(now: at, limit: 100)
        async let second = store.closeExpiredLots(now: at, limit: 100)
        let all = try await first + second

        #expect(all.count == 40)
        let closed = try all.map(DecodedEvent.init).filter { $0.type == "lot_closed" }
        #expect(closed.map(\.lot_id).sorted() == ids)
        for id in ids {
            #expect(try await store.events(lotID: id, since: 0, limit: 10).map(\.seq) == [1, 2])
            #expect(try await store.lot(id: id)?.status == .finished)
        }
    }
}
