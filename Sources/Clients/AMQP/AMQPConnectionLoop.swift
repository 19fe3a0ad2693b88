import Logging

/// The body of a connection's thread: it owns the session, runs the jobs the
/// mailbox brings, waits for publisher confirms, hands deliveries to the
/// consumer's handler, and while idle keeps reading frames so that heartbeats
/// are sent and a dead server is noticed. Confined to that one thread.
final class AMQPConnectionLoop {
    private struct PendingConfirm {
        let tag: UInt64
        let deadline: ContinuousClock.Instant
        let completion: @Sendable (Result<Void, AMQPError>) -> Void
    }

    /// How long an idle publisher sleeps before reading frames (heartbeats) again.
    private static let idleWait: Duration = .seconds(1)
    /// How long a consumer blocks on the socket before it looks at its mailbox.
    private static let consumeSlice: Duration = .milliseconds(100)
    /// The longest wait for a confirm before new publishes are sent too.
    private static let confirmSlice: Duration = .milliseconds(10)
    /// Frames read in one go before the mailbox is looked at again.
    private static let burst = 256

    let session: AMQPSession
    private let options: AMQPConnectionOptions
    private let logger: Logger
    private var confirmsSelected = false
    private var publishedCount: UInt64 = 0
    private var pendingConfirms: [PendingConfirm] = []
    private var deliveryHandler: (@Sendable (AMQPDelivery) -> Void)?

    private init(session: AMQPSession, options: AMQPConnectionOptions, logger: Logger) {
        self.session = session
        self.options = options
        self.logger = logger
    }

    /// The thread's entry point. Connects, reports the outcome through `opened`,
    /// then serves the mailbox until a close is asked for or the connection fails.
    static func run(options: AMQPConnectionOptions, mailbox: AMQPMailbox, logger: Logger,
                    opened: @Sendable (Result<Void, AMQPError>) -> Void) {
        let session: AMQPSession
        do {
            session = try AMQPSession(options: options)
        } catch {
            mailbox.finish(error)
            opened(.failure(error))
            return
        }
        opened(.success(()))
        let loop = AMQPConnectionLoop(session: session, options: options, logger: logger)
        let reason = loop.serve(mailbox)
        loop.failPendingConfirms(reason)
        mailbox.finish(reason)
        if reason != .closed {
            logger.debug("AMQP connection ended", metadata: ["connection": "\(options.name)", "reason": "\(reason)"])
        }
        // `loop` and `session` die here, on their own thread: the C handle is destroyed.
    }

    private func serve(_ mailbox: AMQPMailbox) -> AMQPError {
        while true {
            let busy = deliveryHandler != nil || !pendingConfirms.isEmpty
            let (jobs, closeRequested) = mailbox.take(wait: busy ? nil : Self.idleWait)
            if closeRequested {
                // Jobs taken with the request would otherwise never answer their callers.
                for job in jobs { job.fail(.closed) }
                session.close()
                return .closed
            }
            for job in jobs {
                if let failure = session.failure {
                    job.fail(failure)
                } else {
                    job.run(self)
                }
            }
            if let failure = session.failure { return failure }
            do {
                if let first = pendingConfirms.first {
                    let left = first.deadline - .now
                    guard left > .zero else {
                        // The server's state is unknown now; start over on a new connection.
                        return .confirmTimeout
                    }
                    try readFrames(timeout: min(left, Self.confirmSlice))
                } else if deliveryHandler != nil {
                    try readFrames(timeout: Self.consumeSlice)
                } else {
                    // Idle: a short read sends a heartbeat when one is due and notices
                    // a closed socket or a server whose heartbeats stopped.
                    try readFrames(timeout: .milliseconds(1))
                }
            } catch {
                return error
            }
        }
    }

    /// Reads one frame (waiting up to `timeout`), then whatever more is already buffered.
    private func readFrames(timeout: Duration) throws(AMQPError) {
        var wait = timeout
        for _ in 0..<Self.burst {
            guard let incoming = try session.nextFrame(timeout: wait) else { return }
            handle(incoming)
            wait = .zero
        }
    }

    private func handle(_ incoming: AMQPSession.Incoming) {
        switch incoming {
        case .delivery(let delivery):
            deliveryHandler?(delivery)
        case .ack(let tag, let multiple):
            settle(tag: tag, multiple: multiple, with: .success(()))
        case .nack(let tag, let multiple):
            settle(tag: tag, multiple: multiple, with: .failure(.publishRejected))
        case .other:
            break
        }
    }

    private func settle(tag: UInt64, multiple: Bool, with result: Result<Void, AMQPError>) {
        // Tags grow in publish order, so the settled ones are a prefix (or one entry).
        if multiple {
            while let first = pendingConfirms.first, first.tag <= tag {
                pendingConfirms.removeFirst().completion(result)
            }
        } else if let index = pendingConfirms.firstIndex(where: { $0.tag == tag }) {
            pendingConfirms.remove(at: index).completion(result)
        }
    }

    private func failPendingConfirms(_ reason: AMQPError) {
        let pending = pendingConfirms
        pendingConfirms = []
        for confirm in pending { confirm.completion(.failure(reason)) }
    }

    // MARK: Operations (called by jobs, on this thread)

    func selectConfirms() throws(AMQPError) {
        try session.selectConfirms()
        confirmsSelected = true
    }

    /// Publishes; `completion` runs when the server confirms (or at once without confirms).
    func publish(exchange: String, routingKey: String, body: [UInt8], contentType: String,
                 completion: @escaping @Sendable (Result<Void, AMQPError>) -> Void) {
        do {
            try session.publish(exchange: exchange, routingKey: routingKey, body: body, contentType: contentType)
        } catch {
            completion(.failure(error))
            return
        }
        publishedCount += 1
        if confirmsSelected {
            pendingConfirms.append(PendingConfirm(
                tag: publishedCount, deadline: .now + options.confirmTimeout, completion: completion))
        } else {
            completion(.success(()))
        }
    }

    func consume(queue: String, noAck: Bool, handler: @escaping @Sendable (AMQPDelivery) -> Void) throws(AMQPError) {
        try session.consume(queue: queue, noAck: noAck)
        deliveryHandler = handler
    }
}
