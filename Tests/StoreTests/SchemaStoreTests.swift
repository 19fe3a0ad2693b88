import AuctionCore
import Testing

extension StoreConformanceTests {
    @Test("schema: migrate is idempotent and the schema is current", arguments: StoreBackend.allCases)
    func migrateTwice(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        #expect(try await fixture.store.isSchemaCurrent())
        let lot = try await fixture.lot()
        try await fixture.store.migrate()
        try await fixture.store.migrate()
        #expect(try await fixture.store.isSchemaCurrent())
        #expect(try await fixture.store.lot(id: lot.id) == lot)
        #expect(try await fixture.store.user(id: fixture.owner.id) == fixture.owner)
    }

    @Test("schema: ping answers on a fresh store", arguments: StoreBackend.allCases)
    func ping(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        try await store.ping()
        #expect(try await store.lots(filter: .all, limit: 10, after: nil).isEmpty)
    }
}
