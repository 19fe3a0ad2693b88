import Hummingbird
import HummingbirdWebSocket

/// The request context of every route, WebSocket upgrades included.
public struct AppRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
    }

    /// API.md: request bodies over 64 KiB are 413.
    public var maxUploadSize: Int { RequestLimits.maxBodyBytes }
}

enum RequestLimits {
    static let maxBodyBytes = 64 * 1024
}
