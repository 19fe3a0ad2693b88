import Foundation
import Synchronization
import TestSupport
import Testing

/// Which broker a cluster test runs on; sessions are on Redis in both.
enum BrokerChoice: String, CaseIterable, Sendable, CustomStringConvertible {
    case redis, amqp
    var description: String { rawValue }

    func environment() throws -> [String: String] {
        switch self {
        case .redis: return Cluster.redis(try ServiceEnvironment.redisURL())
        case .amqp: return Cluster.amqp(try ServiceEnvironment.amqpURL(), sessions: try ServiceEnvironment.redisURL())
        }
    }
}

@Suite("Several server processes", .serialized)
struct ClusterTests {
    @Test("a socket on node B gets every bid placed on node A, in order; logout on A counts on B", arguments: BrokerChoice.allCases)
    func eventsAndLogoutCrossNodes(broker: BrokerChoice) async throws {
        let cluster = try Cluster(count: 2, environment: Cluster.environment(broker: broker.environment()))
        defer { cluster.stop() }
        try await cluster.start()
        let (a, b) = (cluster.nodes[0], cluster.nodes[1])
        let owner = try await Account.register(on: a, prefix: "owner")
        let bidder = try await Account.register(on: a, prefix: "bidder")
        let lot = try await owner.createLot(on: a)

        let watcher = Watcher()
        let bids = 20
        try await within(60, "cross-node delivery") {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await watcher.watch("\(b.socketBase)/ws/lots/\(lot)", count: bids) }
                await watcher.waitUntilReady()
                for i in 0..<bids {
                    let status = try await bidder.bid(on: a, lot: lot, amount: "\(2 + i)", raise: i > 0)
                    #expect(status == (i == 0 ? 201 : 200))
                }
                try await group.waitForAll()
            }
        }
        #expect(watcher.seqs == Array(1...Int64(bids)))

        // The session lives in Redis: a logout on A is refused on B at once.
        #expect(try await HTTP.request("GET", b.baseURL.appendingPathComponent("account/me"), token: bidder.token).0 == 200)
        #expect(try await HTTP.request("DELETE", a.baseURL.appendingPathComponent("account/token"), token: bidder.token).0 == 200)
        #expect(try await HTTP.request("GET", b.baseURL.appendingPathComponent("account/me"), token: bidder.token).0 == 401)
    }

    @Test("100 concurrent bids over two processes keep the bid rule", arguments: BrokerChoice.allCases)
    func concurrentBidsAcrossNodes(broker: BrokerChoice) async throws {
        let cluster = try Cluster(count: 2, environment: Cluster.environment(broker: broker.environment()))
        defer { cluster.stop() }
        try await cluster.start()
        let owner = try await Account.register(on: cluster.nodes[0], prefix: "owner")
        let lot = try await owner.createLot(on: cluster.nodes[0])
        var bidders: [Account] = []
        for i in 0..<20 { bidders.append(try await Account.register(on: cluster.nodes[i % 2], prefix: "racer")) }
        let users = bidders
        let started = ContinuousClock.now
        let accepted = try await withThrowingTaskGroup(of: Int.self) { group in
            for (i, user) in users.enumerated() {
                group.addTask {
                    var mine = 0
                    for round in 0..<5 {
                        let node = cluster.nodes[(i + round) % 2]
                        let amount = "\(2 + round * 25 + (i * 13) % 25).\(i % 10)5"
                        let status = try await user.bid(on: node, lot: lot, amount: amount, raise: mine > 0)
                        #expect([200, 201, 400].contains(status))
                        if status < 300 { mine += 1 }
                    }
                    return mine
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        let events = try await HTTP.array(cluster.nodes[1].baseURL.appendingPathComponent("lots/\(lot)/events"))
        let seqs = events.compactMap { ($0["seq"] as? NSNumber)?.int64Value }
        let amounts = events.compactMap { ($0["amount"] as? NSNumber)?.decimalValue }
        #expect(seqs == Array(1...Int64(accepted)))
        #expect(zip(amounts, amounts.dropFirst()).allSatisfy { $0 < $1 })
        let (_, lotState) = try await HTTP.request("GET", cluster.nodes[0].baseURL.appendingPathComponent("lots/\(lot)"))
        #expect((lotState["highest_price"] as? NSNumber)?.decimalValue == amounts.max())
        print("cross-node race (\(broker)): 100 bids, \(accepted) accepted, \(100 - accepted) rejected, \(String(format: "%.2f", seconds)) s")
    }

    @Test func redisOutageLosesNoEvent() async throws {
        // Persistent, as a production Redis is: the sessions survive its restart.
        let redis = try await RedisTestServer(extraArguments: ["--appendonly", "yes", "--appendfsync", "always"])
        let cluster = try Cluster(count: 2, environment: Cluster.environment(broker: Cluster.redis(redis.url)))
        defer { cluster.stop() }
        try await cluster.start()
        try await Self.placeBidsThroughAnOutage(cluster: cluster, stop: { redis.kill() }, restart: { try await redis.start() })
    }

    /// Bids on node A every 40 ms while the broker is stopped (from 1 s on, for at
    /// least 3 s) and restarted, and for 2 s after; a socket on node B must end up
    /// with every event once, in order.
    static func placeBidsThroughAnOutage(
        cluster: Cluster, stop: @escaping @Sendable () async throws -> Void,
        restart: @escaping @Sendable () async throws -> Void
    ) async throws {
        let (a, b) = (cluster.nodes[0], cluster.nodes[1])
        let owner = try await Account.register(on: a, prefix: "owner")
        let bidder = try await Account.register(on: a, prefix: "bidder")
        let lot = try await owner.createLot(on: a)
        let watcher = Watcher()
        let watching = Task { try await watcher.watch("\(b.socketBase)/ws/lots/\(lot)", count: Int.max) }
        defer { watching.cancel() }
        await watcher.waitUntilReady()

        let restartedAt = Mutex<ContinuousClock.Instant?>(nil)
        let stopped = Mutex(false)
        let outage = Task {
            try await Task.sleep(for: .seconds(1))
            try await stop()
            stopped.withLock { $0 = true }
            try await Task.sleep(for: .seconds(3))
            try await restart()
            restartedAt.withLock { $0 = .now }
        }
        var accepted = 0
        var acceptedWhileDown = 0
        var failed = 0
        var failures: [Int] = []
        var amount = 2
        let giveUp = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < giveUp {
            if let end = restartedAt.withLock({ $0 }), ContinuousClock.now - end > .seconds(2) { break }
            let down = stopped.withLock { $0 } && restartedAt.withLock { $0 } == nil
            let status = try await bidder.bid(on: a, lot: lot, amount: "\(amount)", raise: accepted > 0)
            if status == 200 || status == 201 {
                accepted += 1
                if down { acceptedWhileDown += 1 }
                amount += 1
            } else {
                failed += 1
                failures.append(status)
            }
            try await Task.sleep(for: .milliseconds(40))
        }
        try await outage.value
        let restarted = restartedAt.withLock { $0 } != nil
        #expect(restarted)
        // Counted, not timed: how many fit in the outage depends on the machine's load.
        #expect(
            acceptedWhileDown > 0 && failed == 0,
            "bids kept being accepted during the outage: \(accepted) accepted (\(acceptedWhileDown) while down), \(failed) failed: \(failures)")
        let expected = Array(1...Int64(accepted))
        let deadline = ContinuousClock.now + .seconds(20)
        while watcher.seqs.count < accepted && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(watcher.seqs == expected, "received \(watcher.seqs.count) of \(accepted)")
        print("outage: \(accepted) bids accepted, \(failed) refused, every event delivered once in order: \(watcher.seqs == expected)")
    }
}

extension ClusterTests {
    @Test func rabbitMQOutageLosesNoEvent() async throws {
        let node = try await PrivateRabbitMQ.start()
        defer { Task { await node.remove() } }
        let cluster = try Cluster(
            count: 2,
            environment: Cluster.environment(broker: Cluster.amqp(node.url, sessions: try ServiceEnvironment.redisURL())))
        defer { cluster.stop() }
        try await cluster.start()
        try await Self.placeBidsThroughAnOutage(
            cluster: cluster, stop: { try await node.stopNode() }, restart: { try await node.startNode() })
    }
}
