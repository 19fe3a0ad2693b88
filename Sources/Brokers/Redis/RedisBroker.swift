import AuctionCore
import AuctionSupport
import Foundation
import Logging
import RedisClient

/// `EventBroker` on Redis pub/sub.
///
/// - Publishing: PUBLISH of the event's JSON on its stream's channel
///   `auction:lot:<id>` (a user's own events: `auction:user:<id>`), through a small connection pool; fails within a
///   bounded time with `AuctionError.unavailable` when Redis is down.
/// - Receiving: `run()` keeps one connection with pattern subscriptions on
///   `auction:lot:*` and `auction:user:*` (a `RedisSubscriber` on its own thread), turns each
///   message back into an `EventRecord` and hands it to every local subscriber.
///   A lost connection is re-established with backoff; `events()` tells when,
///   as messages published meanwhile are lost (read them from the store).
///
/// One instance per server process. Redis delivers one connection's messages
/// in publish order, so one lot's events are never reordered.
public final class RedisBroker: EventBroker {
    static let channelPrefix = "auction:lot:"
    static let userChannelPrefix = "auction:user:"
    public let configuration: RedisConfiguration
    private let pool: RedisConnectionPool
    private let subscriber: RedisSubscriber
    private let fanOut: Broadcast<EventRecord>
    private let logger: Logger

    public convenience init(url: URL, logger: Logger = Logger(label: "RedisBroker")) throws {
        try self.init(configuration: RedisConfiguration(url: url), logger: logger)
    }

    public init(
        configuration: RedisConfiguration, poolSize: Int = 4, reconnectDelay: Duration = .milliseconds(100),
        maximumReconnectDelay: Duration = .seconds(2), logger: Logger = Logger(label: "RedisBroker")
    ) {
        let fanOut = Broadcast<EventRecord>()
        self.configuration = configuration
        self.logger = logger
        self.fanOut = fanOut
        self.pool = RedisConnectionPool(configuration: configuration, size: poolSize, logger: logger)
        self.subscriber = RedisSubscriber(
            configuration: configuration, patterns: [Self.channelPrefix + "*", Self.userChannelPrefix + "*"], reconnectDelay: reconnectDelay,
            maximumReconnectDelay: maximumReconnectDelay, logger: logger
        ) { message in
            guard let event = EventRecord(json: message.payload, stream: Self.userStream(channel: message.channel)) else {
                logger.warning("ignoring a message that is not an event", metadata: ["channel": "\(message.channel)"])
                return
            }
            fanOut.yield(event)
        }
    }

    /// The channel of a lot's events.
    static func channel(lotID: Int64) -> String { channelPrefix + String(lotID) }

    /// The channel of a stream's events.
    static func channel(of stream: EventStream) -> String {
        switch stream {
        case .lot(let id): channel(lotID: id)
        case .user(let id): userChannelPrefix + String(id)
        }
    }

    /// The user stream a channel carries, nil for a lot's.
    static func userStream(channel: String) -> EventStream? {
        guard channel.hasPrefix(userChannelPrefix), let id = Int64(channel.dropFirst(userChannelPrefix.count)) else {
            return nil
        }
        return .user(id)
    }

    // MARK: EventBroker

    /// Runs the subscription until cancelled, reconnecting as needed. On return
    /// every subscriber's stream ends and the publishing connections close.
    public func run() async throws {
        await subscriber.run()
        pool.shutdown()
        fanOut.finish()
    }

    public func publish(_ event: EventRecord) async throws {
        let reply: RedisValue
        do {
            reply = try await pool.command(["PUBLISH", Self.channel(of: event.stream), event.json])
        } catch {
            throw AuctionError.unavailable("the event broker (Redis) cannot take the event: \(error)")
        }
        if case .error(let message) = reply {
            throw AuctionError.unavailable("the event broker (Redis) refused the event: \(message)")
        }
    }

    public func subscribe() async -> AsyncStream<EventRecord> {
        fanOut.subscribe()
    }

    public func ping() async throws {
        let reply: RedisValue
        do {
            reply = try await pool.command(["PING"])
        } catch {
            throw AuctionError.unavailable("the event broker (Redis) does not answer: \(error)")
        }
        guard reply == .status("PONG") else {
            throw AuctionError.unavailable("the event broker (Redis) answered PING with \(reply)")
        }
    }

    // MARK: Subscription status

    /// How many local subscriptions are live.
    package var subscriberCount: Int { fanOut.count }

    /// True while the pattern subscription is active: events published from now on arrive.
    package var isSubscribed: Bool { subscriber.isSubscribed }

    /// The subscription's connection events from now on (see `RedisSubscriptionEvent`).
    public func events() -> AsyncStream<RedisSubscriptionEvent> {
        subscriber.events()
    }

    /// Waits until the subscription is active (or the timeout passes: then false).
    package func waitUntilSubscribed(timeout: Duration) async -> Bool {
        await subscriber.waitUntilSubscribed(timeout: timeout)
    }
}
