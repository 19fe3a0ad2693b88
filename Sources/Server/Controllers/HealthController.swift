import AuctionCore
import Hummingbird

/// `/healthz` (the process is up) and `/readyz` (storage, broker and sessions answer).
struct HealthController: Sendable {
    let store: any AuctionStore
    let broker: any EventBroker
    let sessions: any SessionStore

    /// Each check's bound; the checks run at once, so /readyz answers within it.
    static let readinessDeadline: Duration = .seconds(2)

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
        // At once, each bounded even if it ignores cancellation (a hung Redis ping).
        let failing = await withTaskGroup(of: String?.self) { group in
            for (name, check) in checks {
                group.addTask {
                    do {
                        try await withDeadline(Self.readinessDeadline, check)
                        return nil
                    } catch {
                        return name
                    }
                }
            }
            var failing: [String] = []
            for await case let name? in group { failing.append(name) }
            return checks.map(\.0).filter(failing.contains)
        }
        guard failing.isEmpty else {
            throw APIError(
                status: .serviceUnavailable, detail: "Not ready: \(failing.joined(separator: ", ")) not answering")
        }
        return JSONResponse.raw("{\"status\":\"ready\"}")
    }
}
