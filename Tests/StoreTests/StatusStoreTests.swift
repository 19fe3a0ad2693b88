import AuctionCore
import Foundation
import Testing

extension StoreConformanceTests {
    @Test("status: the owner finishes a running lot, with one event", arguments: StoreBackend.allCases)
    func ownerFinishes(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let events = try await fixture.store.setStatus(lotID: lot.id, status: .finished, by: fixture.owner.id, now: fixture.now)
        #expect(events == [
            AuctionEvent(lotID: lot.id, seq: 1, at: fixture.now, kind: .statusChanged(.finished)).record,
        ])
        let updated = try #require(try await fixture.store.lot(id: lot.id))
        #expect(updated.status == .finished)
        #expect(updated.seq == 1)
    }

    @Test("status: only the owner may change it", arguments: StoreBackend.allCases)
    func onlyOwner(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let alice = try await fixture.user("alice")
        let before = try await fixture.snapshot(of: lot.id)
        await #expect(throws: AuctionError.notOwner) {
            try await fixture.store.setStatus(lotID: lot.id, status: .finished, by: alice.id, now: fixture.now)
        }
        #expect(try await fixture.snapshot(of: lot.id) == before)
        await #expect(throws: AuctionError.lotNotFound) {
            try await fixture.store.setStatus(lotID: lot.id + 1, status: .finished, by: fixture.owner.id, now: fixture.now)
        }
    }

    @Test("status: the same status again changes nothing", arguments: StoreBackend.allCases)
    func sameStatus(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let before = try await fixture.snapshot(of: lot.id)
        #expect(try await fixture.store.setStatus(lotID: lot.id, status: .running, by: fixture.owner.id, now: fixture.now).isEmpty)
        #expect(try await fixture.snapshot(of: lot.id) == before)

        _ = try await fixture.store.setStatus(lotID: lot.id, status: .finished, by: fixture.owner.id, now: fixture.now)
        let finished = try await fixture.snapshot(of: lot.id)
        #expect(try await fixture.store.setStatus(lotID: lot.id, status: .finished, by: fixture.owner.id, now: fixture.now).isEmpty)
        #expect(try await fixture.snapshot(of: lot.id) == finished)
        #expect(finished.events.count == 1)
    }

    @Test("status: a finished lot cannot run again", arguments: StoreBackend.allCases)
    func cannotReopen(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        _ = try await fixture.store.setStatus(lotID: lot.id, status: .finished, by: fixture.owner.id, now: fixture.now)
        let before = try await fixture.snapshot(of: lot.id)
        await #expect(throws: AuctionError.cannotReopen) {
            try await fixture.store.setStatus(lotID: lot.id, status: .running, by: fixture.owner.id, now: fixture.now)
        }
        #expect(try await fixture.snapshot(of: lot.id) == before)
        #expect(before.lot?.status == .finished)
    }
}
