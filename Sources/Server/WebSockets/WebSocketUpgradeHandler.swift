import AuctionCore
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Sits behind the HTTP/1 codec of every connection and looks at each request:
/// ordinary ones go to the connection's `HTTPRequestChannel` (Hummingbird);
/// one asking for a WebSocket, on any request of the connection (as uvicorn,
/// Go and Node allow, and pooled clients need), waits until the responses before
/// it are written, then is decided: a lot socket (101, then the connection's
/// pipeline becomes WebSocket frames and a `LotSocketHandler`), or a refusal
/// answered as the HTTP API answers errors, with the connection closed.
final class WebSocketUpgradeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Requests go to the HTTP side.
        case http
        /// An upgrade request, held until its end has arrived and every earlier response has ended.
        case waiting(HTTPRequestHead, ended: Bool)
        /// The store is asked about the lot.
        case deciding
        /// Upgraded or refused: this handler is on its way out.
        case done
    }

    private enum Decision: Sendable {
        case upgrade(stream: EventStream, start: Int64, session: SocketSession?, subprotocol: String?)
        case refuse(APIError)
    }

    private let requests: HTTPRequestChannel
    private let decoder: ByteToMessageHandler<HTTPRequestDecoder>
    private let encoder: HTTPResponseEncoder
    private let upgrader: NIOTypedWebSocketServerUpgrader<Void>
    private let sockets: LotSocketHandler.Environment
    private var context: ChannelHandlerContext?
    private var state = State.http
    /// Requests handed to the HTTP side whose response has not ended yet.
    private var unanswered = 0
    /// Bytes after the upgrade request (the client's first frames), forwarded by
    /// the decoder as it is removed, replayed to the socket.
    private var early: [NIOAny] = []

    init(
        requests: HTTPRequestChannel, decoder: ByteToMessageHandler<HTTPRequestDecoder>, encoder: HTTPResponseEncoder,
        upgrader: NIOTypedWebSocketServerUpgrader<Void>, sockets: LotSocketHandler.Environment
    ) {
        self.requests = requests
        self.decoder = decoder
        self.encoder = encoder
        self.upgrader = upgrader
        self.sockets = sockets
    }

    /// A WebSocket handshake, as NIO's upgrade handler recognises one.
    static func asksForWebSocket(_ head: HTTPRequestHead) -> Bool {
        head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
            && head.headers[canonicalForm: "upgrade"].contains { $0.lowercased() == "websocket" }
    }

    // MARK: The connection's events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { requests.start(upstream: self) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        requests.start(upstream: self)
    }

    func channelInactive(context: ChannelHandlerContext) {
        requests.end()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .http:
            let part = unwrapInboundIn(data)
            if case .head(let head) = part {
                if Self.asksForWebSocket(head) {
                    state = .waiting(head, ended: false)
                    return
                }
                unanswered += 1
            }
            requests.pipeline.syncOperations.fireChannelRead(data)
        case .waiting(let head, _):
            // The upgrade request's body (a GET has none) is dropped; its end makes it ready.
            guard case .end = unwrapInboundIn(data) else { return }
            state = .waiting(head, ended: true)
            decideWhenReady(context: context)
        case .deciding, .done:
            // Only raw bytes come now (the decoder stops parsing after an upgrade request).
            early.append(data)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        switch state {
        case .http:
            requests.pipeline.syncOperations.fireChannelReadComplete()
            // The HTTP side reads as NIO's autoRead would; its async channel holds reads back when its consumer is slow.
            requests.pipeline.syncOperations.read()
        case .waiting(_, ended: false):
            context.read()
        case .waiting, .deciding, .done:
            break
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        requests.pipeline.syncOperations.fireChannelWritabilityChanged()
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Quiescing (graceful shutdown) and half-closure are the HTTP side's to act on.
        requests.pipeline.syncOperations.fireUserInboundEventTriggered(event)
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A parse error reaches Hummingbird, which answers 400 and closes.
        guard case .http = state else { return context.close(promise: nil) }
        requests.pipeline.syncOperations.fireErrorCaught(error)
    }

    /// The connection's own reads: while HTTP is served, the HTTP side asks for reads instead.
    func read(context: ChannelHandlerContext) {
        if case .done = state { context.read() }
    }

    // MARK: From the HTTP side

    func writeResponsePart(_ data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard let context else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        var ended = false
        if case .end = unwrapOutboundIn(data) { ended = true }
        context.write(data, promise: promise)
        if ended {
            unanswered = max(0, unanswered - 1)
            decideWhenReady(context: context)
        }
    }

    func flushResponses() {
        context?.flush()
    }

    func readRequests() {
        switch state {
        case .http, .waiting(_, ended: false): context?.read()
        case .waiting, .deciding, .done: break
        }
    }

    func closeConnection(mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard let context else {
            promise?.fail(ChannelError.alreadyClosed)
            return
        }
        // Nothing is due on the HTTP side while an upgrade is decided: its idle
        // timer (the header timeout), which never saw the upgrade request, is ignored.
        if case .deciding = state { return promise?.succeed() ?? () }
        context.close(mode: mode, promise: promise)
    }

    // MARK: Deciding

    private func decideWhenReady(context: ChannelHandlerContext) {
        guard case .waiting(let head, ended: true) = state, unanswered == 0 else { return }
        state = .deciding
        // NIO checks the handshake (key, version 13) and computes Sec-WebSocket-Accept.
        upgrader.buildUpgradeResponse(channel: context.channel, upgradeRequest: head, initialResponseHeaders: [:])
            .assumeIsolated()
            .whenComplete { handshake in
                switch handshake {
                case .failure:
                    self.refuse(
                        APIError(status: .badRequest, detail: "Not a WebSocket handshake: Sec-WebSocket-Key and Sec-WebSocket-Version: 13 are required"),
                        context: context)
                case .success(let headers):
                    self.decide(head, headers: headers, context: context)
                }
            }
    }

    private func decide(_ head: HTTPRequestHead, headers: HTTPHeaders, context: ChannelHandlerContext) {
        // The place is held until the connection closes, whatever is decided below.
        let address = ClientAddress.of(channel: context.channel, head: head, proxies: sockets.perAddress.proxies)
        guard sockets.perAddress.admit(address, until: context.channel.closeFuture) else {
            let cap = sockets.perAddress.cap
            return refuse(
                APIError(status: .tooManyRequests, detail: "Too many sockets from this address: at most \(cap) at once"),
                context: context)
        }
        let decision = context.eventLoop.makePromise(of: Decision.self)
        let protocols = head.headers["sec-websocket-protocol"]
        decision.completeWithTask { [uri = head.uri, store = sockets.store, reads = sockets.reads, tokens = sockets.tokens] in
            do {
                // Read before the 101 is written: an event committed after the client has its 101 follows `start`.
                if let tokens, UserSocketRequest.matches(URI(uri)) {
                    let request = try UserSocketRequest(uri: URI(uri), protocols: protocols)
                    let opened = try await request.open(with: tokens, store: store)
                    return .upgrade(
                        stream: .user(opened.userID), start: opened.start, session: opened.session,
                        subprotocol: request.acceptedSubprotocol)
                }
                let request = try LotSocketRequest(target: uri)
                return .upgrade(stream: .lot(request.lotID), start: try await request.start(in: reads), session: nil, subprotocol: nil)
            } catch {
                return .refuse(APIError(answering: error))
            }
        }
        decision.futureResult.assumeIsolated().whenSuccess { decision in
            switch decision {
            case .upgrade(let stream, let start, let session, let subprotocol):
                var headers = headers
                if let subprotocol { headers.replaceOrAdd(name: "Sec-WebSocket-Protocol", value: subprotocol) }
                self.upgrade(head, headers: headers, stream: stream, start: start, session: session, context: context)
            case .refuse(let error):
                self.refuse(error, context: context)
            }
        }
    }

    /// As NIO's upgrade handler: stop parsing HTTP, send the 101, drop the encoder,
    /// add the WebSocket codec and the socket, replay what came early, and leave.
    private func upgrade(
        _ head: HTTPRequestHead, headers: HTTPHeaders, stream: EventStream, start: Int64, session: SocketSession?,
        context: ChannelHandlerContext
    ) {
        state = .done
        requests.end()
        let pipeline = context.pipeline
        let channel = context.channel
        let socket = LotSocketHandler(stream: stream, start: start, session: session, environment: sockets)
        pipeline.syncOperations.removeHandler(decoder)
            .assumeIsolated()
            .flatMap {
                context.writeAndFlush(self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .switchingProtocols, headers: headers))))
            }
            .flatMap { pipeline.syncOperations.removeHandler(self.encoder) }
            .flatMap { self.upgrader.upgrade(channel: channel, upgradeRequest: head) }
            .flatMapThrowing { try pipeline.syncOperations.addHandlers(InboundMessageLimiter(), socket) }
            .whenComplete { result in
                switch result {
                case .success:
                    for data in self.early { context.fireChannelRead(data) }
                    self.early = []
                    context.read()
                    pipeline.syncOperations.removeHandler(context: context, promise: nil)
                case .failure(let error):
                    self.sockets.logger.debug("upgrade failed", metadata: ["error": "\(error)"])
                    context.close(promise: nil)
                }
            }
    }

    /// Answers a refused upgrade as the HTTP API answers errors, then hangs up
    /// (NIO's decoder parses nothing after an upgrade request).
    private func refuse(_ error: APIError, context: ChannelHandlerContext) {
        state = .done
        let body = context.channel.allocator.buffer(string: error.body)
        var headers = HTTPHeaders(error.headers.map { ($0.name.rawName, $0.value) })
        headers.replaceOrAdd(name: "content-type", value: "application/json")
        headers.replaceOrAdd(name: "content-length", value: String(body.readableBytes))
        headers.replaceOrAdd(name: "connection", value: "close")
        let status = HTTPResponseStatus(statusCode: error.status.code, reasonPhrase: error.status.reasonPhrase)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
