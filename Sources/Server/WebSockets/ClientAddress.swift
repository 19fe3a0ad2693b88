import NIOCore
import NIOHTTP1

/// Who a socket's client is, for the per-address cap: the peer, or the client a
/// trusted proxy names in `X-Forwarded-For` (the same rule as the HTTP routes'
/// `ClientAddressMiddleware`; upgrades do not pass the router).
enum ClientAddress {
    static func of(channel: any Channel, head: HTTPRequestHead, proxies: TrustedProxies) -> String {
        let peer = channel.remoteAddress?.ipAddress.flatMap { IPAddress($0) }
        let client = proxies.clientAddress(peer: peer, forwardedFor: head.headers["x-forwarded-for"])
        return client?.limitKey ?? "unknown"
    }
}
