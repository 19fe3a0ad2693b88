@testable import AuctionServer
import NIOCore
import NIOEmbedded
import Testing

/// A connection becomes active for the handlers behind the gate only once the
/// server's task has claimed it (apple/swift-nio#2813).
@Suite("Handoff gate")
struct HandoffGateTests {
    /// Records the events that pass the gate.
    private final class Recorder: ChannelInboundHandler {
        typealias InboundIn = NIOAny
        var events: [String] = []
        func channelActive(context: ChannelHandlerContext) { events.append("active") }
        func channelInactive(context: ChannelHandlerContext) { events.append("inactive") }
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) { events.append("event") }
    }

    private func gated() throws -> (EmbeddedChannel, HandoffGate, Recorder) {
        let gate = HandoffGate()
        let recorder = Recorder()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([gate, recorder])
        return (channel, gate, recorder)
    }

    @Test("active is held until the claim, then passed on once")
    func activeWaitsForTheClaim() throws {
        let (channel, gate, recorder) = try gated()
        channel.pipeline.fireChannelActive()
        #expect(recorder.events.isEmpty)
        gate.claim()
        gate.claim()
        #expect(recorder.events == ["active"])
    }

    @Test("a claimed connection's active passes at once")
    func claimedFirst() throws {
        let (channel, gate, recorder) = try gated()
        gate.claim()
        channel.pipeline.fireChannelActive()
        #expect(recorder.events == ["active"])
    }

    @Test("a connection closed before its claim never becomes active")
    func inactiveBeforeTheClaim() throws {
        let (channel, gate, recorder) = try gated()
        channel.pipeline.fireChannelActive()
        channel.pipeline.fireChannelInactive()
        gate.claim()
        #expect(recorder.events == ["inactive"])
    }

    @Test("a shutdown's quiesce closes an unclaimed connection and reaches a claimed one")
    func quiesce() throws {
        let (unclaimed, _, unclaimedRecorder) = try gated()
        try unclaimed.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        unclaimed.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(!unclaimed.isActive)
        #expect(!unclaimedRecorder.events.contains("event"))

        let (claimed, gate, recorder) = try gated()
        try claimed.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        gate.claim()
        claimed.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(claimed.isActive)
        #expect(recorder.events == ["active", "event"])
    }

    @Test("an async channel dropped before its connection is claimed does not trap when the connection opens and closes")
    func droppedAsyncChannel() throws {
        let gate = HandoffGate()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(gate)
        // What NIO does to a connection accepted as its listener closes: the value is dropped unserved.
        do {
            _ = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
        }
        // Without the gate the handler gives up the writer here, its last holder, and traps.
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        #expect(channel.isActive)
        _ = try channel.finish()
    }
}
