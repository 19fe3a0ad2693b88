import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import Synchronization
import Testing

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
        _ path: String, count: Int, into received: Received, ready: AsyncStream<Void>.Continuation? = nil
    ) async throws {
        try await ws(path) { inbound, outbound, _ in
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

@Suite("WebSocket")
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

    @Test("unknown lots and bad since are refused before the upgrade", arguments: ["/ws/lots/999", "/ws/lots/abc", "/ws/lots/1?since=-1"])
    func refused(path: String) async throws {
        try await TestApp.run(.live) { client in
            let owner = try await client.register("owner")
            _ = try await client.createLot(owner)
            await #expect(throws: (any Error).self) {
                try await client.ws(path) { _, _, _ in }
            }
            let plain = try await client.call(.get, path)
            #expect([.notFound, .unprocessableContent].contains(plain.status))
        }
    }
}

@Suite("WebSocket hub")
struct WebSocketHubTests {
    /// A store wrapper is not needed: the hub reads missed events from a real store.
    static func store() async throws -> (any AuctionStore, String) {
        let settings = TestApp.settings()
        let store = try BackendFactory.makeStore(settings: settings, logger: .init(label: "test"))
        try await store.migrate()
        return (store, settings.sqlitePath)
    }

    @Test func fillsGapsFromTheLogAndDropsRepeats() async throws {
        let (store, _) = try await Self.store()
        let owner = try await store.createUser(username: "o", passwordHash: "x")
        let bidder = try await store.createUser(username: "b", passwordHash: "x")
        let lot = try await store.createLot(NewLot(title: "t", description: "d", startingPrice: Money(cents: 100), ownerID: owner.id), now: Date())
        let hub = WebSocketHub(store: store, logger: .init(label: "test"))
        let (stream, feed) = AsyncStream<SocketMessage>.makeStream(bufferingPolicy: .bufferingOldest(100))
        let joined = try await hub.join(lotID: lot.id, feed: feed)
        #expect(joined.after == 0)
        var records: [EventRecord] = []
        for (i, cents) in [200, 300, 400].enumerated() {
            let outcome = try await store.placeBid(
                lotID: lot.id, bidderID: bidder.id, amount: Money(cents: Int64(cents)), mode: i == 0 ? .create : .raise, now: Date())
            records += outcome.events
        }
        // The broker lost event 2 and repeats event 1; event 3 arrives.
        await hub.deliver(records[0])
        await hub.deliver(records[0])
        await hub.deliver(records[2])
        feed.finish()
        var seqs: [Int64] = []
        for await case .event(let event) in stream { seqs.append(event.seq) }
        #expect(seqs == [1, 2, 3])
    }

    @Test func resyncDeliversALostLastEvent() async throws {
        let (store, _) = try await Self.store()
        let owner = try await store.createUser(username: "o", passwordHash: "x")
        let bidder = try await store.createUser(username: "b", passwordHash: "x")
        let lot = try await store.createLot(NewLot(title: "t", description: "d", startingPrice: Money(cents: 100), ownerID: owner.id), now: Date())
        let hub = WebSocketHub(store: store, logger: .init(label: "test"))
        let (stream, feed) = AsyncStream<SocketMessage>.makeStream(bufferingPolicy: .bufferingOldest(100))
        _ = try await hub.join(lotID: lot.id, feed: feed)
        _ = try await store.placeBid(lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 500), mode: .create, now: Date())
        await hub.resync()
        feed.finish()
        var seqs: [Int64] = []
        for await case .event(let event) in stream { seqs.append(event.seq) }
        #expect(seqs == [1])
    }

    @Test func aSocketThatFallsBehindIsDroppedAndOthersAreNot() async throws {
        let (store, _) = try await Self.store()
        let hub = WebSocketHub(store: store, logger: .init(label: "test"))
        let lotID: Int64 = 1
        let (slow, slowFeed) = AsyncStream<SocketMessage>.makeStream(bufferingPolicy: .bufferingOldest(4))
        let (fast, fastFeed) = AsyncStream<SocketMessage>.makeStream(bufferingPolicy: .bufferingOldest(100))
        _ = try await hub.join(lotID: lotID, feed: slowFeed)
        _ = try await hub.join(lotID: lotID, feed: fastFeed)
        for seq in Int64(1)...10 {
            await hub.deliver(EventRecord(lotID: lotID, seq: seq, json: "{\"seq\":\(seq)}"))
        }
        fastFeed.finish()
        var slowCount = 0
        for await _ in slow { slowCount += 1 }  // ends: the hub finished it
        var fastCount = 0
        for await _ in fast { fastCount += 1 }
        #expect(slowCount == 4)
        #expect(fastCount == 10)
        #expect(await hub.socketCount == 1)
    }
}
