import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

/// A lot socket for the scale runs: a NIO channel bound to a chosen loopback
/// source address before it connects (WebSocketClient cannot bind), with a
/// handler rather than a task, so 100,000 of them fit beside the server.
/// Joined once the server has answered its `ping` (sent after the join).
final class ScaleSubscriber: WatchingSocket, Sendable {
    let lotID: Int64
    let startSeq: Int64
    let log: SubscriberLog
    private let channel: any Channel
    private let frames: NIOLoopBound<SubscriberFrames>

    struct Target: Sendable {
        let host: String
        let port: Int
        /// `/ws/lots/7` or `/ws/lots/7?since=3`.
        let path: String
    }

    static func connect(
        to target: Target, from source: String, lotID: Int64, startSeq: Int64,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ScaleSubscriber {
        let log = SubscriberLog()
        let ready = ReadySignal()
        let channel = try await ClientBootstrap(group: group)
            .bind(to: try SocketAddress(ipAddress: source, port: 0))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 1 << 16) { channel, _ in
                        channel.pipeline.removeHandler(name: UpgradeRequest.name).flatMapThrowing {
                            try channel.pipeline.syncOperations.addHandler(SubscriberFrames(log: log, ready: ready))
                        }
                    }
                    // A replay can follow the 101 in the same read: its bytes go on to the
                    // WebSocket decoder (NIO drops them by default).
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        leftOverBytesStrategy: .forwardBytes,
                        withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                    try channel.pipeline.syncOperations.addHandler(
                        UpgradeRequest(target: target, ready: ready), name: UpgradeRequest.name)
                }
            }
            .connect(host: target.host, port: target.port).get()
        do {
            try await ready.wait()
        } catch {
            try? await channel.close()
            throw error
        }
        let frames = try await channel.pipeline.handler(type: SubscriberFrames.self).map {
            NIOLoopBound($0, eventLoop: channel.eventLoop)
        }.get()
        return ScaleSubscriber(lotID: lotID, startSeq: startSeq, log: log, channel: channel, frames: frames)
    }

    private init(
        lotID: Int64, startSeq: Int64, log: SubscriberLog, channel: any Channel, frames: NIOLoopBound<SubscriberFrames>
    ) {
        self.lotID = lotID
        self.startSeq = startSeq
        self.log = log
        self.channel = channel
        self.frames = frames
    }

    /// Completes when the connection is gone (the server closed it, or `close`).
    var closed: EventLoopFuture<Void> { channel.closeFuture }

    /// The close code the server sent, once it has.
    func closeCode() async -> Int? {
        try? await channel.eventLoop.submit { [frames] in frames.value.closeCode }.get()
    }

    func close() async {
        try? await channel.close()
    }
}

/// Sends the upgrade request once connected; a refusal (no 101) fails the connect.
private final class UpgradeRequest: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart
    static let name = "upgrade-request"

    let target: ScaleSubscriber.Target
    let ready: ReadySignal

    init(target: ScaleSubscriber.Target, ready: ReadySignal) {
        self.target = target
        self.ready = ready
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(target.host):\(target.port)")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.path, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            ready.finish(.failure(ScaleSubscriberError.refused(head.status.code)))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        ready.finish(.failure(SubscriberError.closedBeforeJoining))
        context.fireChannelInactive()
    }
}

/// The socket after its 101: sends `ping`, stamps every event, answers the server's pings.
private final class SubscriberFrames: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let log: SubscriberLog
    let ready: ReadySignal
    private(set) var closeCode: Int?

    init(log: SubscriberLog, ready: ReadySignal) {
        self.log = log
        self.ready = ready
    }

    func handlerAdded(context: ChannelHandlerContext) {
        send(.text, ByteBuffer(string: "ping"), context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = MonotonicClock.nanoseconds()
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            let text = String(buffer: frame.unmaskedData)
            if text == "pong" { ready.finish(.success(())) } else { log.append(.init(nanoseconds: now, text: text)) }
        case .ping:
            send(.pong, frame.unmaskedData, context: context)
        case .connectionClose:
            var data = frame.unmaskedData
            closeCode = data.readWebSocketErrorCode().map { Int(UInt16(webSocketErrorCode: $0)) }
            context.close(promise: nil)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        ready.finish(.failure(SubscriberError.closedBeforeJoining))
        context.fireChannelInactive()
    }

    /// A client's frames are masked (RFC 6455 5.3).
    private func send(_ opcode: WebSocketOpcode, _ data: ByteBuffer, context: ChannelHandlerContext) {
        let frame = WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data)
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }
}

enum ScaleSubscriberError: Error, CustomStringConvertible {
    case refused(UInt)

    var description: String {
        switch self {
        case .refused(let status): "the server answered the upgrade with \(status)"
        }
    }
}
