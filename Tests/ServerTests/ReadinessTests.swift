import AuctionCore
@testable import AuctionServer
import Foundation
import InMemoryBroker
import Testing

/// Sessions whose ping never answers and ignores cancellation, like a Redis
/// connection whose peer went silent.
final class HangingSessions: SessionStore {
    func run() async throws {}
    func ping() async throws {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().asyncAfter(deadline: .now() + 300) { continuation.resume() }
        }
    }
    func create(id: String, userID: Int64, expiresAt: Date) async throws {}
    func isActive(id: String) async throws -> Bool { true }
    func revoke(id: String) async throws {}
}

@Suite("Readiness")
struct ReadinessTests {
    @Test func aHungDependencyIsNamedWithinTheDeadline() async throws {
        let (store, _) = try await WebSocketHubTests.store()
        let health = HealthController(
            store: store, broker: InMemoryBroker(), sessions: HangingSessions(), timeout: .seconds(2))
        let started = ContinuousClock.now
        await #expect {
            _ = try await health.ready()
        } throws: { error in
            guard let error = error as? APIError else { return false }
            return error.status == .serviceUnavailable && error.detail == "Not ready: sessions not answering"
        }
        // 2 s when quiet; 30x that for a loaded machine, still a fifth of the 300 s hang.
        #expect(ContinuousClock.now - started < .seconds(60))
    }
}
