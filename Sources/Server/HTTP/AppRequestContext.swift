import AuctionCore
import Hummingbird
import HummingbirdAuth

/// The request context of every route (WebSocket upgrades are WebSocketUpgradeHandler's):
/// the authenticated user on protected routes, and the one body decoder.
public struct AppRequestContext: AuthRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `BearerAuthenticator` on the protected routes.
    public var identity: AuthenticatedUser?
    /// Set by `IdempotencyMiddleware` when the request claimed its `Idempotency-Key`.
    public var idempotencyClaim: IdempotencyClaim?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    public var requestDecoder: RequestBodyDecoder { RequestBodyDecoder() }

    /// API.md: request bodies over 64 KiB are 413.
    public var maxUploadSize: Int { RequestLimits.maxBodyBytes }
}

enum RequestLimits {
    static let maxBodyBytes = 64 * 1024
}
