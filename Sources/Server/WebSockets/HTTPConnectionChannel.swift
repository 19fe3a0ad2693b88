import AuctionCore
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// The server's connections: HTTP/1.1, and on `/ws/lots/{id}` a WebSocket upgrade
/// handed to a `LotSocketHandler`. Unlike Hummingbird's WebSocket channel, an
/// upgraded connection keeps no task: `handle` returns and the socket lives in
/// its NIO pipeline (see LotSocketHandler for why).
struct LotSocketChannel: ServerChildChannel, HTTPChannelHandler {
    enum UpgradeResult: Sendable {
        case socket
        case notUpgraded(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, APIError)
    }

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let channel: any Channel
    }

    /// What the upgrade decided, kept between NIO's two upgrade callbacks.
    private enum Decision {
        case upgrade(LotSocketRequest)
        case refuse(APIError)
    }

    let responder: HTTPChannelHandler.Responder
    let sockets: LotSocketHandler.Environment
    /// Largest WebSocket frame read from a client.
    let maxFrameSize: Int

    init(responder: @escaping HTTPChannelHandler.Responder, sockets: LotSocketHandler.Environment, maxFrameSize: Int) {
        self.responder = Self.upgradeAwareResponder(responder)
        self.sockets = sockets
        self.maxFrameSize = maxFrameSize
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let decision = NIOLoopBoundBox<Decision?>(nil, eventLoop: channel.eventLoop)
            let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
                maxFrameSize: maxFrameSize,
                shouldUpgrade: { [sockets] channel, head in
                    let promise = channel.eventLoop.makePromise(of: Decision.self)
                    promise.completeWithTask { await Self.decide(uri: head.uri, sockets: sockets) }
                    return promise.futureResult.map { result in
                        decision.value = result
                        if case .upgrade = result { return HTTPHeaders() }
                        return nil
                    }
                },
                upgradePipelineHandler: { [sockets] channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard case .upgrade(let request) = decision.value else {
                            throw ChannelError.inappropriateOperationForState
                        }
                        decision.value = nil
                        try channel.pipeline.syncOperations.addHandler(
                            LotSocketHandler(lotID: request.lotID, since: request.since, environment: sockets))
                        return .socket
                    }
                }
            )
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<UpgradeResult>(
                upgradeConfiguration: NIOTypedHTTPServerUpgradeConfiguration(
                    upgraders: [upgrader],
                    notUpgradingCompletionHandler: { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                            try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(logger: logger))
                            let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                                wrappingChannelSynchronously: channel,
                                configuration: .init(isOutboundHalfClosureEnabled: true))
                            if case .refuse(let error) = decision.value { return .refused(http, error) }
                            return .notUpgraded(http)
                        }
                    }
                )
            )
            // As Hummingbird's own HTTP/1 channel: it pipelines and validates itself.
            configuration.enablePipelining = false
            configuration.enableErrorHandling = false
            configuration.enableResponseHeaderValidation = false
            let result = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                configuration: configuration)
            return Value(upgradeResult: result, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgradeResult.get() {
            case .socket:
                // The socket lives on in its pipeline; nothing to wait for here.
                return
            case .notUpgraded(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            case .refused(let http, let error):
                await Self.refuse(http, error, logger: logger)
            }
        } catch {
            logger.debug("connection ended before its first request", metadata: ["error": "\(error)"])
        }
    }

    private static func decide(uri: String, sockets: LotSocketHandler.Environment) async -> Decision {
        do {
            let request = try LotSocketRequest(uri: URI(uri))
            try await request.checkLotExists(in: sockets.store)
            return .upgrade(request)
        } catch {
            return .refuse(APIError(answering: error))
        }
    }

    /// Answers a refused upgrade as the HTTP API answers errors, then hangs up.
    private static func refuse(
        _ http: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, _ error: APIError, logger: Logger
    ) async {
        let body = ByteBuffer(string: error.body)
        var fields = error.headers
        fields[.contentType] = "application/json"
        fields[.contentLength] = String(body.readableBytes)
        fields[.connection] = "close"
        do {
            try await http.executeThenClose { _, outbound in
                try await outbound.write(contentsOf: [
                    .head(HTTPResponse(status: error.status, headerFields: fields)), .body(body), .end(nil),
                ])
            }
        } catch {
            logger.trace("could not answer a refused upgrade", metadata: ["error": "\(error)"])
        }
    }

    /// NIO only upgrades a connection's first request: a later one asking for a
    /// WebSocket is redirected to itself with the connection closed, so that the
    /// client retries on a fresh connection (as Hummingbird's channel does).
    private static func upgradeAwareResponder(_ responder: @escaping Responder) -> Responder {
        struct RedirectedUpgrade: Error {}
        return { request, writer, channel in
            guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                return try await responder(request, writer, channel)
            }
            var location = request.uri.path
            if let query = request.uri.query { location += "?\(query)" }
            try await writer.writeResponse(
                HTTPResponse(status: .temporaryRedirect, headerFields: [.connection: "close", .location: location]))
            throw RedirectedUpgrade()
        }
    }
}
