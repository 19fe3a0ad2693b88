import AuctionCore
import Hummingbird

/// `WEBSOCKET /ws/lots/{lot_id}[?since=N]`: the lot's events, one JSON text message
/// each. The upgrade itself is `WebSocketUpgradeHandler`'s; this route answers the same
/// path asked without an upgrade: 404 for an unknown lot, 422 for a bad `since`,
/// else 426 (a WebSocket is required).
struct WebSocketController: Sendable {
    let store: any AuctionStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/ws/lots/:lot_id") { request, _ -> Response in
            let socket = try LotSocketRequest(uri: request.uri)
            _ = try await socket.start(in: store)
            throw APIError(
                status: .upgradeRequired, detail: "This is a WebSocket: connect with an Upgrade: websocket request",
                headers: [.upgrade: "websocket", .connection: "Upgrade"])
        }
    }
}
