import Foundation
import TestSupport
import Testing

extension CrashTests {
    @Test("PostgreSQL restarted (fast shutdown) under load: 503s, no 500, nothing lost, serving again")
    func postgresRestarted() async throws {
        let postgres = try await ThrowawayPostgresCluster.start()
        defer { Task { await postgres.stop() } }
        let server = try ServerProcess(environment: ServerProcess.alone(on: postgres.url))
        defer { server.stop() }
        try await server.start()
        let (lot, bidders) = try await Self.lot(bidders: 8, on: { _ in server })

        let load = BidLoad(lot: lot)
        let bidding = Task { await load.run(bidders: bidders, until: .now + .seconds(120)) { _ in (0, server) } }
        try await Task.sleep(for: .milliseconds(1500))
        try await postgres.pause()
        try await Task.sleep(for: .seconds(2))
        try await postgres.resume()
        let resumed = ContinuousClock.now
        try await Self.keepBidding(load, until: resumed, count: 20) { $0.started > resumed }
        await bidding.value

        let results = load.results
        let odd = results.filter { ![200, 201, 400, 503].contains($0.status ?? 0) }
        #expect(odd.isEmpty, "answers other than a bid's or 503 (nil: none): \(odd.prefix(5).map { String(describing: $0.status) })")
        #expect(results.contains { $0.status == 503 }, "no 503 while PostgreSQL was down")
        #expect(load.acknowledged.filter { $0.started > resumed }.count >= 20, "not serving again after the restart")
        let log = try await EventLog.read(server, lot: lot)
        log.expectHolds(load.acknowledged, price: try await server.price(of: lot))
        print("PostgreSQL restart: \(results.count) bids sent, \(load.acknowledged.count) acknowledged, \(results.filter { $0.status == 503 }.count) answered 503")
    }
}
