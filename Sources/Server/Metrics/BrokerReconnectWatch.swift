import AMQPBroker
import AuctionCore
import RedisBroker
import ServiceLifecycle

/// Counts the broker subscription's reconnections (`auction_broker_reconnects_total`)
/// from the connection events the Redis and AMQP brokers publish; the in-memory
/// broker has no connection, and this service then only waits for the shutdown.
struct BrokerReconnectWatch: Service {
    /// The generation of each (re)connection: 1 the first time, more after each loss.
    let generations: AsyncStream<Int>?
    let metrics: ServerMetrics

    init(broker: any EventBroker, metrics: ServerMetrics) {
        self.metrics = metrics
        switch broker {
        case let redis as RedisBroker:
            generations = Self.generations(of: redis.events()) { if case .subscribed(let g) = $0 { g } else { nil } }
        case let amqp as AMQPBroker:
            generations = Self.generations(of: amqp.events()) { if case .consuming(let g) = $0 { g } else { nil } }
        default:
            generations = nil
        }
    }

    func run() async {
        await cancelWhenGracefulShutdown { [generations, metrics] in
            if let generations { await Self.count(generations, into: metrics) }
            // A service that returns ends the application: wait for the shutdown.
            try? await gracefulShutdown()
        }
    }

    /// Counts each generation after the first: a reconnection.
    static func count(_ generations: AsyncStream<Int>, into metrics: ServerMetrics) async {
        for await generation in generations where generation > 1 {
            metrics.brokerReconnects.increment()
        }
    }

    private static func generations<Event: Sendable>(
        of events: AsyncStream<Event>, _ generation: @escaping @Sendable (Event) -> Int?
    ) -> AsyncStream<Int> {
        AsyncStream { continuation in
            let task = Task {
                for await event in events {
                    if let value = generation(event) { continuation.yield(value) }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
