import NIOCore

/// First in every connection's pipeline: holds `channelActive` back until the
/// server's task for the connection has it (`claim`). NIO's async server drops a
/// connection accepted while its listener closes before handing it over
/// (apple/swift-nio#2813); the connection's `NIOAsyncChannel` gives up its writer
/// at `channelActive`, and a writer nobody holds traps. Held back, the writer is
/// finished when the connection closes, as the quiesce of a graceful shutdown
/// does here to a connection never claimed.
final class HandoffGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private var context: ChannelHandlerContext?
    private var claimed = false
    private var activeHeld = false

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        if claimed { context.fireChannelActive() } else { activeHeld = true }
    }

    func channelInactive(context: ChannelHandlerContext) {
        activeHeld = false
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, !claimed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// The server's task has the connection: let it become active. On the channel's event loop.
    func claim() {
        guard !claimed else { return }
        claimed = true
        guard activeHeld, let context else { return }
        activeHeld = false
        context.fireChannelActive()
    }
}
