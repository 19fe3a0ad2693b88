import Foundation
import Logging

/// One connection to RabbitMQ (one rabbitmq-c connection, channel 1), owned by
/// its own thread.
///
/// rabbitmq-c calls block and a connection must have a single owner, so every
/// call runs on the connection's dedicated thread, never on a NIO event loop or
/// the Swift concurrency pool: the async methods queue a job for that thread
/// and suspend on a continuation until it has run. The C handle never leaves
/// the thread. A connection is used until it fails or is closed, then replaced
/// by a new one (see `waitUntilClosed`).
public final class AMQPConnection: Sendable {
    public let options: AMQPConnectionOptions
    private let mailbox: AMQPMailbox

    private init(options: AMQPConnectionOptions, mailbox: AMQPMailbox) {
        self.options = options
        self.mailbox = mailbox
    }

    /// Starts the connection's thread, which connects and logs in; returns once
    /// it has (bounded by `connectTimeout`, twice: TCP, then the handshake).
    public static func connect(_ options: AMQPConnectionOptions, logger: Logger) async throws(AMQPError) -> AMQPConnection {
        let mailbox = AMQPMailbox()
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, AMQPError>, Never>) in
            let thread = Thread {
                AMQPConnectionLoop.run(options: options, mailbox: mailbox, logger: logger) { result in
                    continuation.resume(returning: result)
                }
            }
            thread.name = "amqp-\(options.name)"
            thread.start()
        }
        try result.get()
        return AMQPConnection(options: options, mailbox: mailbox)
    }

    deinit {
        // Nobody can use the connection any more: let its thread say goodbye and end.
        mailbox.requestClose()
    }

    /// False once the connection has failed or been closed.
    public var isOpen: Bool { !mailbox.isFinished }

    /// Asks the thread to close the connection; returns at once.
    public func requestClose() {
        mailbox.requestClose()
    }

    /// Closes the connection and waits until its thread has let go of it.
    public func close() async {
        mailbox.requestClose()
        _ = await mailbox.waitUntilFinished()
    }

    /// Returns when the connection has ended: `.closed` after `close()`, else why it failed.
    public func waitUntilClosed() async -> AMQPError {
        await mailbox.waitUntilFinished()
    }

    // MARK: Operations

    public func declareExchange(_ name: String, type: String = "topic", durable: Bool = true,
                                passive: Bool = false) async throws(AMQPError) {
        try await perform { loop throws(AMQPError) in
            try loop.session.declareExchange(name, type: type, durable: durable, passive: passive)
        }
    }

    /// Declares a queue; with an empty name the server picks one. Returns the queue's name.
    public func declareQueue(_ name: String = "", durable: Bool = false, exclusive: Bool = true,
                             autoDelete: Bool = true) async throws(AMQPError) -> String {
        try await perform { loop throws(AMQPError) in
            try loop.session.declareQueue(name, durable: durable, exclusive: exclusive, autoDelete: autoDelete)
        }
    }

    public func bindQueue(_ queue: String, exchange: String, routingKey: String) async throws(AMQPError) {
        try await perform { loop throws(AMQPError) in
            try loop.session.bindQueue(queue, exchange: exchange, routingKey: routingKey)
        }
    }

    /// Puts the channel in confirm mode: from then on `publish` returns when the server has the message.
    public func enablePublisherConfirms() async throws(AMQPError) {
        try await perform { loop throws(AMQPError) in try loop.selectConfirms() }
    }

    /// Sends a transient message; in confirm mode, waits for the server's ack
    /// (at most `confirmTimeout`, after which the connection is dropped).
    public func publish(exchange: String, routingKey: String, body: [UInt8],
                        contentType: String = "application/json") async throws(AMQPError) {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, AMQPError>, Never>) in
            mailbox.submit(AMQPMailbox.Job(
                run: { loop in
                    loop.publish(exchange: exchange, routingKey: routingKey, body: body, contentType: contentType) {
                        continuation.resume(returning: $0)
                    }
                },
                fail: { continuation.resume(returning: .failure($0)) }
            ))
        }
        try result.get()
    }

    /// Starts consuming the queue. `handler` runs on the connection's thread, once
    /// per delivery, in order; keep it short and non-blocking (yield to a stream).
    public func consume(queue: String, noAck: Bool = true,
                        handler: @escaping @Sendable (AMQPDelivery) -> Void) async throws(AMQPError) {
        try await perform { loop throws(AMQPError) in
            try loop.consume(queue: queue, noAck: noAck, handler: handler)
        }
    }

    /// Runs `body` on the connection's thread and returns its result.
    private func perform<T: Sendable>(
        _ body: @escaping @Sendable (AMQPConnectionLoop) throws(AMQPError) -> T
    ) async throws(AMQPError) -> T {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, AMQPError>, Never>) in
            mailbox.submit(AMQPMailbox.Job(
                run: { loop in
                    do throws(AMQPError) {
                        continuation.resume(returning: .success(try body(loop)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                },
                fail: { continuation.resume(returning: .failure($0)) }
            ))
        }
        return try result.get()
    }
}
