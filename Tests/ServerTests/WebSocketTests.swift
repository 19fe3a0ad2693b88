import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import Synchronization
import Testing
import TestSupport

/// Collects what a test socket receives.
final class Received: Sendable {
    private let messages = Mutex<[String]>([])
    func append(_ text: String) { messages.withLock { $0.append(text) } }
    var all: [String] { messages.withLock { $0 } }
    var events: [[String: Any]] {
        all.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

extension TestClientProtocol {
    /// Opens a socket, proves it is live with ping/pong, signals `ready`, then keeps
    /// the first `count` events it receives.
    func watch(
        _ path: String, headers: HTTPFields = [:], count: Int, into received: Received,
        ready: AsyncStream<Void>.Continuation? = nil
    ) async throws {
        try await ws(path, configuration: WebSocketClientConfiguration(additionalHeaders: headers)) { inbound, outbound, _ in
            try await outbound.write(.text("hello"))  // the original client's greeting: ignored
            try await outbound.write(.text("ping"))
            var events = 0
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message else { continue }
                if text == "pong" {
                    ready?.yield()
                    if count == 0 { return }
                    continue
                }
                received.append(text)
                events += 1
                if events == count { return }
            }
        }
    }
}

@Suite("WebSocket", .timeLimit(.minutes(10)))
struct WebSocketTests {
    @Test(arguments: TestStorage.allCases)
    func liveEventsReachEverySocketInOrder(storage: TestStorage) async throws {
        try await TestApp.run(.live, storage: storage) { client in
            let owner = try await client.register("owner")
            let bidders = [try await client.register("b1"), try await client.register("b2")]
            let lot = try await client.createLot(owner, price: "1")
            let sockets = 3
            let perSocket = 7
            let boxes = (0..<sockets).map { _ in Received() }
            let (readyStream, ready) = AsyncStream<Void>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for box in boxes {
                    group.addTask { try await client.watch("/ws/lots/\(lot)", count: perSocket, into: box, ready: ready) }
                }
                var iterator = readyStream.makeAsyncIterator()
                for _ in 0..<sockets { await iterator.next() }
                for i in 0..<6 {
                    let user = bidders[i % 2]
                    let reply = try await client.bid(user, lot: lot, "\(10 + i)", method: i < 2 ? .post : .patch)
                    #expect(reply.status == .created || reply.status == .ok)
                }
                #expect(try await client.call(.patch, "/lots/\(lot)/status?lot_status=finished", token: owner.token).status == .ok)
                try await group.waitForAll()
            }
            for box in boxes {
                let events = box.events
                #expect(events.map { $0.int("seq") ?? 0 } == Array(1...7))
                #expect(events.prefix(6).allSatisfy { $0.string("type") == "bid_placed" })
                #expect(events.last?.string("type") == "lot_status_changed")
                #expect(box.all.first?.hasPrefix(#"{"type":"bid_placed","lot_id":\#(lot),"bidder":"b1","amount":10,"seq":1,"at":""#) == true)
            }
        }
    }

    @Test(arguments: TestStorage.allCases)
    func sinceReplaysThenGoesLiveWithoutGapOrRepeat(storage: TestStorage) async throws {
        try await TestApp.run(.live, storage: storage) { client in
            let owner = try await client.register("owner")
            let bidder = try await client.register("bidder")
            let lot = try await client.createLot(owner, price: "1")
            #expect(try await client.bid(bidder, lot: lot, "2").status == .created)
            for amount in 3...5 { #expect(try await client.bid(bidder, lot: lot, "\(amount)", method: .patch).status == .ok) }

            let box = Received()
            let (readyStream, ready) = AsyncStream<Void>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Events 3 and 4 from the log, then 5...8 live.
                group.addTask { try await client.watch("/ws/lots/\(lot)?since=2", count: 6, into: box, ready: ready) }
                var iterator = readyStream.makeAsyncIterator()
                await iterator.next()
                for amount in 6...9 { _ = try await client.bid(bidder, lot: lot, "\(amount)", method: .patch) }
                try await group.waitForAll()
            }
            #expect(box.events.map { $0.int("seq") ?? 0 } == [3, 4, 5, 6, 7, 8])
            #expect(box.events.compactMap { $0.number("amount") } == [4, 5, 6, 7, 8, 9])
        }
    }

    /// Issue 10 item 1, as the issue measured it: a socket that has its 101 before
    /// concurrent bids get every accepted bid's event, in order, once. (The race
    /// it fixed is shown deterministically by LotSocketHandlerTests; here, rounds
    /// over a real port.)
    @Test func connectThenConcurrentBidsMissNothing() async throws {
        try await TestApp.run(.live) { client in
            let owner = try await client.register("owner")
            var bidders: [TestUser] = []
            for i in 0..<12 { bidders.append(try await client.register("bidder\(i)")) }
            for _ in 0..<Self.connectThenBidRounds {
                let lot = try await client.createLot(owner, price: "1")
                let box = Received()
                let (upgraded, upgrade) = AsyncStream<Void>.makeStream()
                var accepted = 0
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await client.ws("/ws/lots/\(lot)") { inbound, _, _ in
                            upgrade.yield()  // the 101 has arrived
                            for try await message in inbound.messages(maxSize: 1 << 20) {
                                guard case .text(let text) = message else { continue }
                                box.append(text)
                                if text.contains("lot_status_changed") { return }
                            }
                        }
                    }
                    var iterator = upgraded.makeAsyncIterator()
                    await iterator.next()
                    accepted = try await withThrowingTaskGroup(of: Bool.self) { bids in
                        for (i, bidder) in bidders.enumerated() {
                            bids.addTask { try await client.bid(bidder, lot: lot, "\(2 + i)").status == .created }
                        }
                        return try await bids.reduce(0) { $0 + ($1 ? 1 : 0) }
                    }
                    let finished = try await client.call(.patch, "/lots/\(lot)/status?lot_status=finished", token: owner.token)
                    #expect(finished.status == .ok)
                    try await group.waitForAll()
                }
                #expect(accepted > 0)
                #expect(box.events.map { $0.int("seq") ?? 0 } == Array(1...Int64(accepted + 1)), "lot \(lot)")
            }
        }
    }

    static let connectThenBidRounds = 20

    /// An upgrade request as a browser sends it, on a connection of its own.
    static func upgradeRequest(_ path: String) -> String {
        "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    }

    @Test(
        "unknown lots, bad since and other paths are refused before the upgrade, as HTTP errors",
        arguments: [("/ws/lots/999", 404), ("/ws/lots/abc", 404), ("/ws/lots/1?since=-1", 422), ("/ws/other", 404)])
    func refused(path: String, status: Int) async throws {
        try await TestApp.run(.live) { client in
            let owner = try await client.register("owner")
            #expect(try await client.createLot(owner) == 1)
            await #expect(throws: (any Error).self) {
                try await client.ws(path) { _, _, _ in }
            }
            let port = try #require(client.port)
            let answer = try await LocalSocket.exchange(port: port, request: Self.upgradeRequest(path))
            #expect(answer.hasPrefix("HTTP/1.1 \(status) "))
            #expect(answer.lowercased().contains("content-type: application/json"))
            #expect(answer.contains(#"{"detail":""#))
            #expect(try await client.call(.get, path).status.code == status)
        }
    }

    @Test func aPlainRequestForALotSocketIsToldToUpgrade() async throws {
        try await TestApp.run(.live) { client in
            let owner = try await client.register("owner")
            let lot = try await client.createLot(owner)
            let plain = try await client.call(.get, "/ws/lots/\(lot)")
            #expect(plain.status == .upgradeRequired)
            #expect(plain.headers[.upgrade] == "websocket")
        }
    }
}
