import AMQPClient
import AuctionCore
import AuctionSupport
import Logging

extension AMQPBroker {
    /// Runs the consumer until cancelled: connects, declares the exchange and a
    /// private queue bound to `lot.*` and `user.*`, consumes, and on any loss starts over
    /// after a backoff (100 ms doubling to 2 s by default, with jitter). On return
    /// the publisher connection is closed and every subscriber's stream ends.
    public func run() async throws {
        var backoff = Backoff(initial: settings.reconnectDelay, maximum: settings.maximumReconnectDelay)
        let options = Self.connectionOptions(url: url, name: "consumer", settings: settings)
        while !Task.isCancelled {
            do {
                let connection = try await AMQPConnection.connect(options, logger: logger)
                let reason = await consume(on: connection)
                // Only a connection that got as far as consuming resets the backoff.
                if isConsuming { backoff.reset() }
                if Task.isCancelled { break }
                logger.warning("AMQP consumer connection lost; reconnecting", metadata: ["reason": "\(reason)"])
                report(.disconnected(reason: reason.description))
            } catch {
                if Task.isCancelled { break }
                logger.warning("AMQP consumer cannot connect", metadata: ["error": "\(error)", "url": "\(url)"])
            }
            do {
                try await Task.sleep(for: backoff.next())
            } catch {
                break
            }
        }
        status.withLock { $0.consuming = false }
        await shutdownPublisher()
        fanOut.finish()
        observers.finish()
    }

    /// Sets up the queue and consumer on a fresh connection, then waits until the
    /// connection ends (or the task is cancelled, which closes it). Returns why it ended.
    private func consume(on connection: AMQPConnection) async -> AMQPError {
        await withTaskCancellationHandler {
            do throws(AMQPError) {
                try await connection.declareExchange(exchange, type: "topic", durable: true)
                let queue = try await connection.declareQueue("", durable: false, exclusive: true, autoDelete: true)
                try await connection.bindQueue(queue, exchange: exchange, routingKey: "lot.*")
                try await connection.bindQueue(queue, exchange: exchange, routingKey: "user.*")
                let fanOut = self.fanOut
                let logger = self.logger
                try await connection.consume(queue: queue, noAck: true) { delivery in
                    let json = String(decoding: delivery.body, as: UTF8.self)
                    let stream = Self.userStream(routingKey: delivery.routingKey)
                    guard let record = EventRecord(json: json, stream: stream) else {
                        logger.warning("AMQP message is not an event; dropped", metadata: ["routing_key": "\(delivery.routingKey)"])
                        return
                    }
                    fanOut.yield(record)
                }
                let generation = status.withLock { status in
                    status.generation += 1
                    return status.generation
                }
                logger.info("AMQP consumer ready", metadata: ["queue": "\(queue)", "generation": "\(generation)"])
                report(.consuming(generation: generation))
            } catch {
                connection.requestClose()
                return error
            }
            return await connection.waitUntilClosed()
        } onCancel: {
            connection.requestClose()
        }
    }
}
