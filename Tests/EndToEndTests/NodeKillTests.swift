import Foundation
import Synchronization
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension CrashTests {
    @Test("PostgreSQL + Redis: node A killed under load; B serves throughout; A's watcher resumes on B")
    func nodeKilled() async throws {
        let cluster = try Cluster(count: 2, environment: Cluster.environment(broker: Cluster.redis(try ServiceEnvironment.redisURL())))
        defer { cluster.stop() }
        try await cluster.start()
        let (a, b) = (cluster.nodes[0], cluster.nodes[1])
        // The owner on B (node(0)); bidders through both.
        let (lot, bidders) = try await Self.lot(bidders: 16, on: { cluster.nodes[($0 + 1) % 2] })

        let watcher = Watcher()
        let watchingA = Task { try await watcher.watch("\(a.socketBase)/ws/lots/\(lot)", count: Int.max) }
        await watcher.waitUntilReady()
        let load = BidLoad(lot: lot)
        let bidding = Task {
            await load.run(bidders: bidders, until: .now + .seconds(120)) { $0 % 2 == 0 ? (0, a) : (1, b) }
        }
        try await Task.sleep(for: .milliseconds(Int.random(in: 2000...4000)))
        a.send(SIGKILL)
        let killed = ContinuousClock.now
        #expect(await a.exitStatus(within: 30) != nil)
        try await Self.keepBidding(load, until: killed + .seconds(3), count: 20) { $0.node == 1 && $0.started > killed }
        await bidding.value
        _ = try? await watchingA.value  // ends with A's connection

        // Through B: every request answered, with a bid's ordinary statuses, also after the kill.
        let throughB = load.results.filter { $0.node == 1 }
        let odd = throughB.filter { ![200, 201, 400].contains($0.status ?? 0) }
        #expect(odd.isEmpty, "through B: \(odd.prefix(5).map { String(describing: $0.status) })")
        #expect(throughB.filter { $0.acknowledged && $0.started > killed }.count >= 20, "B stopped acknowledging after the kill")

        let log = try await EventLog.read(b, lot: lot)
        log.expectHolds(load.acknowledged, price: try await b.price(of: lot))

        // The watcher of A resumes on B from the last event it had.
        let seen = watcher.seqs
        let resumed = Watcher()
        let remaining = log.events.count - Int(seen.last ?? 0)
        if remaining > 0 {
            try await within(60, "the resumed watcher's \(remaining) events") {
                try await resumed.watch("\(b.socketBase)/ws/lots/\(lot)?since=\(seen.last ?? 0)", count: remaining)
            }
        }
        #expect(seen + resumed.seqs == log.seqs, "A gave \(seen.count), B \(resumed.seqs.count) of \(log.events.count)")
        print("node A SIGKILL: \(load.results.count) bids sent, \(load.acknowledged.count) acknowledged (\(throughB.filter(\.acknowledged).count) through B), watcher had \(seen.count) events from A and \(resumed.seqs.count) from B")
    }
}
