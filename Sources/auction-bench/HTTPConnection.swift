import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection on SwiftNIO: each caller sends a request
/// and waits for its response. The bench gives each bidder its own connection,
/// so requests go one at a time, the way a browser tab or an app would send them.
final class HTTPConnection: Sendable {
    private let channel: any Channel
    private let hostHeader: String

    private init(channel: any Channel, hostHeader: String) {
        self.channel = channel
        self.hostHeader = hostHeader
    }

    static func connect(
        host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> HTTPConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HTTPClientHandler())
                }
            }
            .connect(host: host, port: port).get()
        return HTTPConnection(channel: channel, hostHeader: "\(host):\(port)")
    }

    /// Sends one request; `headers` are added to Host and Content-Length.
    func send(
        _ method: HTTPMethod, _ path: String, headers extra: [(String, String)] = [], body: String? = nil
    ) async throws -> HTTPResult {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: hostHeader)
        for (name, value) in extra { headers.add(name: name, value: value) }
        let buffer = body.map { ByteBuffer(string: $0) }
        headers.add(name: "Content-Length", value: String(buffer?.readableBytes ?? 0))
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
        let response = channel.eventLoop.makePromise(of: HTTPResult.self)
        let written = channel.eventLoop.makePromise(of: Void.self)
        // A write that never reached the handler (a closed channel) must still end the wait;
        // a promise completed twice keeps its first result.
        written.futureResult.whenFailure { response.fail($0) }
        // A server that stops answering must not hang the bench: fail the wait and the connection.
        let channel = self.channel
        let timeout = channel.eventLoop.scheduleTask(in: Self.timeout) {
            response.fail(Timeout())
            channel.close(promise: nil)
        }
        response.futureResult.whenComplete { _ in timeout.cancel() }
        channel.writeAndFlush(PendingRequest(head: head, body: buffer, response: response), promise: written)
        return try await response.futureResult.get()
    }

    static let timeout = TimeAmount.seconds(30)

    struct Timeout: Error, CustomStringConvertible {
        var description: String { "no response within \(HTTPConnection.timeout.nanoseconds / 1_000_000_000) s" }
    }

    func close() async {
        try? await channel.close()
    }
}
