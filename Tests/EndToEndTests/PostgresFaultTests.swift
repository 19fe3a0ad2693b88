import Foundation
import TestSupport
import Testing

/// A server process whose PostgreSQL goes away and comes back.
@Suite("PostgreSQL outage, seen from HTTP")
struct PostgresFaultTests {
    @Test func answers503WhileDownAndServesAgainAfter() async throws {
        let cluster = try await ThrowawayPostgresCluster.start()
        defer { Task { await cluster.stop() } }
        let server = try ServerProcess(environment: ServerProcess.alone(on: cluster.url))
        defer { server.stop() }
        try await server.start()
        let owner = try await Account.register(on: server, prefix: "owner")
        let bidder = try await Account.register(on: server, prefix: "bidder")
        let lot = try await owner.createLot(on: server)

        try await cluster.pause()
        let started = ContinuousClock.now
        let (down, body) = try await HTTP.request("GET", server.baseURL.appendingPathComponent("lots/\(lot)"))
        let waited = ContinuousClock.now - started
        #expect(down == 503)
        #expect((body["detail"] as? String)?.isEmpty == false)
        // 5x the server's 5 s query timeout; a hung request would reach the client's 30 s timeout.
        #expect(waited < .seconds(25), "answered after \(waited)")
        #expect(try await HTTP.request("GET", server.baseURL.appendingPathComponent("readyz")).0 == 503)
        #expect(try await HTTP.request("GET", server.baseURL.appendingPathComponent("healthz")).0 == 200)
        let (bid, _) = try await HTTP.request(
            "POST", server.baseURL.appendingPathComponent("lots/\(lot)/bids"), form: ["amount": "50"], token: bidder.token)
        #expect(bid == 503)  // a bid the database would take: refused as unavailable, never a 500

        try await cluster.resume()
        var status = 0
        let deadline = ContinuousClock.now + .seconds(20)
        while status != 200 && ContinuousClock.now < deadline {
            status = try await HTTP.request("GET", server.baseURL.appendingPathComponent("lots/\(lot)")).0
            if status != 200 { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(status == 200)
        #expect(try await HTTP.request("GET", server.baseURL.appendingPathComponent("readyz")).0 == 200)
    }
}
