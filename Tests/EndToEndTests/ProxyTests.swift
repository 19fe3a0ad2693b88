import Foundation
import TestSupport
import Testing

/// The repository's nginx configuration, run by Debian's nginx in front of two API
/// nodes and one gateway on PostgreSQL and Redis, as docker-compose.yml runs it.
@Suite("Behind nginx", .serialized)
struct ProxyTests {
    @Test("HTTP reaches the API nodes, /ws/ the gateway; an idle socket outlives the proxy's read timeout; a bid on an API node reaches it")
    func throughTheProxy() async throws {
        var environment = try Cluster.environment(broker: Cluster.redis(try ServiceEnvironment.redisURL()))
        // The server's pings keep an idle socket alive through the proxy's read
        // timeout (75 s in the file, 12 s here, with a ping every 5 s). A socket
        // that leaves a ping unanswered until the next is closed, so the interval
        // is what the test's client has to answer in while the whole suite runs
        // (2 s was too short at a load average of 30: the socket was closed).
        environment["HUB_PING_INTERVAL_MS"] = "5000"
        let api = try (0..<2).map { _ in
            try ServerProcess(environment: environment.merging(["SERVER_ROLE": "api"]) { $1 })
        }
        let gateway = try ServerProcess(environment: environment.merging(["SERVER_ROLE": "gateway"]) { $1 })
        let nodes = api + [gateway]
        defer { for node in nodes { node.stop() } }
        for node in nodes { try await node.start() }
        let proxy = try NginxProcess(api: api.map(\.port), gateway: gateway.port, readTimeoutSeconds: 12)
        defer { proxy.stop() }
        try await proxy.start()

        let owner = try await Account.register(on: proxy, prefix: "proxy-owner")
        let bidder = try await Account.register(on: proxy, prefix: "proxy-bidder")
        let lot = try await owner.createLot(on: proxy)
        #expect(try await HTTP.request("GET", proxy.baseURL.appendingPathComponent("lots/\(lot)")).0 == 200)
        // The gateway serves no API route: a lot answered through the proxy came from an API node.
        #expect(try await HTTP.request("GET", gateway.baseURL.appendingPathComponent("lots/\(lot)")).0 == 404)

        let watcher = Watcher()
        try await within(120, "delivery through the proxy") {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await watcher.watch("\(proxy.socketBase)/ws/lots/\(lot)", count: 2) }
                await watcher.waitUntilReady()
                // Idle for more than twice the proxy's read timeout.
                try await Task.sleep(for: .seconds(25))
                #expect(try await bidder.bid(on: api[0], lot: lot, amount: "2", raise: false) == 201)
                #expect(try await bidder.bid(on: proxy, lot: lot, amount: "3", raise: true) == 200)
                try await group.waitForAll()
            }
        }
        #expect(watcher.seqs == [1, 2])
    }

    @Test("X-Forwarded-For is believed from the proxy only: through nginx and directly, a client is limited by its real address")
    func forwardedForFromTheProxyOnly() async throws {
        // nginx connects from 127.0.0.2, the one trusted proxy; the test's client is 127.0.0.1.
        let node = try ServerProcess(environment: [
            "LIMITS_ENABLED": "true", "LIMITS_REGISTRATIONS_PER_ADDRESS_PER_MINUTE": "2",
            "HTTP_TRUSTED_PROXIES": "127.0.0.2", "STORAGE_SQLITE_PATH": FileManager.default.temporaryDirectory
                .appendingPathComponent("proxy-limits-\(UUID().uuidString).sqlite").path,
        ])
        defer { node.stop() }
        try await node.start()
        let proxy = try NginxProcess(api: [node.port, node.port], gateway: node.port, bindAddress: "127.0.0.2")
        defer { proxy.stop() }
        try await proxy.start()

        func register(on endpoint: some HTTPEndpoint, _ name: String, forging address: String) async throws -> Int {
            try await HTTP.request(
                "POST", endpoint.baseURL.appendingPathComponent("account"),
                form: ["username": "\(name)-\(UUID().uuidString.prefix(8))", "password": "pw-pw-pw"],
                headers: ["X-Forwarded-For": address]
            ).0
        }
        // Through nginx, the address it appends (127.0.0.1) counts, not the one the client
        // forged to its left: new forged addresses do not reset the count.
        #expect(try await register(on: proxy, "through-1", forging: "198.51.100.1") == 201)
        #expect(try await register(on: proxy, "through-2", forging: "198.51.100.2") == 201)
        #expect(try await register(on: proxy, "through-3", forging: "198.51.100.3") == 429)
        // Directly, the header is not believed at all: the peer 127.0.0.1 is the one
        // limited, and it is the same client the proxy named (had the server counted
        // nginx's 127.0.0.2 instead, this would pass).
        #expect(try await register(on: node, "direct", forging: "198.51.100.4") == 429)
    }
}
