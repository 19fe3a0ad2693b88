import AuctionCore
import Foundation
import Synchronization

/// Sessions of a single process, forgotten at restart (tokens then need a new login).
public final class InMemorySessionStore: SessionStore {
    private let sessions = Mutex<[String: Date]>([:])

    public init() {}

    public func run() async throws {}

    public func create(id: String, userID: Int64, expiresAt: Date) async throws {
        let now = Date()
        sessions.withLock { sessions in
            sessions[id] = expiresAt
            // Purge expired sessions now and then, so memory stays bounded by live ones.
            if sessions.count % 1024 == 0 { sessions = sessions.filter { $0.value > now } }
        }
    }

    public func isActive(id: String) async throws -> Bool {
        let now = Date()
        return sessions.withLock { $0[id].map { $0 > now } ?? false }
    }

    public func revoke(id: String) async throws {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    public func ping() async throws {}
}
