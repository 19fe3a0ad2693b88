import AuctionCore
import Hummingbird
import HummingbirdAuth
import NIOCore

/// The request context of every route (WebSocket upgrades are WebSocketUpgradeHandler's):
/// the peer and the client's address, the authenticated user on protected routes,
/// and the one body decoder.
public struct AppRequestContext: AuthRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `BearerAuthenticator` on the protected routes.
    public var identity: AuthenticatedUser?
    /// The connection's other end (a proxy, maybe); nil in router tests.
    public let remoteAddress: SocketAddress?
    /// Who the request is from: the peer, or the client a trusted proxy names.
    /// Set by `ClientAddressMiddleware`, first of all the middleware.
    var clientAddress: IPAddress?
    /// Set by `IdempotencyMiddleware` when the request claimed its `Idempotency-Key`.
    public var idempotencyClaim: IdempotencyClaim?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    public var requestDecoder: RequestBodyDecoder { RequestBodyDecoder() }

    /// API.md: request bodies over 64 KiB are 413.
    public var maxUploadSize: Int { RequestLimits.maxBodyBytes }
}

enum RequestLimits {
    static let maxBodyBytes = 64 * 1024
}
