import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// Every connection of a server that serves lot sockets: HTTP/1.1, any request
/// of which may upgrade to `/ws/lots/{id}` (see `WebSocketUpgradeHandler`). The
/// HTTP requests run in an `HTTPRequestChannel` served by Hummingbird's task for
/// the connection; once a connection is a socket, that task has returned and the
/// socket lives in its NIO pipeline (see LotSocketHandler for why).
struct HTTPConnectionChannel: ServerChildChannel, HTTPChannelHandler {
    struct Value: ServerChildChannelValue {
        let requests: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let sockets: LotSocketHandler.Environment
    /// NIO's handshake check and WebSocket codec; the lot socket itself is added by the upgrade handler.
    let upgrader: NIOTypedWebSocketServerUpgrader<Void>
    let headerTimeout: Duration

    /// `maxFrameSize`: the largest WebSocket frame read from a client; `headerTimeout`:
    /// how long a request head may take (Hummingbird's idle timeout, which only
    /// whole request parts reset).
    init(
        responder: @escaping HTTPChannelHandler.Responder, sockets: LotSocketHandler.Environment, maxFrameSize: Int,
        headerTimeout: Duration
    ) {
        self.responder = responder
        self.sockets = sockets
        self.headerTimeout = headerTimeout
        self.upgrader = NIOTypedWebSocketServerUpgrader(
            maxFrameSize: maxFrameSize,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
            upgradePipelineHandler: { channel, _ in channel.eventLoop.makeSucceededVoidFuture() })
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let requests = HTTPRequestChannel(connection: channel)
            // As Hummingbird's own HTTP/1 channel, on the requests' channel.
            try requests.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try requests.pipeline.syncOperations.addHandlers(Self.guards())
            try requests.pipeline.syncOperations.addHandler(
                HTTPConnectionStateHandler(idleTimeout: headerTimeout, logger: logger))
            let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                wrappingChannelSynchronously: requests, configuration: .init(isOutboundHalfClosureEnabled: true))

            let encoder = HTTPResponseEncoder()
            // Bytes after an upgrade request are the client's first frames: kept for the socket.
            let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
            try channel.pipeline.syncOperations.addHandler(encoder)
            try channel.pipeline.syncOperations.addHandler(decoder)
            try channel.pipeline.syncOperations.addHandler(
                WebSocketUpgradeHandler(
                    requests: requests, decoder: decoder, encoder: encoder, upgrader: upgrader, sockets: sockets))
            return Value(requests: http, channel: channel)
        }
    }

    /// What every HTTP connection has behind its codec, with or without sockets.
    static func guards() -> [any RemovableChannelHandler] {
        [ParseErrorResponder(), EarlyResponseCloser()]
    }

    func handle(value: Value, logger: Logger) async {
        // Returns when the connection closes or becomes a socket.
        await handleHTTP(asyncChannel: value.requests, logger: logger)
    }
}
