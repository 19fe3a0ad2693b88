import HummingbirdTesting
import Testing
import TestSupport

/// Issue 10 item 2: pooled clients (aiohttp's ClientSession, among most) upgrade
/// a keep-alive connection that has already carried HTTP requests.
@Suite("WebSocket upgrade on a used connection", .timeLimit(.minutes(10)))
struct UpgradeOnAUsedConnectionTests {
    static func get(_ path: String) -> String { "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" }

    /// Two requests on one connection, both answered (keep-alive), the second
    /// pipelined behind the first.
    static func twoRequests(on connection: LocalSocket.Connection, lot: Int64) async throws {
        try await connection.send(get("/healthz") + get("/lots/\(lot)"))
        let health = try await connection.readResponse()
        #expect(health.head.hasPrefix("HTTP/1.1 200 "))
        #expect(health.body == #"{"status":"ok"}"#)
        let lotReply = try await connection.readResponse()
        #expect(lotReply.head.hasPrefix("HTTP/1.1 200 "))
        #expect(lotReply.body.contains(#""id":\#(lot)"#))
    }

    @Test func anUpgradeAfterTwoRequestsGetsItsSocketAndEvents() async throws {
        try await TestApp.run(.live) { client in
            let owner = try await client.register("owner")
            let bidder = try await client.register("bidder")
            let lot = try await client.createLot(owner, price: "1")
            let connection = try LocalSocket.Connection(port: try #require(client.port))
            try await Self.twoRequests(on: connection, lot: lot)

            try await connection.send(WebSocketTests.upgradeRequest("/ws/lots/\(lot)"))
            let upgrade = try await connection.readResponse()
            #expect(upgrade.head.hasPrefix("HTTP/1.1 101 "))
            // RFC 6455's example key and its accept value.
            #expect(upgrade.head.lowercased().contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="))

            try await connection.sendText("ping")
            let pong = try await connection.readFrame()
            #expect(pong.opcode == 0x1 && pong.text == "pong")
            #expect(try await client.bid(bidder, lot: lot, "2").status == .created)
            let event = try await connection.readFrame()
            #expect(event.opcode == 0x1)
            #expect(event.text.hasPrefix(#"{"type":"bid_placed","lot_id":\#(lot),"bidder":"bidder","amount":2,"seq":1,"#))
        }
    }

    @Test func aRefusedUpgradeAfterRequestsIsStillItsJSONError() async throws {
        try await TestApp.run(.live) { client in
            let owner = try await client.register("owner")
            let lot = try await client.createLot(owner)
            let connection = try LocalSocket.Connection(port: try #require(client.port))
            try await Self.twoRequests(on: connection, lot: lot)

            try await connection.send(WebSocketTests.upgradeRequest("/ws/lots/999"))
            let refusal = try await connection.readResponse()
            #expect(refusal.head.hasPrefix("HTTP/1.1 404 "))
            #expect(refusal.head.lowercased().contains("content-type: application/json"))
            #expect(refusal.body == #"{"detail":"Lot not found"}"#)
            #expect(try await connection.readsEnd())
        }
    }

    @Test func aHandshakeWithoutItsKeyIsA400() async throws {
        try await TestApp.run(.live) { client in
            let owner = try await client.register("owner")
            let lot = try await client.createLot(owner)
            let connection = try LocalSocket.Connection(port: try #require(client.port))
            try await connection.send(
                "GET /ws/lots/\(lot) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
            let refusal = try await connection.readResponse()
            #expect(refusal.head.hasPrefix("HTTP/1.1 400 "))
            #expect(refusal.body.hasPrefix(#"{"detail":"Not a WebSocket handshake"#))
        }
    }
}
