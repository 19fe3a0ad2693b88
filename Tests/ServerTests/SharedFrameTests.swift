import AuctionCore
@testable import AuctionServer
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

extension SocketRig {
    /// One more socket on this rig's lot and hub (its own channel and loop).
    func anotherSocket() async throws -> SocketRig {
        let start = try await LotSocketRequest(target: "/ws/lots/\(lotID)").start(in: store)
        let environment = LotSocketHandler.Environment(
            store: store, hub: hub, bufferLimit: 100, perAddress: SocketsPerAddress(cap: 10), logger: .init(label: "test"))
        let joined = await hub.socketCount
        let lotID = lotID
        let channel = try await NIOAsyncTestingChannel { channel in
            try channel.pipeline.syncOperations.addHandler(
                LotSocketHandler(stream: .lot(lotID), start: start, environment: environment))
        }
        let rig = SocketRig(channel: channel, hub: hub, store: store, lotID: lotID, bidderID: bidderID)
        try await channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 9))
        try await rig.until("the socket joined") { [hub] in await hub.socketCount == joined + 1 }
        return rig
    }
}

@Suite("Shared frames")
struct SharedFrameTests {
    static func storage(_ frame: WebSocketFrame) -> UInt {
        frame.data.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
    }

    /// A live event is encoded once by the hub and every socket writes that buffer,
    /// rather than 100,000 copies of the same text.
    @Test func everySocketWritesTheBufferTheHubEncoded() async throws {
        let first = try await SocketRig.open()
        let second = try await first.anotherSocket()
        let events = try await first.bid()
        await first.hub.deliver(events[0])
        let one = try await first.nextFrame()
        let other = try await second.nextFrame()
        #expect(String(buffer: one.data) == events[0].json)
        #expect(String(buffer: other.data) == events[0].json)
        #expect(Self.storage(one) == Self.storage(other))
    }
}
