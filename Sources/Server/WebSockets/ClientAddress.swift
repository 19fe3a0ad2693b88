import NIOCore
import NIOHTTP1

/// Who a socket's client is, for the per-address cap: the peer's IP address.
/// The one place to read a trusted proxy's forwarded address instead.
enum ClientAddress {
    static func of(channel: any Channel, head: HTTPRequestHead) -> String {
        channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
