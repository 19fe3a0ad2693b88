import AuctionCore
import Hummingbird

/// `/healthz` (the process is up) and `/readyz` (storage, broker and sessions answer).
struct HealthController: Sendable {
    let store: any AuctionStore
    let broker: any EventBroker
    let sessions: any SessionStore

    static let readinessDeadline = 2.0

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in JSONResponse.raw("{\"status\":\"ok\"}") }
        router.get("readyz") { _, _ in try await ready() }
    }

    func ready() async throws -> Response {
        let checks: [(String, @Sendable () async throws -> Void)] = [
            ("storage", { [store] in try await store.ping() }),
            ("broker", { [broker] in try await broker.ping() }),
            ("sessions", { [sessions] in try await sessions.ping() }),
        ]
        var failing: [String] = []
        for (name, check) in checks {
            do {
                try await withDeadline(Self.readinessDeadline, name, check)
            } catch {
                failing.append(name)
            }
        }
        guard failing.isEmpty else {
            throw APIError(
                status: .serviceUnavailable, detail: "Not ready: \(failing.joined(separator: ", ")) not answering")
        }
        return JSONResponse.raw("{\"status\":\"ready\"}")
    }
}
