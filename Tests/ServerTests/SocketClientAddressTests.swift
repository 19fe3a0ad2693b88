@testable import AuctionServer
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

/// The per-address socket cap counts the client a trusted proxy names, as the
/// HTTP routes' limits do: behind nginx every socket's peer is nginx.
@Suite("Socket client address")
struct SocketClientAddressTests {
    private func address(peer: String, forwardedFor: String?, trusting entries: [String]) throws -> String {
        let channel = EmbeddedChannel()
        channel.remoteAddress = try SocketAddress(ipAddress: peer, port: 40000)
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/ws/lots/1")
        if let forwardedFor { head.headers.add(name: "X-Forwarded-For", value: forwardedFor) }
        return ClientAddress.of(channel: channel, head: head, proxies: try TrustedProxies(entries: entries))
    }

    @Test("from a trusted proxy: the forwarded client; from anyone else: the peer, whatever it forwards")
    func forwardedOnlyFromTrustedProxies() throws {
        #expect(try address(peer: "127.0.0.2", forwardedFor: "198.51.100.7", trusting: ["127.0.0.2"]) == "198.51.100.7")
        #expect(try address(peer: "127.0.0.1", forwardedFor: "198.51.100.7", trusting: ["127.0.0.2"]) == "127.0.0.1")
        #expect(try address(peer: "127.0.0.2", forwardedFor: "198.51.100.7", trusting: []) == "127.0.0.2")
        #expect(try address(peer: "127.0.0.2", forwardedFor: nil, trusting: ["127.0.0.2"]) == "127.0.0.2")
    }
}
