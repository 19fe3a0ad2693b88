import Foundation
import Synchronization
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Servers killed, stopped or left without their database while bidders bid
/// (issue 15): nothing acknowledged is lost. One at a time: each loads the machine.
@Suite("Crashes under load", .serialized)
struct CrashTests {
    /// A lot owned by a user of `node(0)` and `count` bidders, bidder `i` registered through `node(i)`.
    static func lot(bidders count: Int, on node: (Int) -> ServerProcess) async throws -> (Int64, [Account]) {
        let owner = try await Account.register(on: node(0), prefix: "owner")
        let lot = try await owner.createLot(on: node(0))
        var bidders: [Account] = []
        for index in 0..<count { bidders.append(try await Account.register(on: node(index), prefix: "bidder")) }
        return (lot, bidders)
    }

    /// Lets the load run until `minimum` has passed and `count` bids matching `which` were
    /// acknowledged (an ordering, not a speed: bounded only so that a dead server fails).
    static func keepBidding(
        _ load: BidLoad, until minimum: ContinuousClock.Instant, count: Int, _ which: (BidLoad.Outcome) -> Bool
    ) async throws {
        let giveUp = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < giveUp
            && (ContinuousClock.now < minimum || load.acknowledged.filter(which).count < count)
        {
            try await Task.sleep(for: .milliseconds(100))
        }
        load.stop()
    }

    @Test("SQLite: a SIGKILL at a random moment loses no acknowledged bid")
    func sqliteKilled() async throws {
        let database = ClientReconnectTests.temporaryDatabase()
        defer { ClientReconnectTests.remove(database) }
        var environment = ClientReconnectTests.environment(database)
        environment["STORAGE_SQLITE_SYNCHRONOUS"] = "full"
        let first = try ServerProcess(environment: environment)
        defer { first.stop() }
        try await first.start()
        let (lot, bidders) = try await Self.lot(bidders: 16, on: { _ in first })

        // The same file and port: the bidders need not know which process answers.
        let second = try ServerProcess(environment: environment, port: first.port)
        defer { second.stop() }
        let load = BidLoad(lot: lot)
        let started = ContinuousClock.now
        let bidding = Task { await load.run(bidders: bidders, until: started + .seconds(120)) { _ in (0, first) } }
        let killAfter = Double.random(in: 1...8)
        try await Task.sleep(for: .milliseconds(Int(killAfter * 1000)))
        first.send(SIGKILL)
        let killed = ContinuousClock.now
        #expect(await first.exitStatus(within: 30) != nil)
        try await second.start()
        // 10 s of bidding in all, and bids acknowledged by the restarted server.
        try await Self.keepBidding(load, until: started + .seconds(10), count: 20) { $0.started > killed }
        await bidding.value

        let acknowledged = load.acknowledged
        #expect(acknowledged.contains { $0.started < killed }, "no bid acknowledged before the kill")
        #expect(acknowledged.filter { $0.started > killed }.count >= 20, "not serving after the restart")
        let log = try await EventLog.read(second, lot: lot)
        log.expectHolds(acknowledged, price: try await second.price(of: lot))
        print("SQLite SIGKILL after \(String(format: "%.1f", killAfter)) s: \(load.results.count) bids sent, \(acknowledged.count) acknowledged, \(log.events.count) events in the log")
    }
}
