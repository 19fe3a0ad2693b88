import Foundation
import Sessions
import Testing

@Suite("In-memory session store")
struct InMemorySessionStoreTests {
    @Test("an expired session is purged when looked up")
    func purgedOnLookup() async throws {
        let store = InMemorySessionStore()
        try await store.create(id: "a", userID: 1, expiresAt: Date().addingTimeInterval(0.2))
        #expect(store.count == 1)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await store.isActive(id: "a") == false)
        #expect(store.count == 0)
    }

    @Test("expired sessions nobody looks up are swept out by later creations")
    func sweptOnCreate() async throws {
        let store = InMemorySessionStore(sweepInterval: 0)
        for index in 0..<100 {
            try await store.create(id: "old\(index)", userID: 1, expiresAt: Date().addingTimeInterval(0.2))
        }
        #expect(store.count == 100)
        try await Task.sleep(for: .milliseconds(300))
        try await store.create(id: "new", userID: 2, expiresAt: Date().addingTimeInterval(60))
        #expect(store.count == 1)
        #expect(store.userID(of: "new") == 2)
    }
}
