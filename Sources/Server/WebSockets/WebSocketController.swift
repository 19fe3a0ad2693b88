import AuctionCore
import Hummingbird

/// `WEBSOCKET /ws/lots/{lot_id}[?since=N]` and `WEBSOCKET /ws/me`: one JSON text
/// message per event. The upgrade itself is `WebSocketUpgradeHandler`'s; these
/// routes answer the same paths asked without an upgrade with the upgrade's
/// refusals (404 for an unknown lot, 401 for a bad token, 422 for a bad `since`),
/// else 426 (a WebSocket is required).
struct WebSocketController: Sendable {
    let store: any AuctionStore
    let tokens: TokenVerifier

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/ws/lots/:lot_id") { request, _ -> Response in
            let socket = try LotSocketRequest(uri: request.uri)
            _ = try await socket.start(in: store)
            throw Self.upgradeRequired
        }
        router.get(RouterPath(UserSocketRequest.path)) { request, _ -> Response in
            let socket = try UserSocketRequest(uri: request.uri, protocols: request.headers[values: .secWebSocketProtocol])
            _ = try await socket.open(with: tokens, store: store)
            throw Self.upgradeRequired
        }
    }

    static let upgradeRequired = APIError(
        status: .upgradeRequired, detail: "This is a WebSocket: connect with an Upgrade: websocket request",
        headers: [.upgrade: "websocket", .connection: "Upgrade"])
}
