import AuctionCore
@testable import AuctionServer
import Foundation
import TestSupport
import Testing

/// `auction-client register | login | lots | bid`, run as a user runs them
/// against a live server: readable lines, `--json` for scripts, the token saved
/// under XDG_CONFIG_HOME with mode 0600, colour only on a terminal without NO_COLOR.
@Suite("auction-client subcommands")
struct ClientCommandTests {
    /// The client's environment: its own config folder, no token from outside.
    struct User {
        let port: Int
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("client-config-\(UUID())").path
        var environment: [String: String] { ["XDG_CONFIG_HOME": config, "AUCTION_TOKEN": "", "AUCTION_PASSWORD": ""] }
        var server: [String] { ["--url", "http://127.0.0.1", "--port", String(port)] }

        func run(_ arguments: [String], _ extra: [String: String] = [:]) async throws -> FinishedProcess {
            try await FinishedProcess.run(
                Executables.url("auction-client"), arguments + server, environment: environment.merging(extra) { $1 })
        }

        /// The client under a pseudo-terminal (util-linux `script`), as a person runs it.
        func runOnATerminal(_ arguments: [String], _ extra: [String: String]) async throws -> String {
            let command = ([try Executables.url("auction-client").path] + arguments + server).joined(separator: " ")
            let run = try await FinishedProcess.run(
                URL(fileURLWithPath: "/usr/bin/script"), ["-q", "-e", "-c", command, "/dev/null"],
                environment: environment.merging(extra) { $1 })
            #expect(run.status == 0, "\(run.errors)")
            return run.output
        }
    }

    static func json(_ line: String?) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try #require(line).utf8))
    }

    @Test func registerLoginLotsBid() async throws {
        try await TestApp.run(.live) { client in
            let user = User(port: try #require(client.port))
            defer { try? FileManager.default.removeItem(atPath: user.config) }

            let registered = try await user.run(["register", "alice", "--password", "wonderland"])
            #expect(registered.status == 0 && registered.lines.count == 1)
            #expect(registered.lines.first?.hasPrefix("registered alice (id ") == true, "\(registered.lines)")
            let again = try await user.run(["register", "alice", "--json"], ["AUCTION_PASSWORD": "wonderland"])
            #expect(again.status == 1 && again.lines.isEmpty && again.errors.hasSuffix("(HTTP 409)\n"), "\(again.errors)")

            let loggedIn = try await user.run(["login", "alice", "--password", "wonderland"])
            #expect(loggedIn.status == 0)
            let tokens = user.config + "/auction-client/tokens.json"
            let mode = try FileManager.default.attributesOfItem(atPath: tokens)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            #expect(loggedIn.lines == ["logged in as alice on http://127.0.0.1:\(user.port); token saved in \(tokens)"])

            let seller = try await client.register("seller")
            let lot = try await client.createLot(seller, price: "10.50")

            let listed = try await user.run(["lots", "--json"])
            let lots = try #require(try Self.json(listed.lines.first) as? [[String: Any]])
            #expect(listed.status == 0 && lots.compactMap { ($0["id"] as? NSNumber)?.int64Value } == [lot])
            let readable = try await user.run(["lots"])
            #expect(readable.lines == ["#\(lot)  Lot  10.50  running  0 bids"])

            let placed = try await user.run(["bid", String(lot), "11"])
            #expect(placed.status == 0 && placed.lines.first?.hasPrefix("bid 11.00 on lot \(lot) accepted (bid #") == true, "\(placed)")
            let raised = try await user.run(["bid", String(lot), "12.5", "--raise", "--json"])
            let bid = try #require(try Self.json(raised.lines.first) as? [String: Any])
            #expect(raised.status == 0 && (bid["amount"] as? NSNumber)?.doubleValue == 12.5 && bid["bidder"] as? String == "alice")
            let tooLow = try await user.run(["bid", String(lot), "12", "--raise"])
            #expect(tooLow.status == 1 && tooLow.errors.contains("(HTTP 400)"), "\(tooLow.errors)")

            // What the server holds is what the client said.
            let held = try await client.lot(lot)
            #expect(held.highestPrice == Decimal(string: "12.5") && held.highestBidder == "alice")
        }
    }

    @Test func aTokenPrintedForTheEnvironmentIsUsedAndNothingIsSaved() async throws {
        try await TestApp.run(.live) { client in
            let user = User(port: try #require(client.port))
            defer { try? FileManager.default.removeItem(atPath: user.config) }
            _ = try await client.register("bob", password: "builder-pw")
            let seller = try await client.register("seller")
            let lot = try await client.createLot(seller)

            let printed = try await user.run(["login", "bob", "--print-token"], ["AUCTION_PASSWORD": "builder-pw"])
            let token = try #require(printed.lines.first)
            #expect(printed.status == 0 && printed.lines.count == 1 && token.split(separator: ".").count == 3)
            #expect(!FileManager.default.fileExists(atPath: user.config))

            let refused = try await user.run(["bid", String(lot), "11"])
            #expect(refused.status == 1 && refused.errors.contains("not logged in"), "\(refused.errors)")
            let placed = try await user.run(["bid", String(lot), "11"], ["AUCTION_TOKEN": token])
            #expect(placed.status == 0, "\(placed.errors)")
            #expect(try await client.lot(lot).highestBidder == "bob")
        }
    }

    @Test func colourOnATerminalUnlessNoColor() async throws {
        try await TestApp.run(.live) { client in
            let user = User(port: try #require(client.port))
            let seller = try await client.register("seller")
            _ = try await client.createLot(seller)
            // A terminal that can colour, whatever the test runner's own TERM and NO_COLOR.
            let terminal = ["TERM": "xterm-256color", "NO_COLOR": ""]
            let coloured = try await user.runOnATerminal(["lots"], terminal)
            #expect(coloured.contains("\u{1B}[1m#") && coloured.contains("\u{1B}[32mrunning\u{1B}[0m"), "\(coloured)")
            let plain = try await user.runOnATerminal(["lots"], terminal.merging(["NO_COLOR": "1"]) { $1 })
            #expect(plain.contains("running") && !plain.contains("\u{1B}"), "\(plain)")
            // Through a pipe there is no colour either.
            let piped = try await user.run(["lots"])
            #expect(piped.lines.count == 1 && !piped.lines[0].contains("\u{1B}"))
        }
    }

    @Test func wssDefaultsToPort443() async throws {
        // Nothing answers TLS on 443 here: the client says where it tried.
        let child = ChildProcess(try Executables.url("auction-client"), arguments: ["1", "--url", "wss://localhost"])
        try child.start()
        defer { child.stop() }
        let errors = try await offThePool { child.errorOutput() }
        #expect(errors.hasPrefix("auction-client: connection to wss://localhost:443/ws/lots/1 failed: "), "\(errors)")
    }

    @Test func completionScriptsNameTheSubcommands() async throws {
        let run = try await FinishedProcess.run(Executables.url("auction-client"), ["--generate-completion-script", "bash"])
        #expect(run.status == 0)
        for name in ["register", "login", "lots", "bid", "watch"] { #expect(run.output.contains(name), "\(name)") }
    }
}
