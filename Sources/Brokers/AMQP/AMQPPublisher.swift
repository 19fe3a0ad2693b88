import AMQPClient
import AuctionSupport
import Logging

/// The broker's publishing connection: made on first use, in confirm mode, and
/// replaced after a failure. While RabbitMQ is unreachable, attempts are spaced
/// by a backoff and calls in between fail at once, so a publish never waits
/// more than one connect timeout (or one confirm timeout).
actor AMQPPublisher {
    private let options: AMQPConnectionOptions
    private let exchange: String
    private let logger: Logger
    private var connection: AMQPConnection?
    private var connecting: Task<AMQPConnection, any Error>?
    private var backoff: Backoff
    private var nextAttempt: ContinuousClock.Instant?
    private var lastFailure: AMQPError?
    /// Set by `shutdown`: no connection is made or kept after it.
    private var isShutDown = false

    init(options: AMQPConnectionOptions, exchange: String, settings: AMQPBrokerSettings, logger: Logger) {
        self.options = options
        self.exchange = exchange
        self.logger = logger
        self.backoff = Backoff(initial: settings.reconnectDelay, maximum: settings.maximumReconnectDelay)
    }

    func publish(routingKey: String, body: [UInt8]) async throws(AMQPError) {
        let connection = try await ready()
        do {
            try await connection.publish(exchange: exchange, routingKey: routingKey, body: body)
        } catch {
            drop(connection, error)
            throw error
        }
    }

    /// A round trip on the publishing connection (a passive declare of the exchange).
    func ping() async throws(AMQPError) {
        let connection = try await ready()
        do {
            try await connection.declareExchange(exchange, passive: true)
        } catch {
            drop(connection, error)
            throw error
        }
    }

    func shutdown() async {
        isShutDown = true
        connecting?.cancel()
        let connection = self.connection
        self.connection = nil
        await connection?.close()
    }

    private func ready() async throws(AMQPError) -> AMQPConnection {
        guard !isShutDown else { throw .closed }
        if let connection, connection.isOpen { return connection }
        connection = nil
        if let connecting { return try await Self.value(of: connecting) }
        if let nextAttempt, ContinuousClock.now < nextAttempt {
            throw lastFailure ?? .connectionLost("reconnecting")
        }
        let options = self.options
        let exchange = self.exchange
        let logger = self.logger
        let task = Task<AMQPConnection, any Error> {
            let connection = try await AMQPConnection.connect(options, logger: logger)
            do {
                try await connection.declareExchange(exchange, type: "topic", durable: true)
                try await connection.enablePublisherConfirms()
            } catch {
                await connection.close()
                throw error
            }
            return connection
        }
        connecting = task
        let connection: AMQPConnection
        do {
            connection = try await Self.value(of: task)
        } catch {
            connecting = nil
            lastFailure = error
            nextAttempt = .now + backoff.next()
            logger.warning("AMQP publisher cannot connect", metadata: ["error": "\(error)"])
            throw error
        }
        connecting = nil
        // Shut down while connecting: the new connection is not kept.
        guard !isShutDown else {
            await connection.close()
            throw .closed
        }
        self.connection = connection
        backoff.reset()
        nextAttempt = nil
        lastFailure = nil
        return connection
    }

    private func drop(_ failed: AMQPConnection, _ error: AMQPError) {
        guard connection === failed else { return }
        connection = nil
        failed.requestClose()
        logger.warning("AMQP publisher connection lost", metadata: ["error": "\(error)"])
    }

    private static func value(of task: Task<AMQPConnection, any Error>) async throws(AMQPError) -> AMQPConnection {
        do {
            return try await task.value
        } catch let error as AMQPError {
            throw error
        } catch {
            throw .connectionLost("\(error)")
        }
    }
}
