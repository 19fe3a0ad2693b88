import AMQPBroker
import AuctionCore
import Foundation
import InMemoryBroker
import Limits
import Logging
import PostgresBackend
import RedisBroker
import SQLiteBackend
import Sessions

/// The one place that knows every implementation: builds each from its settings.
public enum BackendFactory {
    public static func makeDependencies(settings: AppSettings, logger: Logger) throws -> AuctionDependencies {
        AuctionDependencies(
            store: try makeStore(settings.storage, logger: logger),
            broker: try makeBroker(settings.broker, logger: logger),
            sessions: try makeSessions(settings.sessions),
            limiter: try makeLimiter(settings.sessions))
    }

    public static func makeStore(_ storage: StorageSettings, logger: Logger) throws -> any AuctionStore {
        switch storage {
        case .sqlite(let path, let synchronous):
            return try SQLiteStore(path: path, synchronous: synchronous)
        case .postgres(let pg):
            return PostgresStore(configuration: pg.storeConfiguration, logger: logger)
        }
    }

    static func makeBroker(_ broker: BrokerSettings, logger: Logger) throws -> any EventBroker {
        switch broker {
        case .memory:
            return InMemoryBroker()
        case .redis(let url):
            return try RedisBroker(url: url, logger: logger)
        case .amqp(let url, let exchange):
            return try AMQPBroker(url: url, exchange: exchange, logger: logger)
        }
    }

    static func makeSessions(_ sessions: SessionsSettings) throws -> any SessionStore {
        switch sessions {
        case .memory:
            return InMemorySessionStore()
        case .redis(let url):
            return try RedisSessionStore(url: url)
        }
    }

    /// Limits live where sessions do: on Redis they hold for the whole cluster.
    static func makeLimiter(_ sessions: SessionsSettings) throws -> any RateLimiter {
        switch sessions {
        case .memory:
            return InMemoryRateLimiter()
        case .redis(let url):
            return try RedisRateLimiter(url: url)
        }
    }
}
