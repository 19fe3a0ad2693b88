import AuctionCore
@testable import AuctionServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import JWTKit
import Testing
import TestSupport

@Suite("WebSocket /ws/me", .timeLimit(.minutes(10)))
struct UserSocketTests {
    /// Ann bids, Bob outbids her `times` times (each an `outbid` for Ann), starting at `from`.
    static func outbid(
        _ ann: TestUser, by bob: TestUser, lot: Int64, times: Int, from: Int, client: some TestClientProtocol
    ) async throws {
        for i in 0..<times {
            let amount = from + 2 * i
            #expect(try await client.bid(bob, lot: lot, "\(amount + 1)", method: .patch).status == .ok)
            #expect(try await client.bid(ann, lot: lot, "\(amount + 2)", method: .patch).status == .ok)
        }
    }

    @Test("?since replays the user's log, then live events follow, without gap or repeat; token by query or subprotocol",
          arguments: TestStorage.allCases, [false, true])
    func replayThenLive(storage: TestStorage, subprotocol: Bool) async throws {
        try await TestApp.run(.live, storage: storage) { client in
            let owner = try await client.register("owner")
            let ann = try await client.register("ann")
            let bob = try await client.register("bob")
            let lot = try await client.createLot(owner, price: "1")
            #expect(try await client.bid(ann, lot: lot, "2").status == .created)
            #expect(try await client.bid(bob, lot: lot, "3").status == .created)  // ann's outbid 1
            #expect(try await client.bid(ann, lot: lot, "4", method: .patch).status == .ok)
            try await Self.outbid(ann, by: bob, lot: lot, times: 2, from: 4, client: client)  // 2, 3

            let box = Received()
            let (readyStream, ready) = AsyncStream<Void>.makeStream()
            let path = subprotocol ? "/ws/me?since=1" : "/ws/me?since=1&token=\(ann.token)"
            let headers: HTTPFields = subprotocol ? [.secWebSocketProtocol: "bearer, \(ann.token)"] : [:]
            try await withThrowingTaskGroup(of: Void.self) { group in
                // 2 and 3 from the log, then 4...6 live.
                group.addTask {
                    try await client.watch(path, headers: headers, count: 5, into: box, ready: ready)
                }
                var iterator = readyStream.makeAsyncIterator()
                await iterator.next()
                try await Self.outbid(ann, by: bob, lot: lot, times: 3, from: 8, client: client)
                try await group.waitForAll()
            }
            #expect(box.events.map { $0.int("seq") ?? 0 } == [2, 3, 4, 5, 6])
            #expect(box.events.allSatisfy { $0.string("type") == "outbid" && $0.string("by") == "bob" })
            #expect(box.events.compactMap { $0.number("amount") } == [5, 7, 9, 11, 13])
        }
    }

    @Test func theSubprotocolIsAnswered() async throws {
        try await TestApp.run(.live) { client in
            let ann = try await client.register("ann")
            let port = try #require(client.port)
            let request = WebSocketTests.upgradeRequest("/ws/me")
                .replacingOccurrences(of: "\r\n\r\n", with: "\r\nSec-WebSocket-Protocol: bearer, \(ann.token)\r\n\r\n")
            let answer = try await LocalSocket.exchange(port: port, request: request)
            #expect(answer.hasPrefix("HTTP/1.1 101 "))
            #expect(answer.lowercased().contains("sec-websocket-protocol: bearer\r\n"))
        }
    }

    @Test("missing, bad, expired and revoked tokens are refused with 401 before the upgrade")
    func refusedTokens() async throws {
        let settings = try TestApp.settings()
        try await TestApp.run(.live, settings: settings) { client in
            let ann = try await client.register("ann")
            let keys = JWTKeyCollection()
            await keys.add(hmac: HMACKey(from: settings.jwt.secret), digestAlgorithm: .sha256)
            var claims = try await keys.verify(ann.token, as: TokenClaims.self)
            claims.exp = ExpirationClaim(value: Date().addingTimeInterval(-60))
            let expired = try await keys.sign(claims)
            let revoked = try await client.call(.post, "/account/token", .form(["username": "ann", "password": "secret-pw"]))
                .decoded(TokenBody.self).accessToken
            #expect(try await client.call(.delete, "/account/token", token: revoked).status == .ok)

            let port = try #require(client.port)
            let paths = ["/ws/me", "/ws/me?token=", "/ws/me?token=not.a.jwt", "/ws/me?token=\(expired)", "/ws/me?token=\(revoked)"]
            for path in paths {
                let answer = try await LocalSocket.exchange(port: port, request: WebSocketTests.upgradeRequest(path))
                #expect(answer.hasPrefix("HTTP/1.1 401 "), "\(path)")
                #expect(answer.contains(#"{"detail":""#), "\(path)")
                #expect(try await client.call(.get, path).status == .unauthorized, "\(path)")
            }
            let viaProtocol = WebSocketTests.upgradeRequest("/ws/me")
                .replacingOccurrences(of: "\r\n\r\n", with: "\r\nSec-WebSocket-Protocol: bearer, \(revoked)\r\n\r\n")
            #expect(try await LocalSocket.exchange(port: port, request: viaProtocol).hasPrefix("HTTP/1.1 401 "))
            let badSince = try await LocalSocket.exchange(port: port, request: WebSocketTests.upgradeRequest("/ws/me?since=-1&token=\(ann.token)"))
            #expect(badSince.hasPrefix("HTTP/1.1 422 "))
            #expect(try await client.call(.get, "/ws/me?token=\(ann.token)").status == .upgradeRequired)
        }
    }

    @Test func aTokenRevokedWhileOpenClosesTheSocketWith4401() async throws {
        try await TestApp.run(.live) { client in
            let ann = try await client.register("ann")
            let (readyStream, ready) = AsyncStream<Void>.makeStream()
            let close = try await withThrowingTaskGroup(of: WebSocketCloseFrame?.self) { group in
                group.addTask {
                    try await client.ws("/ws/me?token=\(ann.token)") { inbound, outbound, _ in
                        try await outbound.write(.text("ping"))
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            if case .text("pong") = message { ready.yield() }
                        }
                    }
                }
                var iterator = readyStream.makeAsyncIterator()
                await iterator.next()
                #expect(try await client.call(.delete, "/account/token", token: ann.token).status == .ok)
                return try await group.next() ?? nil
            }
            #expect(close?.closeCode == .unknown(4401))
        }
    }
}
