import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request NIO's HTTP parser refused (a head over its 80 KiB limit, a
/// malformed line) as the API answers errors, with a `{"detail"}` body, where
/// Hummingbird would send an empty 400; then closes, as nothing after it can be
/// parsed (lingering: the client may still be sending the rest of the head).
/// While an earlier response is still due, the connection is closed without one
/// (the client would take it for that response).
final class ParseErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests read whose response has not ended yet.
    private var unanswered = 0
    private var failed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { unanswered += 1 }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Keep reading after a failure, whatever the HTTP side asks: that is how the client's EOF is seen.
        if failed { return context.read() }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { unanswered = max(0, unanswered - 1) }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // After a failure the decoder reports every byte that still comes: dropped.
        guard !failed else { return }
        guard let parseError = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        failed = true
        // The request whose head failed never reached the HTTP side; one being read has.
        guard unanswered == 0 else { return context.close(promise: nil) }
        let answer = Self.answer(to: parseError)
        var head = HTTPResponse(status: answer.status)
        head.headerFields[.contentType] = "application/json"
        head.headerFields[.contentLength] = String(answer.body.utf8.count)
        head.headerFields[.connection] = "close"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(string: answer.body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            channel.closeLingering()
        }
        context.read()
    }

    static func answer(to error: HTTPParserError) -> APIError {
        switch error {
        case .headerOverflow:
            APIError(status: .requestHeaderFieldsTooLarge, detail: "Request header fields are larger than 80 KiB")
        default:
            APIError(status: .badRequest, detail: "Malformed HTTP request (\(error))")
        }
    }
}
