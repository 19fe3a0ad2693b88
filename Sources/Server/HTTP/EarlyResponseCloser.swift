import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose response ended before its request did (a body over
/// the limit answered 413, or a route that never reads its body), instead of
/// letting Hummingbird drain the rest of the body to keep the connection: a
/// client announcing 100 MiB would otherwise be read to the end.
///
/// The response says `Connection: close`; once it is written the connection is
/// closed lingering (see `closeLingering`), what still arrives dropped.
final class EarlyResponseCloser: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// A request head has arrived and its end has not.
    private var readingRequest = false
    /// The response being written answers a request still arriving.
    private var answeringEarly = false
    /// The output is shut: inbound parts are dropped.
    private var discarding = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if discarding { return }
        switch unwrapInboundIn(data) {
        case .head: readingRequest = true
        case .end: readingRequest = false
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Keep reading while discarding, whatever the HTTP side asks: that is how the client's EOF is seen.
        if discarding { return context.read() }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where readingRequest && !head.status.isInformational:
            answeringEarly = true
            head.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where answeringEarly:
            answeringEarly = false
            discarding = true
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            context.writeAndFlush(data, promise: written)
            let channel = context.channel
            written.futureResult.assumeIsolated().whenComplete { _ in channel.closeLingering() }
            context.read()
        default:
            context.write(data, promise: promise)
        }
    }
}

extension HTTPResponse.Status {
    fileprivate var isInformational: Bool { kind == .informational }
}
