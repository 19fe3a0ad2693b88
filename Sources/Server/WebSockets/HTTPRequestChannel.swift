import NIOCore
import Synchronization

/// A connection's HTTP requests as a channel of their own: its pipeline holds the
/// HTTP/1 codec, Hummingbird's connection state and the async channel that
/// Hummingbird's per-connection task serves. It exists so that a connection can
/// become a WebSocket on any request (pooled clients upgrade a connection that
/// already carried requests): ending this channel ends that task and frees its
/// handlers, while the connection lives on as a socket, with no task.
///
/// Inbound parts come from `WebSocketUpgradeHandler` in the connection's pipeline;
/// outbound operations go back through it.
///
/// `@unchecked Sendable`: `upstream` and `ended` change on the event loop only,
/// as every `ChannelCore` call is made there; what other threads read is atomic
/// or immutable.
final class HTTPRequestChannel: Channel, ChannelCore, @unchecked Sendable {
    let connection: any Channel
    private var _pipeline: ChannelPipeline!
    private let closePromise: EventLoopPromise<Void>
    private let active = Atomic<Bool>(false)
    /// Where outbound operations go; nil until started and once ended.
    private var upstream: WebSocketUpgradeHandler?
    private var ended = false

    init(connection: any Channel) {
        self.connection = connection
        self.closePromise = connection.eventLoop.makePromise()
        self._pipeline = ChannelPipeline(channel: self)
    }

    /// Starts the channel once the connection is active, and asks for the first read.
    func start(upstream: WebSocketUpgradeHandler) {
        guard self.upstream == nil, !ended else { return }
        self.upstream = upstream
        active.store(true, ordering: .relaxed)
        pipeline.syncOperations.fireChannelRegistered()
        pipeline.syncOperations.fireChannelActive()
        pipeline.syncOperations.read()
    }

    /// The connection closed, or became a WebSocket: the HTTP side sees its
    /// channel close (Hummingbird's loop ends), then its handlers are freed.
    func end() {
        guard !ended else { return }
        ended = true
        active.store(false, ordering: .relaxed)
        let wasStarted = upstream != nil
        upstream = nil
        if wasStarted {
            pipeline.syncOperations.fireChannelInactive()
            pipeline.syncOperations.fireChannelUnregistered()
        }
        // As NIO's own child channels do: tear down after the events have run.
        eventLoop.execute {
            self.removeHandlers(pipeline: self.pipeline)
            self.closePromise.succeed()
        }
    }

    // MARK: Channel

    var pipeline: ChannelPipeline { _pipeline }
    var allocator: ByteBufferAllocator { connection.allocator }
    var closeFuture: EventLoopFuture<Void> { closePromise.futureResult }
    var localAddress: SocketAddress? { connection.localAddress }
    var remoteAddress: SocketAddress? { connection.remoteAddress }
    var parent: (any Channel)? { connection }
    var isWritable: Bool { connection.isWritable }
    var isActive: Bool { active.load(ordering: .relaxed) && connection.isActive }
    var _channelCore: any ChannelCore { self }
    var eventLoop: any EventLoop { connection.eventLoop }

    func setOption<Option: ChannelOption>(_ option: Option, value: Option.Value) -> EventLoopFuture<Void> {
        connection.setOption(option, value: value)
    }

    func getOption<Option: ChannelOption>(_ option: Option) -> EventLoopFuture<Option.Value> {
        connection.getOption(option)
    }

    // MARK: ChannelCore (what reaches the head of this channel's pipeline)

    func localAddress0() throws -> SocketAddress {
        guard let address = connection.localAddress else { throw ChannelError.ioOnClosedChannel }
        return address
    }

    func remoteAddress0() throws -> SocketAddress {
        guard let address = connection.remoteAddress else { throw ChannelError.ioOnClosedChannel }
        return address
    }

    func register0(promise: EventLoopPromise<Void>?) { promise?.succeed() }
    func registerAlreadyConfigured0(promise: EventLoopPromise<Void>?) { promise?.succeed() }
    func bind0(to: SocketAddress, promise: EventLoopPromise<Void>?) { promise?.fail(ChannelError.operationUnsupported) }
    func connect0(to: SocketAddress, promise: EventLoopPromise<Void>?) { promise?.fail(ChannelError.operationUnsupported) }

    func write0(_ data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard let upstream else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        upstream.writeResponsePart(data, promise: promise)
    }

    func flush0() { upstream?.flushResponses() }
    func read0() { upstream?.readRequests() }

    func close0(error: any Error, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // Once ended (the connection is a socket now, or gone) there is nothing left to close.
        guard let upstream else {
            promise?.succeed()
            return
        }
        upstream.closeConnection(mode: mode, promise: promise)
    }

    func triggerUserOutboundEvent0(_ event: Any, promise: EventLoopPromise<Void>?) {
        promise?.fail(ChannelError.operationUnsupported)
    }

    func channelRead0(_ data: NIOAny) {}
    func errorCaught0(error: any Error) {}
}
