import AuctionCore
import Logging
import NIOCore
import NIOWebSocket

/// A lot's WebSocket (or a user's own, `/ws/me`) after the upgrade: sends the
/// stream's events in seq order and answers the client. A NIO handler rather than a task per socket, so an idle
/// socket costs its channel and this object, not suspended task stacks (which
/// made a socket cost 37 KiB, against a target of 16).
///
/// Runs on its channel's event loop only; the hub reaches it through `LotSocket`,
/// and store reads come back to the loop before touching any state.
final class LotSocketHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// What every socket of a server shares.
    struct Environment: Sendable {
        let store: any AuctionStore
        /// The store reads of opening sockets, coalesced.
        let reads: SocketReads
        let hub: WebSocketHub
        /// Events a socket may hold back (waiting, or written while the peer reads
        /// nothing) before it is closed with 1013.
        let bufferLimit: Int
        let perAddress: SocketsPerAddress
        let logger: Logger
        /// Checks the tokens of `/ws/me` (nil: user sockets are refused).
        var tokens: TokenVerifier? = nil

        init(
            store: any AuctionStore, hub: WebSocketHub, bufferLimit: Int, perAddress: SocketsPerAddress,
            logger: Logger, tokens: TokenVerifier? = nil
        ) {
            self.store = store
            self.reads = SocketReads(store: store)
            self.hub = hub
            self.bufferLimit = bufferLimit
            self.perAddress = perAddress
            self.logger = logger
            self.tokens = tokens
        }
    }

    /// Largest message read from a client (they only send greetings and `ping`).
    static let maxInboundMessage = 4096
    /// How long a close handshake may take before the connection is cut.
    static let closeTimeout: TimeAmount = .seconds(5)

    private let environment: Environment
    private let stream: EventStream
    private let session: SocketSession?
    private var sequencer: SocketSequencer
    private var context: ChannelHandlerContext?
    private var socket: LotSocket?
    private var membership: Int?
    /// A text message arriving in fragments; nil between messages.
    private var fragments: ByteBuffer?
    private var ignoringFragments = false
    private var awaitingPong = false
    /// Set once this side has sent its close frame.
    private var closing = false
    private var writtenWhileUnwritable = 0
    /// The last live event's frame, shared with every socket it went to; other
    /// events (read from the log) are encoded here.
    private var liveFrame: (seq: Int64, frame: ByteBuffer)?

    /// `start`: the seq the socket's events follow (see `LotSocketRequest.start`).
    /// `session`: the token's, for a user socket (the hub closes it when it ends).
    init(stream: EventStream, start: Int64, session: SocketSession? = nil, environment: Environment) {
        self.stream = stream
        self.session = session
        self.environment = environment
        self.sequencer = SocketSequencer(start: start, limit: environment.bufferLimit)
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        environment.hub.metrics.socketsOpen.increment()
        let socket = LotSocket(self, eventLoop: context.eventLoop, session: session)
        self.socket = socket
        // Join before anything is read from the log, so nothing committed in between is missed.
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        Task { [environment, stream] in
            do {
                let membership = try await environment.hub.join(stream: stream, feed: socket)
                handler.eventLoop.execute { handler.value.joined(id: membership.id, after: membership.after) }
            } catch {
                handler.eventLoop.execute { handler.value.fail("could not join the lot", error) }
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        environment.hub.metrics.socketsOpen.decrement()
        stop()
        self.context = nil
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { writtenWhileUnwritable = 0 }
        context.fireChannelWritabilityChanged()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        awaitingPong = false
        switch frame.opcode {
        case .connectionClose:
            receivedClose(frame, context: context)
        case .ping:
            guard frame.fin else { return close(code: 1002, reason: "fragmented ping") }
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .pong:
            break
        case .text:
            fragments = nil
            ignoringFragments = false
            if frame.fin { receivedText(frame.unmaskedData) } else { fragments = frame.unmaskedData }
        case .binary:
            fragments = nil
            ignoringFragments = !frame.fin
        case .continuation:
            receivedContinuation(frame)
        default:
            close(code: 1002, reason: "unknown opcode")
        }
    }

    /// The server is shutting down (Hummingbird quiesces every connection): say
    /// so with 1001 at once, so clients resume elsewhere with ?since, rather than
    /// leaving it to whichever closes first, the hub's closeAll or the server.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            close(code: 1001, reason: "server shutting down")
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
        environment.logger.debug("socket error", metadata: ["stream": "\(stream)", "error": "\(error)"])
        context.close(promise: nil)
    }

    // MARK: From the hub

    func received(_ event: EventRecord, frame: ByteBuffer) {
        liveFrame = (event.seq, frame)
        perform(sequencer.received(event))
    }

    func checkAlive() {
        guard let context, !closing else { return }
        if awaitingPong {
            // The previous ping went unanswered: the peer is gone.
            context.close(promise: nil)
            return
        }
        awaitingPong = true
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer())), promise: nil)
    }

    /// Sends a close frame and waits (a while) for the client's.
    func close(code: Int, reason: String) {
        guard let context, !closing else { return }
        closing = true
        stop()
        var data = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.write(webSocketErrorCode: WebSocketErrorCode(codeNumber: code))
        data.writeString(reason)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)), promise: nil)
        let channel = context.channel
        context.eventLoop.scheduleTask(in: Self.closeTimeout) { channel.close(promise: nil) }
    }

    // MARK: Delivery

    private func joined(id: Int, after: Int64) {
        membership = id
        guard context != nil, !closing else { return leave() }
        perform(sequencer.joined(after: after))
    }

    private func fetched(_ events: [EventRecord]) {
        guard context != nil, !closing else { return }
        perform(sequencer.fetched(events))
    }

    private func perform(_ step: SocketSequencer.Step) {
        guard let context, !closing else { return }
        if step.overflow { return tooFarBehind() }
        for event in step.send {
            let data = if let live = liveFrame, live.seq == event.seq { live.frame } else { ByteBuffer(string: event.json) }
            context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: data)), promise: nil)
            if !context.channel.isWritable { writtenWhileUnwritable += 1 }
        }
        if !step.send.isEmpty { context.flush() }
        environment.hub.metrics.socketEventsDelivered.increment(by: Int64(step.send.count))
        if writtenWhileUnwritable > environment.bufferLimit { return tooFarBehind() }
        if let after = step.fetchAfter { fetch(after: after, through: sequencer.heard) }
    }

    private func fetch(after: Int64, through: Int64) {
        guard let context else { return }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        Task { [environment, stream] in
            do {
                let events = try await environment.reads.events(
                    in: stream, since: after, limit: SocketSequencer.page, through: through)
                handler.eventLoop.execute { handler.value.fetched(events) }
            } catch {
                handler.eventLoop.execute { handler.value.fail("could not read the event log", error) }
            }
        }
    }

    private func tooFarBehind() {
        environment.hub.metrics.socketsClosedSlow.increment()
        close(code: 1013, reason: "too far behind; reconnect with ?since=\(sequencer.lastSent ?? 0)")
    }

    private func fail(_ what: String, _ error: any Error) {
        environment.logger.warning("\(what)", metadata: ["stream": "\(stream)", "error": "\(error)"])
        close(code: 1011, reason: what)
    }

    // MARK: From the client

    private func receivedText(_ data: ByteBuffer) {
        guard data.readableBytes == 4, String(buffer: data) == "ping", let context else { return }
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: "pong"))), promise: nil)
    }

    private func receivedContinuation(_ frame: WebSocketFrame) {
        if ignoringFragments {
            ignoringFragments = !frame.fin
            return
        }
        guard var message = fragments else { return close(code: 1002, reason: "continuation without a message") }
        var data = frame.unmaskedData
        guard message.readableBytes + data.readableBytes <= Self.maxInboundMessage else {
            fragments = nil
            return close(code: 1009, reason: "message too big")
        }
        message.writeBuffer(&data)
        if frame.fin {
            fragments = nil
            receivedText(message)
        } else {
            fragments = message
        }
    }

    private func receivedClose(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        if closing {
            // The reply to this side's close.
            context.close(promise: nil)
            return
        }
        closing = true
        stop()
        // Echo the client's code, as RFC 6455 asks, then hang up.
        var data = frame.unmaskedData
        let code = data.readWebSocketErrorCode()
        var reply = context.channel.allocator.buffer(capacity: 2)
        if let code { reply.write(webSocketErrorCode: code) }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: reply)))
            .whenComplete { _ in channel.close(promise: nil) }
    }

    // MARK: Leaving

    /// Stops taking events and leaves the lot (once).
    private func stop() {
        socket?.markClosed()
        socket = nil
        leave()
    }

    private func leave() {
        guard let id = membership else { return }
        membership = nil
        Task { [hub = environment.hub, stream] in await hub.leave(stream: stream, id: id) }
    }
}
