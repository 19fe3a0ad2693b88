import Foundation
import TestSupport
import Testing

/// The command-line client against a server process that goes away and comes back.
@Suite("auction-client reconnection")
struct ClientReconnectTests {
    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("reconnect-\(UUID()).sqlite").path
    }

    static func remove(_ database: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }

    /// A server on its own SQLite file, in-memory broker and sessions.
    static func environment(_ database: String) -> [String: String] {
        ["STORAGE_KIND": "sqlite", "STORAGE_SQLITE_PATH": database, "BROKER_KIND": "memory", "SESSIONS_KIND": "memory"]
    }

    @Test func resumesWithSinceAfterTheServerRestarts() async throws {
        let database = Self.temporaryDatabase()
        defer { Self.remove(database) }
        let environment = Self.environment(database)
        let first = try ServerProcess(environment: environment)
        try await first.start()
        let owner = try await Account.register(on: first, prefix: "owner")
        let bidder = try await Account.register(on: first, prefix: "bidder")
        let lot = try await owner.createLot(on: first)

        let client = ChildProcess(
            try Executables.url("auction-client"),
            arguments: [String(lot), "--url", "ws://127.0.0.1", "--port", String(first.port), "--count", "6"])
        try client.start()
        defer { client.stop() }
        let lines = Task { () -> [String] in
            var lines: [String] = []
            for await line in client.lines { lines.append(line) }
            return lines
        }
        try await Task.sleep(for: .seconds(1))
        for amount in 2...4 {
            #expect(try await bidder.bid(on: first, lot: lot, amount: "\(amount)", raise: amount > 2) < 300)
        }
        try await Task.sleep(for: .milliseconds(500))
        first.stop()

        // The same database on the same port: sessions were in memory, so log in again.
        let second = try ServerProcess(environment: environment, port: first.port)
        try await second.start()
        defer { second.stop() }
        let (status, body) = try await HTTP.request(
            "POST", second.baseURL.appendingPathComponent("account/token"), form: ["username": bidder.username, "password": "pw"])
        #expect(status == 201)
        let again = Account(username: bidder.username, token: body["access_token"] as? String ?? "")
        for amount in 5...7 {
            #expect(try await again.bid(on: second, lot: lot, amount: "\(amount)", raise: true) == 200)
        }
        let printed: [String]
        do {
            printed = try await within(60, "the client's six events") { await lines.value }
        } catch {
            Issue.record("the client's errors: \(client.errorOutput())")
            throw error
        }
        let seqs = printed.compactMap {
            ((try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any])?["seq"] as? NSNumber
        }.map(\.int64Value)
        #expect(seqs == [1, 2, 3, 4, 5, 6])
        #expect(await client.exitStatus(within: 30) == 0)
        #expect(client.errorOutput().contains("?since=3"))
    }

    @Test func aRefusalAfterConnectingIsRetriedNotFatal() async throws {
        let databases = [Self.temporaryDatabase(), Self.temporaryDatabase()]
        defer { databases.forEach(Self.remove) }
        let first = try ServerProcess(environment: Self.environment(databases[0]))
        try await first.start()
        let owner = try await Account.register(on: first, prefix: "owner")
        let bidder = try await Account.register(on: first, prefix: "bidder")
        let lot = try await owner.createLot(on: first)
        let client = ChildProcess(
            try Executables.url("auction-client"),
            arguments: [String(lot), "--url", "ws://127.0.0.1", "--port", String(first.port)])
        try client.start()
        defer { client.stop() }
        try await Task.sleep(for: .seconds(1))
        #expect(try await bidder.bid(on: first, lot: lot, amount: "2", raise: false) < 300)
        let firstLine = Task { () -> String? in
            for await line in client.lines { return line }
            return nil
        }
        #expect(try await within(30, "the client's first event") { await firstLine.value } != nil)
        first.stop()

        // Another database on the same port: the lot is unknown there, every upgrade is refused.
        let second = try ServerProcess(environment: Self.environment(databases[1]), port: first.port)
        try await second.start()
        defer { second.stop() }
        #expect(await client.exitStatus(within: 4) == nil, "the client gave up")
        #expect(client.errorOutput().contains("refused the connection for now"))
    }
}
