import Foundation
import Testing

@Suite("Several server processes: users' own streams", .serialized)
struct UserStreamClusterTests {
    @Test("an outbid caused on node A reaches the user's /ws/me on node B through Redis")
    func outbidCrossesNodes() async throws {
        // No resync from the log within the test: only the broker can bring A's events to B.
        var environment = try Cluster.environment(broker: BrokerChoice.redis.environment())
        environment["HUB_RESYNC_INTERVAL_MS"] = "600000"
        let cluster = try Cluster(count: 2, environment: environment)
        defer { cluster.stop() }
        try await cluster.start()
        let (a, b) = (cluster.nodes[0], cluster.nodes[1])
        let owner = try await Account.register(on: a, prefix: "owner")
        let ann = try await Account.register(on: a, prefix: "ann")
        let bob = try await Account.register(on: a, prefix: "bob")
        let lot = try await owner.createLot(on: a)
        #expect(try await ann.bid(on: a, lot: lot, amount: "2", raise: false) == 201)

        let watcher = Watcher()
        let outbids = 5
        try await within(60, "cross-node delivery of a user's events") {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await watcher.watch("\(b.socketBase)/ws/me?token=\(ann.token)", count: outbids) }
                await watcher.waitUntilReady()
                for i in 0..<outbids {
                    #expect(try await bob.bid(on: a, lot: lot, amount: "\(3 + 2 * i)", raise: i > 0) == (i == 0 ? 201 : 200))
                    #expect(try await ann.bid(on: a, lot: lot, amount: "\(4 + 2 * i)", raise: true) == 200)
                }
                try await group.waitForAll()
            }
        }
        #expect(watcher.seqs == Array(1...Int64(outbids)))
        #expect(watcher.texts.allSatisfy { $0.contains(#""type":"outbid""#) && $0.contains(#""by":"\#(bob.username)""#) })
    }
}
