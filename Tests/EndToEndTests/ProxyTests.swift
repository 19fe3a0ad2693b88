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
        // timeout (75 s in the file, 2 s here, with a ping every 500 ms).
        environment["HUB_PING_INTERVAL_MS"] = "500"
        let api = try (0..<2).map { _ in
            try ServerProcess(environment: environment.merging(["SERVER_ROLE": "api"]) { $1 })
        }
        let gateway = try ServerProcess(environment: environment.merging(["SERVER_ROLE": "gateway"]) { $1 })
        let nodes = api + [gateway]
        defer { for node in nodes { node.stop() } }
        for node in nodes { try await node.start() }
        let proxy = try NginxProcess(api: api.map(\.port), gateway: gateway.port, readTimeoutSeconds: 2)
        defer { proxy.stop() }
        try await proxy.start()

        let owner = try await Account.register(on: proxy, prefix: "proxy-owner")
        let bidder = try await Account.register(on: proxy, prefix: "proxy-bidder")
        let lot = try await owner.createLot(on: proxy)
        #expect(try await HTTP.request("GET", proxy.baseURL.appendingPathComponent("lots/\(lot)")).0 == 200)
        // The gateway serves no API route: a lot answered through the proxy came from an API node.
        #expect(try await HTTP.request("GET", gateway.baseURL.appendingPathComponent("lots/\(lot)")).0 == 404)

        let watcher = Watcher()
        try await within(60, "delivery through the proxy") {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await watcher.watch("\(proxy.socketBase)/ws/lots/\(lot)", count: 2) }
                await watcher.waitUntilReady()
                // Idle for more than twice the proxy's read timeout.
                try await Task.sleep(for: .seconds(5))
                #expect(try await bidder.bid(on: api[0], lot: lot, amount: "2", raise: false) == 201)
                #expect(try await bidder.bid(on: proxy, lot: lot, amount: "3", raise: true) == 200)
                try await group.waitForAll()
            }
        }
        #expect(watcher.seqs == [1, 2])
    }
}
