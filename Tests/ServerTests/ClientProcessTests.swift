import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The command-line client, run as a process against a live server.
@Suite("auction-client")
struct ClientProcessTests {
    /// Reads lines until `count` arrived or the deadline passed.
    static func read(_ child: ChildProcess, count: Int, within seconds: Double) async -> [String] {
        await withTaskGroup(of: [String].self) { group in
            group.addTask {
                var lines: [String] = []
                for await line in child.lines {
                    lines.append(line)
                    if lines.count == count { break }
                }
                return lines
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return []
            }
            let first = await group.next() ?? []
            group.cancelAll()
            return first
        }
    }

    @Test func printsTheEventsOfBidsPlaced() async throws {
        let binary = try Executables.url("auction-client")
        try await TestApp.run(.live) { client in
            let port = try #require(client.port)
            let owner = try await client.register("seller")
            let bidder = try await client.register("buyer")
            let lot = try await client.createLot(owner, price: "1")
            #expect(try await client.bid(bidder, lot: lot, "2").status == .created)

            // --since 0 replays the first event, then the live ones follow.
            let child = ChildProcess(
                binary, arguments: [String(lot), "--url", "ws://127.0.0.1", "--port", String(port), "--since", "0", "--count", "3"])
            try child.start()
            defer { child.stop() }
            async let lines = Self.read(child, count: 3, within: 30)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await client.bid(bidder, lot: lot, "3", method: .patch).status == .ok)
            #expect(try await client.bid(bidder, lot: lot, "4.5", method: .patch).status == .ok)
            let printed = await lines
            let events = printed.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(events.compactMap { ($0["seq"] as? NSNumber)?.intValue } == [1, 2, 3])
            #expect(events.allSatisfy { $0["type"] as? String == "bid_placed" && $0["bidder"] as? String == "buyer" })
            #expect(printed.last?.contains(#""amount":4.5"#) == true)
        }
    }

    @Test func refusesAnUnknownLot() async throws {
        let binary = try Executables.url("auction-client")
        try await TestApp.run(.live) { client in
            let port = try #require(client.port)
            let child = ChildProcess(binary, arguments: ["4242", "--port", String(port), "--url", "ws://127.0.0.1"])
            try child.start()
            defer { child.stop() }
            #expect(await child.exitStatus(within: 30) == 1)
        }
    }
}
