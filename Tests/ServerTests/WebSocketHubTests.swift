import AuctionCore
@testable import AuctionServer
import Foundation
import Testing

/// A stream as a hub sink: refuses (and ends) once its buffer is full, as a
/// socket that fell behind does.
extension AsyncStream<EventRecord>.Continuation: EventSink {
    public func offer(_ event: EventRecord) -> Bool {
        if case .enqueued = yield(event) { return true }
        finish()
        return false
    }

    public func checkAlive() {}

    public func close(code: Int, reason: String) { finish() }
}

@Suite("WebSocket hub")
struct WebSocketHubTests {
    /// A store wrapper is not needed: the hub reads missed events from a real store.
    static func store() async throws -> (any AuctionStore, String) {
        let settings = try TestApp.settings()
        let store = try BackendFactory.makeStore(settings.storage, logger: .init(label: "test"))
        try await store.migrate()
        return (store, settings.sqlitePath)
    }

    /// A store with one lot and a bidder who does not own it.
    static func lotWithBidder() async throws -> (store: any AuctionStore, lot: Lot, bidder: User) {
        let (store, _) = try await store()
        let owner = try await store.createUser(username: "o", passwordHash: "x")
        let bidder = try await store.createUser(username: "b", passwordHash: "x")
        let lot = try await store.createLot(
            NewLot(title: "t", description: "d", startingPrice: Money(cents: 100), ownerID: owner.id), now: Date())
        return (store, lot, bidder)
    }

    @Test func fillsGapsFromTheLogAndDropsRepeats() async throws {
        let (store, lot, bidder) = try await Self.lotWithBidder()
        let hub = WebSocketHub(store: store, logger: .init(label: "test"))
        let (stream, feed) = AsyncStream<EventRecord>.makeStream(bufferingPolicy: .bufferingOldest(100))
        let joined = try await hub.join(stream: .lot(lot.id), feed: feed)
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
        for await event in stream { seqs.append(event.seq) }
        #expect(seqs == [1, 2, 3])
    }

    @Test func resyncDeliversALostLastEvent() async throws {
        let (store, lot, bidder) = try await Self.lotWithBidder()
        let hub = WebSocketHub(store: store, logger: .init(label: "test"))
        let (stream, feed) = AsyncStream<EventRecord>.makeStream(bufferingPolicy: .bufferingOldest(100))
        _ = try await hub.join(stream: .lot(lot.id), feed: feed)
        _ = try await store.placeBid(lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 500), mode: .create, now: Date())
        await hub.resync()
        feed.finish()
        var seqs: [Int64] = []
        for await event in stream { seqs.append(event.seq) }
        #expect(seqs == [1])
    }

    @Test func aSocketThatRefusesIsForgottenAndOthersAreNot() async throws {
        let (store, _) = try await Self.store()
        let hub = WebSocketHub(store: store, logger: .init(label: "test"))
        let lotID: Int64 = 1
        let (slow, slowFeed) = AsyncStream<EventRecord>.makeStream(bufferingPolicy: .bufferingOldest(4))
        let (fast, fastFeed) = AsyncStream<EventRecord>.makeStream(bufferingPolicy: .bufferingOldest(100))
        _ = try await hub.join(stream: .lot(lotID), feed: slowFeed)
        _ = try await hub.join(stream: .lot(lotID), feed: fastFeed)
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
