import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// `--url` as the original client took it (a host), and as a ws:// URL.
@Suite("auction-client --url")
struct ClientURLTests {
    @Test(arguments: ["127.0.0.1", "ws://127.0.0.1"])
    func connectsWithAHostOrAURL(url: String) async throws {
        let binary = try Executables.url("auction-client")
        try await TestApp.run(.live) { client in
            let port = try #require(client.port)
            // One event in the lot's log: its owner finishes it.
            let owner = try await client.register("owner")
            let lot = try await client.createLot(owner)
            let finished = try await client.call(.patch, "/lots/\(lot)/status?lot_status=finished", token: owner.token)
            #expect(finished.status == .ok)
            let watcher = ChildProcess(
                binary, arguments: [String(lot), "--since", "0", "--count", "1", "--port", String(port), "--url", url])
            try watcher.start()
            defer { watcher.stop() }
            let printed = await ClientProcessTests.read(watcher, count: 1, within: 30)
            #expect(printed.count == 1 && printed[0].contains(#""type":"lot_status_changed""#), "\(printed)")
        }
    }

    @Test func refusesAnotherScheme() async throws {
        let binary = try Executables.url("auction-client")
        let child = ChildProcess(binary, arguments: ["1", "--url", "ftp://127.0.0.1"])
        try child.start()
        defer { child.stop() }
        #expect(await child.exitStatus(within: 30) == 64)
    }
}
