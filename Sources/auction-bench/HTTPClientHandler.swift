import Foundation
import NIOCore
import NIOHTTP1

/// A response, its body gathered whole.
struct HTTPResult: Sendable {
    let status: Int
    let body: ByteBuffer

    var text: String { String(buffer: body) }
    var data: Data { Data(body.readableBytesView) }
}

/// A request written to the channel together with the promise its response completes.
struct PendingRequest: Sendable {
    var head: HTTPRequestHead
    var body: ByteBuffer?
    var response: EventLoopPromise<HTTPResult>
}

/// Writes requests and matches each response to the oldest request still waiting
/// (HTTP/1.1 answers in order), so a connection can be reused request after request.
final class HTTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = PendingRequest
    typealias OutboundOut = HTTPClientRequestPart

    struct ConnectionClosed: Error, CustomStringConvertible {
        var description: String { "the server closed the connection" }
    }

    struct UnexpectedResponse: Error, CustomStringConvertible {
        var description: String { "a response arrived with no request waiting for it" }
    }

    private var waiting = CircularBuffer<EventLoopPromise<HTTPResult>>()
    private var status = 0
    private var body: ByteBuffer?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        waiting.append(request.response)
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        if let body = request.body {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            body = nil
        case .body(var part):
            if body == nil {
                body = part
            } else {
                body!.writeBuffer(&part)
            }
        case .end:
            guard let promise = waiting.popFirst() else {
                context.fireErrorCaught(UnexpectedResponse())
                return
            }
            promise.succeed(HTTPResult(status: status, body: body ?? ByteBuffer()))
            body = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(ConnectionClosed())
        context.fireChannelInactive()
    }

    private func failAll(_ error: any Error) {
        while let promise = waiting.popFirst() { promise.fail(error) }
    }
}
