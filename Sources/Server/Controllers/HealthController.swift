import AuctionCore
import Hummingbird

/// `/healthz` (the process is up) and `/readyz` (storage, broker and sessions answer).
struct HealthController: Sendable {
    let store: any AuctionStore
    let broker: any EventBroker
    let sessions: any SessionStore
    /// Each dependency's bound (`health.timeoutMs`).
    let timeout: Duration

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in JSONResponse.raw("{\"status\":\"ok\"}") }
        router.get("readyz") { _, _ in try await ready() }
    }

    func ready() async throws -> Response {
        let results = await ReadinessProbe(store: store, broker: broker, sessions: sessions).run(deadline: timeout)
        let failing = results.filter { $0.error != nil }.map(\.name)
        guard failing.isEmpty else {
            throw APIError(
                status: .serviceUnavailable, detail: "Not ready: \(failing.joined(separator: ", ")) not answering")
        }
        return JSONResponse.raw("{\"status\":\"ready\"}")
    }
}
