import AuctionCore
@testable import AuctionServer
import Foundation
import InMemoryBroker
import NIOCore
import NIOEmbedded
import NIOWebSocket
import ServiceLifecycle
import Testing

/// One lot socket on a testing channel, with a real store and hub behind it.
struct SocketRig {
    let channel: NIOAsyncTestingChannel
    let hub: WebSocketHub
    let store: any AuctionStore
    let lotID: Int64
    let bidderID: Int64

    /// `bidsBefore` are placed before the upgrade is decided; `bidsBeforeJoin` after
    /// it, each handed to the hub, before the socket joins the hub.
    static func open(
        since: Int64? = nil, bufferLimit: Int = 100, bidsBefore: Int = 0, bidsBeforeJoin: Int = 0
    ) async throws -> SocketRig {
        let (store, lot, bidder) = try await WebSocketHubTests.lotWithBidder()
        let hub = WebSocketHub(store: store, logger: .init(label: "test"))
        for _ in 0..<bidsBefore { _ = try await bid(store: store, lotID: lot.id, bidderID: bidder.id) }
        let query = since.map { "?since=\($0)" } ?? ""
        let start = try await LotSocketRequest(target: "/ws/lots/\(lot.id)\(query)").start(in: store)
        for _ in 0..<bidsBeforeJoin {
            for event in try await bid(store: store, lotID: lot.id, bidderID: bidder.id) { await hub.deliver(event) }
        }
        let environment = LotSocketHandler.Environment(
            store: store, hub: hub, bufferLimit: bufferLimit, perAddress: SocketsPerAddress(cap: 10),
            logger: .init(label: "test"))
        let lotID = lot.id
        let channel = try await NIOAsyncTestingChannel { channel in
            try channel.pipeline.syncOperations.addHandler(
                LotSocketHandler(stream: .lot(lotID), start: start, environment: environment))
        }
        let rig = SocketRig(channel: channel, hub: hub, store: store, lotID: lot.id, bidderID: bidder.id)
        try await rig.channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 9))
        try await rig.until("the socket joined") { await hub.socketCount == 1 }
        return rig
    }

    /// Places the next bid on the lot (each one cent above the last) and returns its events.
    @discardableResult
    func bid() async throws -> [EventRecord] {
        try await Self.bid(store: store, lotID: lotID, bidderID: bidderID)
    }

    static func bid(store: any AuctionStore, lotID: Int64, bidderID: Int64) async throws -> [EventRecord] {
        let lot = try #require(try await store.lot(id: lotID))
        let amount = Money(cents: max(lot.highestPrice.cents, lot.startingPrice.cents) + 1)
        let mode: BidMode = lot.bidCount == 0 ? .create : .raise
        return try await store.placeBid(lotID: lotID, bidderID: bidderID, amount: amount, mode: mode, now: Date()).events
    }

    /// The next frame the socket writes (failing after 60 s). Polled: a waiting
    /// `waitForOutboundWrite` ignores cancellation, so a missing frame would hang.
    func nextFrame() async throws -> WebSocketFrame {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            if let frame = try await channel.readOutbound(as: WebSocketFrame.self) { return frame }
            guard ContinuousClock.now < deadline else { throw TimedOut(what: "a frame") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func nextSeqs(_ count: Int) async throws -> [Int64] {
        var seqs: [Int64] = []
        for _ in 0..<count {
            let frame = try await nextFrame()
            #expect(frame.opcode == .text)
            let object = try JSONSerialization.jsonObject(with: Data(String(buffer: frame.unmaskedData).utf8)) as? [String: Any]
            seqs.append((object?["seq"] as? NSNumber)?.int64Value ?? -1)
        }
        return seqs
    }

    func send(_ opcode: WebSocketOpcode, _ text: String = "", fin: Bool = true) async throws {
        try await channel.writeInbound(WebSocketFrame(fin: fin, opcode: opcode, data: ByteBuffer(string: text)))
    }

    func until(_ what: String, _ condition: @Sendable () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while await !condition() {
            guard ContinuousClock.now < deadline else { throw TimedOut(what: what) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    struct TimedOut: Error { let what: String }
}

extension WebSocketFrame {
    /// The close code and reason of a close frame.
    var close: (code: Int, reason: String)? {
        guard opcode == .connectionClose else { return nil }
        var data = unmaskedData
        guard let code = data.readWebSocketErrorCode() else { return nil }
        return (Int(UInt16(webSocketErrorCode: code)), String(buffer: data))
    }
}

@Suite("Lot socket handler")
struct LotSocketHandlerTests {
    @Test func replaysSinceThenSendsLiveEventsOnceInOrderFillingGaps() async throws {
        let rig = try await SocketRig.open(since: 1, bidsBefore: 3)
        #expect(try await rig.nextSeqs(2) == [2, 3])
        let fourth = try await rig.bid()
        await rig.hub.deliver(fourth[0])
        #expect(try await rig.nextSeqs(1) == [4])
        // A repeat is dropped; an event past a lost one brings the lost one from the log first.
        await rig.hub.deliver(fourth[0])
        _ = try await rig.bid()
        let sixth = try await rig.bid()
        await rig.hub.deliver(sixth[0])
        #expect(try await rig.nextSeqs(2) == [5, 6])
        #expect(try await rig.channel.readOutbound(as: WebSocketFrame.self) == nil)
    }

    /// Issue 10 item 1: the client has its 101 (the start is fixed when the upgrade
    /// is decided), a bid commits and reaches the hub before the socket has joined it.
    @Test func anEventCommittedBetweenTheUpgradeAndTheJoinReachesTheSocket() async throws {
        let rig = try await SocketRig.open(bidsBefore: 2, bidsBeforeJoin: 2)
        #expect(try await rig.nextSeqs(2) == [3, 4])
        let fifth = try await rig.bid()
        await rig.hub.deliver(fifth[0])
        #expect(try await rig.nextSeqs(1) == [5])
    }

    @Test func answersPingsAndEchoesTheClientsClose() async throws {
        let rig = try await SocketRig.open()
        try await rig.send(.text, "hello")  // the original client's greeting: ignored
        try await rig.send(.text, "pi", fin: false)
        try await rig.send(.continuation, "ng")
        let pong = try await rig.nextFrame()
        #expect(pong.opcode == .text)
        #expect(String(buffer: pong.unmaskedData) == "pong")
        try await rig.send(.ping, "x")
        let control = try await rig.nextFrame()
        #expect(control.opcode == .pong)
        #expect(String(buffer: control.unmaskedData) == "x")

        var close = ByteBuffer()
        close.write(webSocketErrorCode: .normalClosure)
        try await rig.channel.writeInbound(WebSocketFrame(fin: true, opcode: .connectionClose, data: close))
        #expect(try await rig.nextFrame().close?.code == 1000)
        try await rig.until("the socket closed") { !rig.channel.isActive }
        try await rig.until("the socket left the lot") { await rig.hub.socketCount == 0 }
    }

    @Test func aPeerThatReadsNothingIsClosedWith1013AndAResumePoint() async throws {
        let rig = try await SocketRig.open(bufferLimit: 3)
        let first = try await rig.bid()
        await rig.hub.deliver(first[0])
        #expect(try await rig.nextSeqs(1) == [1])
        // The peer stops reading: the kernel buffer is full and NIO's fills.
        rig.channel.isWritable = false
        rig.channel.pipeline.fireChannelWritabilityChanged()
        for _ in 0..<4 {
            await rig.hub.deliver(try await rig.bid()[0])
        }
        #expect(try await rig.nextSeqs(4) == [2, 3, 4, 5])
        let close = try #require(try await rig.nextFrame().close)
        #expect(close.code == 1013)
        #expect(close.reason.contains("?since=5"))
        try await rig.until("the socket left the lot") { await rig.hub.socketCount == 0 }
    }

    @Test func aPeerThatStillReadsIsNotClosed() async throws {
        let rig = try await SocketRig.open(bufferLimit: 3)
        rig.channel.isWritable = false
        rig.channel.pipeline.fireChannelWritabilityChanged()
        for _ in 0..<3 { await rig.hub.deliver(try await rig.bid()[0]) }
        // It drained: writable again, the count starts over.
        rig.channel.isWritable = true
        rig.channel.pipeline.fireChannelWritabilityChanged()
        for _ in 0..<3 { await rig.hub.deliver(try await rig.bid()[0]) }
        #expect(try await rig.nextSeqs(6) == [1, 2, 3, 4, 5, 6])
        #expect(await rig.hub.socketCount == 1)
        #expect(rig.channel.isActive)
    }

    @Test func anUnansweredPingClosesTheSocketAndAnAnsweredOneDoesNot() async throws {
        let rig = try await SocketRig.open()
        await rig.hub.checkAlive()
        #expect(try await rig.nextFrame().opcode == .ping)
        try await rig.send(.pong)
        await rig.hub.checkAlive()
        #expect(try await rig.nextFrame().opcode == .ping)
        #expect(rig.channel.isActive)
        // No answer to the second ping: the third check hangs up.
        await rig.hub.checkAlive()
        try await rig.until("the socket closed") { !rig.channel.isActive }
        try await rig.until("the socket left the lot") { await rig.hub.socketCount == 0 }
    }

    @Test func aQuiescingServerClosesTheSocketWith1001() async throws {
        let rig = try await SocketRig.open()
        // What Hummingbird sends every connection on graceful shutdown.
        rig.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        let close = try #require(try await rig.nextFrame().close)
        #expect(close.code == 1001)
        #expect(close.reason == "server shutting down")
    }

    @Test func shutdownClosesEverySocketWith1001() async throws {
        let rig = try await SocketRig.open()
        await rig.hub.closeAll(code: 1001, reason: "server shutting down")
        let close = try #require(try await rig.nextFrame().close)
        #expect(close.code == 1001)
        #expect(close.reason == "server shutting down")
    }

    @Test(
        "protocol errors close with their code",
        arguments: [
            ([(WebSocketOpcode.continuation, "x", true)], 1002),  // a continuation without a message
            ([(WebSocketOpcode.ping, "x", false)], 1002),  // a fragmented ping
            ([(WebSocketOpcode(encodedWebSocketOpcode: 0x3)!, "x", true)], 1002),  // a reserved opcode
            ([(WebSocketOpcode.text, String(repeating: "a", count: 4000), false), (.continuation, String(repeating: "a", count: 200), true)], 1009),
        ])
    func protocolErrors(frames: [(WebSocketOpcode, String, Bool)], code: Int) async throws {
        let rig = try await SocketRig.open()
        for (opcode, text, fin) in frames { try await rig.send(opcode, text, fin: fin) }
        #expect(try await rig.nextFrame().close?.code == code)
    }

    @Test func binaryMessagesAreIgnoredEvenInFragments() async throws {
        let rig = try await SocketRig.open()
        try await rig.send(.binary, "ping", fin: false)
        try await rig.send(.continuation, "", fin: true)
        try await rig.send(.binary, "ping")
        try await rig.send(.text, "ping")
        let reply = try await rig.nextFrame()
        #expect(String(buffer: reply.unmaskedData) == "pong")
        #expect(try await rig.channel.readOutbound(as: WebSocketFrame.self) == nil)
    }

    /// The service's own timer pings; a socket that never answers is closed by the next round.
    @Test func theFanoutServicePingsAndHangsUpOnASilentPeer() async throws {
        let rig = try await SocketRig.open()
        let service = HubFeedService(
            broker: InMemoryBroker(), hub: rig.hub, resyncInterval: .seconds(60), pingInterval: .milliseconds(100))
        let group = ServiceGroup(services: [service], logger: .init(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await rig.nextFrame().opcode == .ping)
            try await rig.until("the silent socket closed") { !rig.channel.isActive }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func theFanoutServiceClosesSocketsWith1001AtShutdown() async throws {
        let rig = try await SocketRig.open()
        let service = HubFeedService(
            broker: InMemoryBroker(), hub: rig.hub, resyncInterval: .seconds(60), pingInterval: .seconds(60))
        let group = ServiceGroup(services: [service], logger: .init(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(100))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let close = try #require(try await rig.nextFrame().close)
        #expect(close.code == 1001)
        #expect(close.reason == "server shutting down")
    }
}
