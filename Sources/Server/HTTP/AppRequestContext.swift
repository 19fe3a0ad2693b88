import Hummingbird

/// The request context of every route (WebSocket upgrades are WebSocketUpgradeHandler's).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// API.md: request bodies over 64 KiB are 413.
    public var maxUploadSize: Int { RequestLimits.maxBodyBytes }
}

enum RequestLimits {
    static let maxBodyBytes = 64 * 1024
}
