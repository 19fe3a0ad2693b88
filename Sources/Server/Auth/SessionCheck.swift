import AuctionCore
import Foundation
import Synchronization

/// Asks the session store whether a token's session is live, and remembers the
/// answers it got: while the store is unreachable (a Redis outage), a session this
/// process saw live, and did not see revoked, stays accepted until its token
/// expires, so bidding goes on. A session the process never saw is refused.
final class SessionCheck: Sendable {
    let sessions: any SessionStore
    private let seen = Mutex<[String: Date]>([:])
    /// Remembered sessions beyond this are forgotten (the soonest-expiring first).
    let capacity: Int

    init(sessions: any SessionStore, capacity: Int = 100_000) {
        self.sessions = sessions
        self.capacity = capacity
    }

    func isActive(id: String, expiresAt: Date) async throws -> Bool {
        do {
            let active = try await sessions.isActive(id: id)
            remember(id: id, expiresAt: active ? expiresAt : nil)
            return active
        } catch AuctionError.unavailable(let what) {
            let known = seen.withLock { $0[id] }
            guard let known, known > Date() else { throw AuctionError.unavailable(what) }
            return true
        }
    }

    func created(id: String, expiresAt: Date) { remember(id: id, expiresAt: expiresAt) }
    func revoked(id: String) { remember(id: id, expiresAt: nil) }

    private func remember(id: String, expiresAt: Date?) {
        seen.withLock { seen in
            seen[id] = expiresAt
            guard seen.count > capacity else { return }
            // Down to 90% in one pass, so the next trim is 10% of capacity away
            // (trimming to exactly the capacity made every later login pay for a scan).
            let now = Date()
            let kept = seen.filter { $0.value > now }.sorted { $0.value > $1.value }.prefix(capacity * 9 / 10)
            seen = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
    }
}
