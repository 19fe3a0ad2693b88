import AuctionCore
import Testing

extension StoreConformanceTests {
    @Test("users: create, then look up by name and by id", arguments: StoreBackend.allCases)
    func createAndLookUpUser(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let alice = try await fixture.store.createUser(username: "alice", passwordHash: "$2b$12$abc")
        #expect(alice.username == "alice")
        #expect(alice.passwordHash == "$2b$12$abc")
        #expect(alice.id != fixture.owner.id)
        #expect(try await fixture.store.user(named: "alice") == alice)
        #expect(try await fixture.store.user(id: alice.id) == alice)
        #expect(try await fixture.store.user(named: "bob") == nil)
        #expect(try await fixture.store.user(named: "Alice") == nil)
        #expect(try await fixture.store.user(id: alice.id + 1000) == nil)
    }

    @Test("users: a taken username is refused and the account is unchanged", arguments: StoreBackend.allCases)
    func duplicateUsername(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let alice = try await fixture.store.createUser(username: "alice", passwordHash: "first")
        await #expect(throws: AuctionError.usernameTaken) {
            try await fixture.store.createUser(username: "alice", passwordHash: "second")
        }
        #expect(try await fixture.store.user(named: "alice") == alice)
        // The refused insert left the store usable.
        let bob = try await fixture.store.createUser(username: "bob", passwordHash: "x")
        #expect(try await fixture.store.user(id: bob.id) == bob)
    }
}
