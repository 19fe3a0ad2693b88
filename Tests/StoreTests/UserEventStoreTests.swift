import AuctionCore
import Foundation
import Testing

extension StoreConformanceTests {
    @Test("user events: an outbid is one event for the bidder who lost the lead, in the bid's transaction",
          arguments: StoreBackend.allCases)
    func outbidEvent(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        let first = try await fixture.bid(lot, by: alice, cents: 11_00, after: 1)
        #expect(first.userEvents.isEmpty)
        // The leader raising their own bid outbids no one.
        #expect(try await fixture.bid(lot, by: alice, cents: 11_50, mode: .raise, after: 2).userEvents.isEmpty)

        let taken = try await fixture.bid(lot, by: bob, cents: 12_50, after: 3)
        let expected = UserEvent(
            userID: alice.id, lotID: lot.id, seq: 1, at: fixture.now.addingTimeInterval(3),
            kind: .outbid(amount: Money(cents: 12_50), by: "bob")
        ).record
        #expect(taken.userEvents == [expected])
        #expect(try await fixture.store.userEvents(userID: alice.id, since: 0, limit: 100) == [expected])
        #expect(try await fixture.store.userEvents(userID: bob.id, since: 0, limit: 100).isEmpty)
        #expect(try await fixture.store.latestUserSeqs(userIDs: [alice.id, bob.id]) == [alice.id: 1])

        // A refused bid writes no user event.
        await #expect(throws: AuctionError.self) { try await fixture.bid(lot, by: alice, cents: 12_00, mode: .raise, after: 4) }
        #expect(try await fixture.store.userEvents(userID: alice.id, since: 0, limit: 100) == [expected])
        #expect(try await fixture.store.userEvents(userID: bob.id, since: 0, limit: 100).isEmpty)

        // Bob outbid in turn: his own stream starts at 1; alice's is numbered on from hers.
        let back = try await fixture.bid(lot, by: alice, cents: 13_00, mode: .raise, after: 5)
        #expect(back.userEvents.map(\.stream) == [.user(bob.id)])
        #expect(back.userEvents.map(\.seq) == [1])
        let other = try await fixture.lot(title: "Vase")
        try await fixture.bid(other, by: alice, cents: 11_00, after: 6)
        try await fixture.bid(other, by: bob, cents: 12_00, after: 7)
        let log = try await fixture.store.userEvents(userID: alice.id, since: 0, limit: 100)
        #expect(log.map(\.seq) == [1, 2])
        #expect(log.map(\.lotID) == [lot.id, other.id])
        #expect(try await fixture.store.userEvents(userID: alice.id, since: 1, limit: 100).map(\.seq) == [2])
        #expect(try await fixture.store.userEvents(userID: alice.id, since: 0, limit: 1).map(\.seq) == [1])
    }

    @Test("user events: a lot that closes tells its winner won and every other bidder lost",
          arguments: StoreBackend.allCases)
    func closingEvents(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        let carol = try await fixture.user("carol")
        let timed = try await fixture.lot(title: "Timed", endsIn: 10)
        let owned = try await fixture.lot(title: "Owned")
        try await fixture.bid(timed, by: alice, cents: 11_00, after: 1)
        try await fixture.bid(timed, by: bob, cents: 12_00, after: 2)
        try await fixture.bid(owned, by: carol, cents: 11_00, after: 3)
        try await fixture.bid(owned, by: bob, cents: 15_00, after: 4)

        let closedAt = fixture.now.addingTimeInterval(20)
        let closed = try await fixture.store.closeExpiredLots(now: closedAt, limit: 100)
        let won = UserEvent(userID: bob.id, lotID: timed.id, seq: 1, at: closedAt, kind: .won(amount: Money(cents: 12_00)))
        let lost = UserEvent(
            userID: alice.id, lotID: timed.id, seq: 2, at: closedAt, kind: .lost(winner: "bob", amount: Money(cents: 12_00)))
        #expect(Set(closed.filter { $0.stream != .lot(timed.id) }) == [won.record, lost.record])

        let finishedAt = fixture.now.addingTimeInterval(30)
        let finished = try await fixture.store.setStatus(lotID: owned.id, status: .finished, by: fixture.owner.id, now: finishedAt)
        let ownedWon = UserEvent(userID: bob.id, lotID: owned.id, seq: 2, at: finishedAt, kind: .won(amount: Money(cents: 15_00)))
        let ownedLost = UserEvent(
            userID: carol.id, lotID: owned.id, seq: 2, at: finishedAt, kind: .lost(winner: "bob", amount: Money(cents: 15_00)))
        #expect(Set(finished.dropFirst()) == [ownedWon.record, ownedLost.record])

        // Each stream: the outbid, then the closing; nothing twice.
        #expect(try await fixture.store.userEvents(userID: alice.id, since: 0, limit: 100).map(\.json).last == lost.json)
        #expect(try await fixture.store.userEvents(userID: bob.id, since: 0, limit: 100) == [won.record, ownedWon.record])
        #expect(try await fixture.store.userEvents(userID: carol.id, since: 1, limit: 100) == [ownedLost.record])
        #expect(try await fixture.store.closeExpiredLots(now: closedAt, limit: 100).isEmpty)
        #expect(try await fixture.store.setStatus(lotID: owned.id, status: .finished, by: fixture.owner.id, now: finishedAt).isEmpty)
        #expect(try await fixture.store.latestUserSeqs(userIDs: [alice.id, bob.id, carol.id]) == [alice.id: 2, bob.id: 2, carol.id: 2])
    }
}
