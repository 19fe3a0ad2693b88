import NIOCore
import NIOWebSocket

/// Bounds the rate of a socket's incoming frames: a burst of `burst`, then `perSecond`.
/// A client past it is sent close 1008 and dropped, so a flood costs the server
/// neither the work nor the answers (each `ping` is answered). Sits before the
/// socket's handler, which never sees the flood.
final class InboundMessageLimiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    static let burst = 100.0
    static let perSecond = 20.0
    /// How long the client may take to hang up after the close frame.
    static let linger: TimeAmount = .seconds(5)

    private var tokens = InboundMessageLimiter.burst
    private var refilled = NIODeadline.now()
    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refused { return }
        let frame = unwrapInboundIn(data)
        guard frame.opcode == .connectionClose || take() else { return refuse(context: context) }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if refused { return context.read() }
        context.fireChannelReadComplete()
    }

    private func take() -> Bool {
        let now = NIODeadline.now()
        let elapsed = Double((now - refilled).nanoseconds) / 1e9
        refilled = now
        tokens = min(Self.burst, tokens + elapsed * Self.perSecond)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Close 1008, then a lingering close (see `closeLingering`), what still comes dropped.
    private func refuse(context: ChannelHandlerContext) {
        refused = true
        let reason = "too many messages: at most \(Int(Self.perSecond)) a second"
        var data = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.write(webSocketErrorCode: .policyViolation)
        data.writeString(reason)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
            .assumeIsolated().whenComplete { _ in channel.closeLingering(after: Self.linger) }
        context.read()
    }
}
