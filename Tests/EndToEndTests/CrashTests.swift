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
    static func register(_ count: Int, on node: (Int) -> ServerProcess) async throws -> [Account] {
        var accounts: [Account] = []
        for index in 0..<count { accounts.append(try await Account.register(on: node(index), prefix: "bidder")) }
        return accounts
    }

    /// Sleeps until `instant`.
    static func sleep(until instant: ContinuousClock.Instant) async throws {
        try await Task.sleep(until: instant, clock: .continuous)
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
        let owner = try await Account.register(on: first, prefix: "owner")
        let lot = try await owner.createLot(on: first)
        let bidders = try await Self.register(16, on: { _ in first })

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
        // 10 s of bidding in all, and at least 2 s on the restarted server.
        try await Self.sleep(until: max(started + .seconds(10), .now + .seconds(2)))
        load.stop()
        await bidding.value

        let acknowledged = load.acknowledged
        #expect(acknowledged.contains { $0.started < killed }, "no bid acknowledged before the kill")
        #expect(acknowledged.contains { $0.started > killed }, "no bid acknowledged after the restart")
        let log = try await EventLog.read(second, lot: lot)
        log.expectHolds(acknowledged, price: try await second.price(of: lot))
        print("SQLite SIGKILL after \(String(format: "%.1f", killAfter)) s: \(load.results.count) bids sent, \(acknowledged.count) acknowledged, \(log.events.count) events in the log")
    }
}
