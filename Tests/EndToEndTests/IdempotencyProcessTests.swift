import Foundation
import TestSupport
import Testing

/// Idempotency keys live in the store: a replay holds across a restart (SQLite file,
/// PostgreSQL) and across nodes (two processes on one PostgreSQL).
@Suite("Idempotency-Key across processes", .serialized)
struct IdempotencyProcessTests {
    enum Storage: String, CaseIterable, Sendable, CustomStringConvertible {
        case sqlite, postgres
        var description: String { rawValue }
    }

    /// A sign-up and a bid with keys, answered again after the server restarts. The
    /// bid's retry comes with a new token of the same user (sessions are in memory).
    @Test(arguments: Storage.allCases)
    func aReplayAfterARestartGivesTheSameBody(storage: Storage) async throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("idempotency-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        let environment = switch storage {
        case .sqlite:
            ["STORAGE_KIND": "sqlite", "STORAGE_SQLITE_PATH": database, "BROKER_KIND": "memory", "SESSIONS_KIND": "memory"]
        case .postgres:
            ServerProcess.alone(on: try ServiceEnvironment.postgresURL())
        }
        let username = "idem-\(UUID().uuidString.prefix(8))"
        let signup = "username=\(username)&password=pw"
        let signupKey = "signup-\(UUID())"
        let bidKey = "bid-\(UUID())"

        let first = try ServerProcess(environment: environment)
        try await first.start()
        let created = try await KeyedReply.send(port: first.port, method: "POST", path: "/account", form: signup, key: signupKey)
        #expect(created.status == 201 && !created.replayed, "\(created.body)")
        let owner = try await Account.register(on: first, prefix: "owner")
        let lot = try await owner.createLot(on: first)
        let bidder = try await Self.token(on: first, username: username)
        let bid = try await KeyedReply.send(
            port: first.port, method: "POST", path: "/lots/\(lot)/bids", form: "amount=2", token: bidder, key: bidKey)
        #expect(bid.status == 201, "\(bid.body)")
        first.stop()

        let second = try ServerProcess(environment: environment)
        try await second.start()
        defer { second.stop() }
        let createdAgain = try await KeyedReply.send(port: second.port, method: "POST", path: "/account", form: signup, key: signupKey)
        #expect(createdAgain.status == 201 && createdAgain.replayed)
        #expect(createdAgain.body == created.body)
        let bidderAgain = try await Self.token(on: second, username: username)
        let bidAgain = try await KeyedReply.send(
            port: second.port, method: "POST", path: "/lots/\(lot)/bids", form: "amount=2", token: bidderAgain, key: bidKey)
        #expect(bidAgain.status == 201 && bidAgain.replayed)
        #expect(bidAgain.body == bid.body)
        #expect(try await HTTP.array(second.baseURL.appendingPathComponent("lots/\(lot)/events")).count == 1)
    }

    @Test func aSecondNodeAnswersTheReplay() async throws {
        let cluster = try Cluster(count: 2, environment: Cluster.environment(broker: Cluster.redis(try ServiceEnvironment.redisURL())))
        defer { cluster.stop() }
        try await cluster.start()
        let (a, b) = (cluster.nodes[0], cluster.nodes[1])
        let owner = try await Account.register(on: a, prefix: "owner")
        let bidder = try await Account.register(on: a, prefix: "bidder")
        let lot = try await owner.createLot(on: a)
        let key = "cross-\(UUID())"
        let onA = try await KeyedReply.send(
            port: a.port, method: "POST", path: "/lots/\(lot)/bids", form: "amount=3", token: bidder.token, key: key)
        let onB = try await KeyedReply.send(
            port: b.port, method: "POST", path: "/lots/\(lot)/bids", form: "amount=3", token: bidder.token, key: key)
        #expect(onA.status == 201 && !onA.replayed, "\(onA.body)")
        #expect(onB.status == 201 && onB.replayed)
        #expect(onB.body == onA.body)
        let otherBody = try await KeyedReply.send(
            port: b.port, method: "POST", path: "/lots/\(lot)/bids", form: "amount=4", token: bidder.token, key: key)
        #expect(otherBody.status == 422)
        #expect(try await HTTP.array(b.baseURL.appendingPathComponent("lots/\(lot)/events")).count == 1)
    }

    private static func token(on node: ServerProcess, username: String) async throws -> String {
        let (status, body) = try await HTTP.request(
            "POST", node.baseURL.appendingPathComponent("account/token"), form: ["username": username, "password": "pw"])
        guard status == 201, let token = body["access_token"] as? String else { throw Failure("login: \(status)") }
        return token
    }
}
