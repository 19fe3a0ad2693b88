import AuctionCore
import Foundation
import Testing

extension StoreConformanceTests {
    @Test("events: numbered 1, 2, 3 with the exact JSON of AuctionEvent", arguments: StoreBackend.allCases)
    func eventLog(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        let first = try await fixture.bid(lot, by: alice, cents: 10_50, after: 1)
        let second = try await fixture.bid(lot, by: bob, cents: 11_00, after: 2)
        let closed = try await fixture.store.setStatus(
            lotID: lot.id, status: .finished, by: fixture.owner.id, now: fixture.now.addingTimeInterval(3)
        )

        let log = try await fixture.store.events(lotID: lot.id, since: 0, limit: 100)
        #expect(log.map(\.seq) == [1, 2, 3])
        #expect(log == first.events + second.events + closed.lotEvents)
        #expect(log.allSatisfy { $0.lotID == lot.id })

        let at1 = fixture.now.addingTimeInterval(1)
        #expect(log[0].json == AuctionEvent(lotID: lot.id, seq: 1, at: at1, kind: .bidPlaced(bidder: "alice", amount: Money(cents: 10_50))).json)
        #expect(log[0].json == """
            {"type":"bid_placed","lot_id":\(lot.id),"bidder":"alice","amount":10.5,"seq":1,"at":"\(Timestamp.format(at1))"}
            """)
        let at2 = fixture.now.addingTimeInterval(2)
        #expect(log[1].json == AuctionEvent(lotID: lot.id, seq: 2, at: at2, kind: .bidPlaced(bidder: "bob", amount: Money(cents: 11_00))).json)
        let at3 = fixture.now.addingTimeInterval(3)
        #expect(log[2].json == """
            {"type":"lot_status_changed","lot_id":\(lot.id),"status":"finished","seq":3,"at":"\(Timestamp.format(at3))"}
            """)
        #expect(try await fixture.store.lot(id: lot.id)?.seq == 3)
    }

    @Test("events: since and limit", arguments: StoreBackend.allCases)
    func eventsSinceAndLimit(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let other = try await fixture.lot(title: "Other")
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        try await fixture.bid(lot, by: alice, cents: 11_00)
        try await fixture.bid(lot, by: bob, cents: 12_00)
        try await fixture.bid(lot, by: alice, cents: 13_00, mode: .raise)
        try await fixture.bid(other, by: alice, cents: 20_00)

        #expect(try await fixture.store.events(lotID: lot.id, since: 1, limit: 100).map(\.seq) == [2, 3])
        #expect(try await fixture.store.events(lotID: lot.id, since: 3, limit: 100).isEmpty)
        #expect(try await fixture.store.events(lotID: lot.id, since: 0, limit: 2).map(\.seq) == [1, 2])
        #expect(try await fixture.store.events(lotID: lot.id, since: 1, limit: 1).map(\.seq) == [2])
        #expect(try await fixture.store.events(lotID: other.id, since: 0, limit: 100).map(\.seq) == [1])
        #expect(try await fixture.store.events(lotID: other.id + 1, since: 0, limit: 100).isEmpty)
    }

    @Test("events: latest numbers of the lots named", arguments: StoreBackend.allCases)
    func latestSeqs(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let quiet = try await fixture.lot(title: "Quiet")
        let busy = try await fixture.lot(title: "Busy")
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        try await fixture.bid(busy, by: alice, cents: 11_00)
        try await fixture.bid(busy, by: bob, cents: 12_00)

        let seqs = try await fixture.store.latestSeqs(lotIDs: [quiet.id, busy.id, busy.id + 100])
        #expect(seqs == [quiet.id: 0, busy.id: 2])
        #expect(try await fixture.store.latestSeqs(lotIDs: []) == [:])
    }
}
