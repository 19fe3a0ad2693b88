import Foundation
import HummingbirdWSClient
import Logging
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension CrashTests {
    /// Watches a lot until the server closes the socket; the close frame's code.
    static func closeCode(_ url: String, ready: AsyncStream<Void>.Continuation) async throws -> String {
        var logger = Logger(label: "watcher")
        logger.logLevel = .critical
        let frame = try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
            try await outbound.write(.text("ping"))
            for try await message in inbound.messages(maxSize: 1 << 20) {
                if case .text("pong") = message { ready.yield() }
            }
        }
        return frame.map { String(describing: $0.closeCode) } ?? "no close frame"
    }

    @Test("SIGTERM under load: in-flight bids answered, sockets closed 1001, exit 0")
    func terminated() async throws {
        let database = ClientReconnectTests.temporaryDatabase()
        defer { ClientReconnectTests.remove(database) }
        let environment = ClientReconnectTests.environment(database)
        let server = try ServerProcess(environment: environment)
        defer { server.stop() }
        try await server.start()
        let (lot, bidders) = try await Self.lot(bidders: 16, on: { _ in server })

        let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
        let sockets = (0..<3).map { _ in
            Task { try await Self.closeCode("\(server.socketBase)/ws/lots/\(lot)", ready: readyContinuation) }
        }
        var readiness = ready.makeAsyncIterator()
        for _ in sockets { _ = await readiness.next() }
        let load = BidLoad(lot: lot)
        let bidding = Task { await load.run(bidders: bidders, until: .now + .seconds(120)) { _ in (0, server) } }
        try await Task.sleep(for: .seconds(2))
        server.send(SIGTERM)
        // Hummingbird's drain has no timeout of its own: 30 s is far past the longest
        // request (the store's 5 s timeout) a drain waits for.
        let exit = await server.exitStatus(within: 30)
        load.stop()
        await bidding.value
        #expect(exit == 0 && server.child.process.terminationReason == .exit, "exit \(String(describing: exit))")
        for socket in sockets {
            let code = try await socket.value
            #expect(code == "goingAway", "close: \(code)")
        }

        // Every bid the server committed was answered: the log holds exactly the acknowledged ones.
        let reopened = try ServerProcess(environment: environment)
        defer { reopened.stop() }
        try await reopened.start()
        let log = try await EventLog.read(reopened, lot: lot)
        let acknowledged = load.acknowledged
        log.expectHolds(acknowledged, price: try await reopened.price(of: lot))
        #expect(log.events.filter { $0.type == "bid_placed" }.count == acknowledged.count, "bids committed without an answer")
        #expect(!acknowledged.isEmpty)
        print("SIGTERM: \(load.results.count) bids sent, \(acknowledged.count) acknowledged, \(load.results.filter { $0.status == nil }.count) unanswered (none of them committed), exit \(String(describing: exit))")
    }

    /// NIO drops a connection accepted while its listener closes, before it is
    /// handed over (apple/swift-nio#2813); its activation trapped the server.
    /// Every role: the API alone serves plain HTTP/1 connections, the others sockets too.
    @Test("SIGTERM while connections arrive: exit 0", arguments: ["all", "all", "all", "api"])
    func terminatedWhileConnecting(role: String) async throws {
        let database = ClientReconnectTests.temporaryDatabase()
        defer { ClientReconnectTests.remove(database) }
        var environment = ClientReconnectTests.environment(database)
        environment["SERVER_ROLE"] = role
        let server = try ServerProcess(environment: environment)
        defer { server.stop() }
        try await server.start()
        let burst = ConnectionBurst(port: server.port)
        defer { burst.close() }
        let connecting = Task { await burst.run() }
        while burst.opened < 20 { try await Task.sleep(for: .milliseconds(5)) }
        server.send(SIGTERM)
        let exit = await server.exitStatus(within: 30)
        burst.stop()
        await connecting.value
        #expect(
            exit == 0 && server.child.process.terminationReason == .exit,
            "exit \(String(describing: exit)) with \(burst.opened) connections: \(server.child.errorOutput().prefix(300))")
        print("SIGTERM while connecting (\(role)): \(burst.opened) connections opened, exit \(String(describing: exit))")
    }
}
