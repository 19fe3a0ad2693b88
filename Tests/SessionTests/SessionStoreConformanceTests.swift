import AuctionCore
import Foundation
import Testing

/// What every `SessionStore` promises, on every backend in `SessionBackend`.
@Suite("SessionStore conformance")
struct SessionStoreConformanceTests {
    private func newID() -> String { UUID().uuidString }

    @Test("a created session is active until it is revoked", arguments: SessionBackend.allCases)
    func createAndRevoke(_ backend: SessionBackend) async throws {
        let store = try backend.makeStore()
        try await store.ping()
        let id = newID()
        try await store.create(id: id, userID: 42, expiresAt: Date().addingTimeInterval(60))
        #expect(try await store.isActive(id: id))
        try await store.revoke(id: id)
        #expect(try await store.isActive(id: id) == false)
    }

    @Test("sessions are independent of each other", arguments: SessionBackend.allCases)
    func independent(_ backend: SessionBackend) async throws {
        let store = try backend.makeStore()
        let first = newID(), second = newID()
        try await store.create(id: first, userID: 1, expiresAt: Date().addingTimeInterval(60))
        try await store.create(id: second, userID: 1, expiresAt: Date().addingTimeInterval(60))
        try await store.revoke(id: first)
        #expect(try await store.isActive(id: first) == false)
        #expect(try await store.isActive(id: second))
        try await store.revoke(id: second)
    }

    @Test("an unknown id is not active", arguments: SessionBackend.allCases)
    func unknownID(_ backend: SessionBackend) async throws {
        let store = try backend.makeStore()
        #expect(try await store.isActive(id: newID()) == false)
        #expect(try await store.isActive(id: "") == false)
    }

    @Test("revoking an unknown id is fine", arguments: SessionBackend.allCases)
    func revokeUnknown(_ backend: SessionBackend) async throws {
        let store = try backend.makeStore()
        try await store.revoke(id: newID())
    }

    @Test("a session ends when it expires", arguments: SessionBackend.allCases)
    func expiry(_ backend: SessionBackend) async throws {
        let store = try backend.makeStore()
        let id = newID()
        // The full suite on two shared cores has stalled a call for more than 4 s, so
        // "active before it expires" is checked as an ordering: a `false` counts
        // against the store only when the answer came before the expiry.
        let expiresAt = Date().addingTimeInterval(10)
        try await store.create(id: id, userID: 7, expiresAt: expiresAt)
        let activeBefore = try await store.isActive(id: id)
        #expect(activeBefore || Date() >= expiresAt, "inactive before its expiry")
        // Redis counts the PX from when the SET reaches it: on a loaded machine, later than `create` began.
        try await Task.sleep(for: .milliseconds(Int(expiresAt.timeIntervalSinceNow * 1000) + 2000))
        #expect(try await store.isActive(id: id) == false)
    }

    @Test("a session created already expired is not active", arguments: SessionBackend.allCases)
    func createdExpired(_ backend: SessionBackend) async throws {
        let store = try backend.makeStore()
        let id = newID()
        try await store.create(id: id, userID: 7, expiresAt: Date().addingTimeInterval(60))
        // Re-creating it with a past expiry ends it.
        try await store.create(id: id, userID: 7, expiresAt: Date().addingTimeInterval(-1))
        #expect(try await store.isActive(id: id) == false)
    }

    @Test("run() returns at once", arguments: SessionBackend.allCases)
    func runReturns(_ backend: SessionBackend) async throws {
        let store = try backend.makeStore()
        try await store.run()
    }
}
