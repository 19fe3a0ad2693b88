import AuctionCore
import Logging

/// Sends committed events on their way: to this process's hub at once, and, off
/// the request's path, to the broker for every other process. A broker failure is
/// logged, not returned: the event is already in the log, and hubs fill gaps from it.
struct EventPublisher: Sendable {
    let hub: WebSocketHub?
    private let queue: AsyncStream<EventRecord>.Continuation
    let outbox: BrokerOutbox
    /// Told of every event published here (a lot's end stops its bids early).
    let knownLots: KnownLots?

    /// Events waiting for the broker beyond this are dropped (and later read from the log).
    static let queueLimit = 100_000

    init(broker: any EventBroker, hub: WebSocketHub?, logger: Logger, knownLots: KnownLots? = nil) {
        self.hub = hub
        self.knownLots = knownLots
        let (stream, continuation) = AsyncStream<EventRecord>.makeStream(bufferingPolicy: .bufferingOldest(Self.queueLimit))
        self.queue = continuation
        self.outbox = BrokerOutbox(broker: broker, events: stream, logger: logger)
    }

    func publish(_ events: [EventRecord]) async {
        knownLots?.published(events)
        for event in events {
            await hub?.deliver(event)
            queue.yield(event)
        }
    }
}
