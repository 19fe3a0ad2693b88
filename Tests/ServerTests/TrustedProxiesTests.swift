@testable import AuctionServer
import Testing

@Suite("Client address and trusted proxies")
struct TrustedProxiesTests {
    struct Case: Sendable, CustomStringConvertible {
        let proxies: [String]
        let peer: String?
        let forwardedFor: [String]
        let client: String?
        let why: String
        var description: String { why }
    }

    static let cases: [Case] = [
        .init(proxies: [], peer: "203.0.113.7", forwardedFor: ["198.51.100.1"], client: "203.0.113.7",
              why: "no trusted proxy: the header is ignored"),
        .init(proxies: ["10.0.0.0/8"], peer: "203.0.113.7", forwardedFor: ["198.51.100.1"], client: "203.0.113.7",
              why: "a peer outside the trusted ranges: its header is forged, ignored"),
        .init(proxies: ["10.0.0.0/8"], peer: "10.1.2.3", forwardedFor: [], client: "10.1.2.3",
              why: "a trusted proxy without the header: the proxy itself"),
        .init(proxies: ["10.0.0.0/8"], peer: "10.1.2.3", forwardedFor: ["198.51.100.1"], client: "198.51.100.1",
              why: "a trusted proxy names the client"),
        .init(proxies: ["10.0.0.0/8"], peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 198.51.100.1"], client: "198.51.100.1",
              why: "the rightmost untrusted entry: what the client wrote to the left is not believed"),
        .init(proxies: ["10.0.0.0/8", "192.0.2.1"], peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 198.51.100.1", "192.0.2.1"],
              client: "198.51.100.1", why: "a chain of trusted proxies, over two header fields"),
        .init(proxies: ["10.0.0.0/8"], peer: "10.1.2.3", forwardedFor: ["10.9.9.9, 10.8.8.8"], client: "10.9.9.9",
              why: "only trusted proxies listed: the farthest of them"),
        .init(proxies: ["10.0.0.0/8"], peer: "10.1.2.3", forwardedFor: ["198.51.100.1, not-an-address, 10.5.5.5"],
              client: "10.5.5.5", why: "garbage stops the walk at the hop that passed it on"),
        .init(proxies: ["10.0.0.0/8"], peer: "10.1.2.3", forwardedFor: ["198.51.100.1:4711"], client: "198.51.100.1",
              why: "an IPv4 entry with a port"),
        .init(proxies: ["::1"], peer: "::1", forwardedFor: ["[2001:db8::5]:443"], client: "2001:db8::5",
              why: "an IPv6 proxy and a bracketed IPv6 entry with a port"),
        .init(proxies: ["127.0.0.1"], peer: "::ffff:127.0.0.1", forwardedFor: ["198.51.100.1"], client: "198.51.100.1",
              why: "an IPv4-mapped peer is its IPv4 address"),
        .init(proxies: ["fd00::/8"], peer: "fd12::1", forwardedFor: [" 2001:db8::9 "], client: "2001:db8::9",
              why: "an IPv6 range, spaces around the entry"),
        .init(proxies: ["127.0.0.1"], peer: nil, forwardedFor: ["198.51.100.1"], client: nil,
              why: "no peer address (a router test): none"),
    ]

    @Test(arguments: cases)
    func resolves(_ example: Case) throws {
        let proxies = try TrustedProxies(entries: example.proxies)
        let client = proxies.clientAddress(peer: example.peer.flatMap { IPAddress($0) }, forwardedFor: example.forwardedFor)
        #expect(client?.description == example.client)
    }

    @Test func networkContains() throws {
        let table: [(network: String, address: String, inside: Bool)] = [
            ("10.0.0.0/8", "10.255.1.2", true), ("10.0.0.0/8", "11.0.0.1", false),
            ("192.168.1.128/25", "192.168.1.200", true), ("192.168.1.128/25", "192.168.1.127", false),
            ("0.0.0.0/0", "8.8.8.8", true), ("0.0.0.0/0", "::1", false),
            ("2001:db8::/32", "2001:db8:ffff::1", true), ("2001:db8::/32", "2001:db9::1", false),
            ("::ffff:10.0.0.0/104", "10.3.2.1", true), ("127.0.0.1", "127.0.0.2", false),
        ]
        for row in table {
            let range = try #require(IPNetwork(row.network))
            let ip = try #require(IPAddress(row.address))
            #expect(range.contains(ip) == row.inside, "\(row.network) contains \(row.address)")
        }
    }

    @Test(arguments: ["", "10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "::/129", "1.2.3.4:80", "[::1]", "example.com", "10.0.0.0/8/8",
                      "::ffff:10.0.0.0/8", "10.0.0.0/-1"])
    func refusesBadEntries(_ entry: String) {
        #expect(throws: TrustedProxies.InvalidEntry.self) { try TrustedProxies(entries: [entry]) }
    }

    @Test("a per-address limit counts IPv4 addresses one by one, IPv6 by their /64")
    func limitKeys() throws {
        #expect(try #require(IPAddress("198.51.100.1")).limitKey == "198.51.100.1")
        let one = try #require(IPAddress("2001:db8:1:2:aaaa::1")), other = try #require(IPAddress("2001:db8:1:2:bbbb::9"))
        #expect(one.limitKey == other.limitKey)
        #expect(one.limitKey == "2001:db8:1:2::/64")
        #expect(try #require(IPAddress("2001:db8:1:3::1")).limitKey != one.limitKey)
    }
}
