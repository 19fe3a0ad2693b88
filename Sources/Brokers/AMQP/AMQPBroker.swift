import AMQPClient
import AuctionCore
import AuctionSupport
import Foundation
import Logging
import Synchronization

/// `EventBroker` on a RabbitMQ topic exchange.
///
/// - Publishing: the event's JSON to the durable topic exchange (default
///   `auction.events`) with routing key `lot.<id>` (a user's own events: `user.<id>`), on a connection of its own
///   in confirm mode: `publish` returns once RabbitMQ has the message, and
///   throws `AuctionError.unavailable` within a bounded time when it cannot.
/// - Consuming: `run()` keeps a second connection with an exclusive,
///   auto-delete, server-named queue bound to `lot.*` and `user.*` and consumes it in no-ack
///   mode. No-ack, because the broker is only the fast path: a message lost in
///   a crash is read back from the store's event log, so acks would only cost
///   round trips. Each message is turned back into an `EventRecord` and handed
///   to every local subscriber. A lost connection is re-established with
///   backoff (with jitter) and the queue, binding and consumer restored
///   (`events()` tells when, so users can resync).
///
/// One instance per server process. One queue carries all lots in publish
/// order, so one lot's events are never reordered.
public final class AMQPBroker: EventBroker {
    public let url: AMQPURL
    public let exchange: String
    let settings: AMQPBrokerSettings
    let logger: Logger
    let fanOut = Broadcast<EventRecord>()
    let status = Mutex(ConsumerStatus())
    let observers = Broadcast<AMQPBrokerEvent>()
    private let publisher: AMQPPublisher

    struct ConsumerStatus {
        var consuming = false
        var generation = 0
    }

    public convenience init(url: URL, exchange: String = "auction.events", logger: Logger) throws {
        try self.init(url: AMQPURL(url), exchange: exchange, settings: AMQPBrokerSettings(), logger: logger)
    }

    public init(url: AMQPURL, exchange: String = "auction.events", settings: AMQPBrokerSettings,
                logger: Logger) throws {
        guard !exchange.isEmpty, exchange.utf8.count <= 255 else {
            throw AMQPError.invalidURL("the exchange name must be 1 to 255 bytes")
        }
        self.url = url
        self.exchange = exchange
        self.settings = settings
        self.logger = logger
        self.publisher = AMQPPublisher(
            options: Self.connectionOptions(url: url, name: "publisher", settings: settings),
            exchange: exchange, settings: settings, logger: logger)
    }

    /// The routing key of a lot's events.
    package static func routingKey(lotID: Int64) -> String { "lot.\(lotID)" }

    /// The routing key of a stream's events.
    package static func routingKey(of stream: EventStream) -> String {
        switch stream {
        case .lot(let id): routingKey(lotID: id)
        case .user(let id): "user.\(id)"
        }
    }

    /// The user stream a routing key carries, nil for a lot's.
    static func userStream(routingKey: String) -> EventStream? {
        guard routingKey.hasPrefix("user."), let id = Int64(routingKey.dropFirst(5)) else { return nil }
        return .user(id)
    }

    // MARK: EventBroker

    public func publish(_ event: EventRecord) async throws {
        do {
            try await publisher.publish(routingKey: Self.routingKey(of: event.stream), body: Array(event.json.utf8))
        } catch {
            throw AuctionError.unavailable("the event broker (RabbitMQ) cannot take the event: \(error)")
        }
    }

    public func subscribe() async -> AsyncStream<EventRecord> {
        fanOut.subscribe()
    }

    public func ping() async throws {
        do {
            try await publisher.ping()
        } catch {
            throw AuctionError.unavailable("the event broker (RabbitMQ) does not answer: \(error)")
        }
    }

    // MARK: Consumer status

    /// How many local subscriptions are live.
    package var subscriberCount: Int { fanOut.count }

    /// True while the consumer is bound and consuming: events published from now on arrive.
    package var isConsuming: Bool { status.withLock { $0.consuming } }

    /// The consumer's connection events from now on (see `AMQPBrokerEvent`);
    /// the stream ends when `run()` returns.
    public func events() -> AsyncStream<AMQPBrokerEvent> {
        observers.subscribe()
    }

    /// Waits until the consumer is consuming (or the timeout passes: then false).
    package func waitUntilConsuming(timeout: Duration) async -> Bool {
        await waitUntil(timeout: timeout) { isConsuming }
    }

    func report(_ event: AMQPBrokerEvent) {
        status.withLock { status in
            switch event {
            case .consuming:
                status.consuming = true
            case .disconnected:
                status.consuming = false
            }
        }
        observers.yield(event)
    }

    func shutdownPublisher() async {
        await publisher.shutdown()
    }

    static func connectionOptions(url: AMQPURL, name: String, settings: AMQPBrokerSettings) -> AMQPConnectionOptions {
        AMQPConnectionOptions(
            url: url, name: name, heartbeat: settings.heartbeat, connectTimeout: settings.connectTimeout,
            operationTimeout: settings.operationTimeout, confirmTimeout: settings.confirmTimeout)
    }
}
