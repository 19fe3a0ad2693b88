import AuctionCore
import Foundation
import Testing

extension StoreConformanceTests {
    static func notifierStore(_ fixture: StoreFixture) throws -> any NotifierStore {
        try #require(fixture.store as? any NotifierStore, "every store keeps notifier cursors")
    }

    @Test("notifier lease: one holder at a time, renewed by its holder, taken once expired or given back",
          arguments: StoreBackend.allCases)
    func notifierLease(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let store = try Self.notifierStore(fixture)
        let now = fixture.now
        let later = now.addingTimeInterval(30)
        #expect(try await store.acquireNotifierLease("telegram", holder: "a", now: now, expiry: later))
        #expect(try await !store.acquireNotifierLease("telegram", holder: "b", now: now, expiry: later))
        // Another notifier has a lease of its own.
        #expect(try await store.acquireNotifierLease("other", holder: "b", now: now, expiry: later))
        // The holder renews; the other waits until the renewed expiry has passed.
        let renewed = now.addingTimeInterval(60)
        #expect(try await store.acquireNotifierLease("telegram", holder: "a", now: now.addingTimeInterval(10), expiry: renewed))
        #expect(try await !store.acquireNotifierLease("telegram", holder: "b", now: later, expiry: later.addingTimeInterval(30)))
        #expect(try await store.acquireNotifierLease("telegram", holder: "b", now: renewed, expiry: renewed.addingTimeInterval(30)))
        #expect(try await !store.acquireNotifierLease("telegram", holder: "a", now: renewed, expiry: renewed.addingTimeInterval(30)))
        // Given back, it is free at once.
        try await store.releaseNotifierLease("telegram", holder: "a")  // not a's: nothing changes
        #expect(try await !store.acquireNotifierLease("telegram", holder: "a", now: renewed, expiry: renewed.addingTimeInterval(30)))
        try await store.releaseNotifierLease("telegram", holder: "b")
        #expect(try await store.acquireNotifierLease("telegram", holder: "a", now: renewed, expiry: renewed.addingTimeInterval(30)))
    }

    @Test("notifier cursors: a first lease starts after the log; new events are the backlog until sent",
          arguments: StoreBackend.allCases)
    func notifierCursors(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let store = try Self.notifierStore(fixture)
        let alice = try await fixture.user("alice")
        let old = try await fixture.lot(title: "Old")
        try await fixture.bid(old, by: alice, cents: 11_00)
        // A lot without events is never in the backlog.
        _ = try await fixture.lot(title: "Quiet")
        let expiry = fixture.now.addingTimeInterval(30)

        #expect(try await store.acquireNotifierLease("telegram", holder: "a", now: fixture.now, expiry: expiry))
        #expect(try await store.notifierBacklog("telegram", limit: 10).isEmpty)

        // After the first lease: the old lot's next event, and a new lot's from its first.
        try await fixture.bid(old, by: alice, cents: 12_00, mode: .raise, after: 2)
        let new = try await fixture.lot(title: "New")
        try await fixture.bid(new, by: alice, cents: 11_00, after: 3)
        try await fixture.bid(new, by: alice, cents: 12_00, mode: .raise, after: 4)
        #expect(try await store.notifierBacklog("telegram", limit: 10) == [
            NotifierCursor(lotID: old.id, seq: 1), NotifierCursor(lotID: new.id, seq: 0),
        ])
        #expect(try await store.notifierBacklog("telegram", limit: 1) == [NotifierCursor(lotID: old.id, seq: 1)])

        // Only the holder moves a cursor, and only forward.
        #expect(try await !store.advanceNotifierCursor("telegram", lotID: new.id, to: 1, holder: "b", now: fixture.now))
        #expect(try await !store.advanceNotifierCursor("telegram", lotID: new.id, to: 1, holder: "a", now: expiry))
        #expect(try await store.advanceNotifierCursor("telegram", lotID: new.id, to: 1, holder: "a", now: fixture.now))
        #expect(try await store.advanceNotifierCursor("telegram", lotID: old.id, to: 2, holder: "a", now: fixture.now))
        #expect(try await store.notifierBacklog("telegram", limit: 10) == [NotifierCursor(lotID: new.id, seq: 1)])
        #expect(try await store.advanceNotifierCursor("telegram", lotID: new.id, to: 2, holder: "a", now: fixture.now))
        #expect(try await store.advanceNotifierCursor("telegram", lotID: new.id, to: 1, holder: "a", now: fixture.now))
        #expect(try await store.notifierBacklog("telegram", limit: 10).isEmpty)

        // A lease given back and taken again is no first start: the cursors stay.
        try await store.releaseNotifierLease("telegram", holder: "a")
        try await fixture.bid(new, by: alice, cents: 13_00, mode: .raise, after: 5)
        #expect(try await store.acquireNotifierLease("telegram", holder: "b", now: fixture.now, expiry: expiry))
        #expect(try await store.notifierBacklog("telegram", limit: 10) == [NotifierCursor(lotID: new.id, seq: 2)])
    }
}
