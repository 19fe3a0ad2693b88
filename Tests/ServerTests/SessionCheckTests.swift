import AuctionCore
@testable import AuctionServer
import Foundation
import Synchronization
import Testing

/// A session store that can be switched off, to see what the check does in an outage.
final class SwitchableSessions: SessionStore {
    let down = Mutex(false)
    let active = Mutex<Set<String>>([])
    func run() async throws {}
    func ping() async throws {}
    func create(id: String, userID: Int64, expiresAt: Date) async throws {
        try failIfDown()
        active.withLock { _ = $0.insert(id) }
    }
    func isActive(id: String) async throws -> Bool {
        try failIfDown()
        return active.withLock { $0.contains(id) }
    }
    func revoke(id: String) async throws {
        try failIfDown()
        active.withLock { _ = $0.remove(id) }
    }
    private func failIfDown() throws {
        if down.withLock({ $0 }) { throw AuctionError.unavailable("sessions") }
    }
}

@Suite("Session check")
struct SessionCheckTests {
    @Test func outageKeepsSeenSessionsAndRefusesOthers() async throws {
        let store = SwitchableSessions()
        let check = SessionCheck(sessions: store)
        let later = Date().addingTimeInterval(600)
        try await store.create(id: "seen", userID: 1, expiresAt: later)
        try await store.create(id: "unseen", userID: 1, expiresAt: later)
        try await store.create(id: "revoked", userID: 1, expiresAt: later)
        #expect(try await check.isActive(id: "seen", expiresAt: later))
        #expect(try await check.isActive(id: "revoked", expiresAt: later))
        try await store.revoke(id: "revoked")
        #expect(try await !check.isActive(id: "revoked", expiresAt: later))

        store.down.withLock { $0 = true }
        #expect(try await check.isActive(id: "seen", expiresAt: later))
        await #expect(throws: AuctionError.self) { try await check.isActive(id: "unseen", expiresAt: later) }
        await #expect(throws: AuctionError.self) { try await check.isActive(id: "revoked", expiresAt: later) }
    }

    @Test func expiredSessionsAreNotKeptThroughAnOutage() async throws {
        let store = SwitchableSessions()
        let check = SessionCheck(sessions: store)
        // An ordering rather than a bound: a stalled call that answers after `soon` may say no.
        let soon = Date().addingTimeInterval(2)
        try await store.create(id: "short", userID: 1, expiresAt: soon)
        let activeBefore = try await check.isActive(id: "short", expiresAt: soon)
        #expect(activeBefore || Date() >= soon)
        store.down.withLock { $0 = true }
        try await Task.sleep(for: .milliseconds(Int(max(0, soon.timeIntervalSinceNow) * 1000) + 200))
        await #expect(throws: AuctionError.self) { try await check.isActive(id: "short", expiresAt: soon) }
    }

    @Test func pastItsCapacityTheCheckKeepsTheLatestExpiringSessions() async throws {
        let store = SwitchableSessions()
        let check = SessionCheck(sessions: store, capacity: 10)
        let now = Date()
        // s0 expires first ... s10 last; one more than the capacity.
        for i in 0...10 { check.created(id: "s\(i)", expiresAt: now.addingTimeInterval(60 + Double(i))) }
        store.down.withLock { $0 = true }
        var known: [Int] = []
        for i in 0...10 where (try? await check.isActive(id: "s\(i)", expiresAt: now.addingTimeInterval(60))) == true {
            known.append(i)
        }
        #expect(known == Array(2...10))  // trimmed to 90%: the nine that expire last
    }
}
