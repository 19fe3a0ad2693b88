import Foundation
import TestSupport
import Testing

extension CrashTests {
    @Test("PostgreSQL restarted (fast shutdown) under load: 503s, no 500, nothing lost, serving again")
    func postgresRestarted() async throws {
        let postgres = try await ThrowawayPostgresCluster.start()
        defer { Task { await postgres.stop() } }
        let url = postgres.url
        let server = try ServerProcess(environment: [
            "STORAGE_KIND": "postgres", "PGHOST": url.host ?? "127.0.0.1", "PGPORT": String(url.port ?? 5432),
            "PGUSER": url.user ?? "", "PGPASSWORD": url.password ?? "", "PGDATABASE": String(url.path.dropFirst()),
            "BROKER_KIND": "memory", "SESSIONS_KIND": "memory",
        ])
        defer { server.stop() }
        try await server.start()
        let owner = try await Account.register(on: server, prefix: "owner")
        let lot = try await owner.createLot(on: server)
        let bidders = try await Self.register(8, on: { _ in server })

        let load = BidLoad(lot: lot)
        let bidding = Task { await load.run(bidders: bidders, until: .now + .seconds(120)) { _ in (0, server) } }
        try await Task.sleep(for: .milliseconds(1500))
        try await postgres.pause()
        try await Task.sleep(for: .seconds(2))
        try await postgres.resume()
        let resumed = ContinuousClock.now
        // Serving again: wait (bounded) for bids acknowledged after the restart.
        let giveUp = ContinuousClock.now + .seconds(60)
        while load.acknowledged.filter({ $0.started > resumed }).count < 20 && ContinuousClock.now < giveUp {
            try await Task.sleep(for: .milliseconds(100))
        }
        load.stop()
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
