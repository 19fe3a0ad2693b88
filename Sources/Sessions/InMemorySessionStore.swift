import AuctionCore
import Foundation
import Synchronization

/// Sessions of a single process, forgotten at restart (tokens then need a new login).
public final class InMemorySessionStore: SessionStore {
    private struct Session {
        let userID: Int64
        let expiresAt: Date
    }

    private struct State {
        var sessions: [String: Session] = [:]
        var lastSweep = Date.distantPast
    }

    /// How often `create` sweeps out every expired session, so memory stays
    /// bounded by the live ones even when expired ids are never looked up.
    private let sweepInterval: TimeInterval
    private let state = Mutex(State())

    public init(sweepInterval: TimeInterval = 60) {
        self.sweepInterval = sweepInterval
    }

    public func run() async throws {}

    public func create(id: String, userID: Int64, expiresAt: Date) async throws {
        let now = Date()
        state.withLock { state in
            if now.timeIntervalSince(state.lastSweep) >= sweepInterval {
                state.sessions = state.sessions.filter { $0.value.expiresAt > now }
                state.lastSweep = now
            }
            guard expiresAt > now else {
                state.sessions.removeValue(forKey: id)
                return
            }
            state.sessions[id] = Session(userID: userID, expiresAt: expiresAt)
        }
    }

    public func isActive(id: String) async throws -> Bool {
        let now = Date()
        return state.withLock { state in
            guard let session = state.sessions[id] else { return false }
            if session.expiresAt > now { return true }
            state.sessions.removeValue(forKey: id)  // expired: purge on sight
            return false
        }
    }

    public func revoke(id: String) async throws {
        _ = state.withLock { $0.sessions.removeValue(forKey: id) }
    }

    public func ping() async throws {}

    /// Sessions held, expired ones included until they are purged.
    package var count: Int { state.withLock { $0.sessions.count } }

    /// The user of a live session (nil when absent or expired).
    package func userID(of id: String) -> Int64? {
        let now = Date()
        return state.withLock { state in
            guard let session = state.sessions[id], session.expiresAt > now else { return nil }
            return session.userID
        }
    }
}
