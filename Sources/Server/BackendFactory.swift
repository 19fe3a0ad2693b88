import AMQPBroker
import AuctionCore
import Foundation
import InMemoryBroker
import PostgresBackend
import RedisBroker
import Logging
import SQLiteBackend
import Sessions

/// The one place that knows every implementation: picks each by name from the settings.
public enum BackendFactory {
    public static func makeDependencies(settings: AppSettings, logger: Logger) throws -> AuctionDependencies {
        AuctionDependencies(
            store: try makeStore(settings: settings, logger: logger),
            broker: try makeBroker(settings: settings, logger: logger),
            sessions: try makeSessions(settings: settings, logger: logger))
    }

    public static func makeStore(settings: AppSettings, logger: Logger) throws -> any AuctionStore {
        switch settings.storageKind {
        case .sqlite:
            return try SQLiteStore(
                path: settings.sqlitePath, synchronous: settings.sqliteSynchronous == .full ? .full : .normal)
        case .postgres:
            let pg = settings.postgres
            return PostgresStore(
                configuration: .init(
                    host: pg.host, port: pg.port, username: pg.user, password: pg.password, database: pg.database),
                logger: logger)
        }
    }

    static func makeBroker(settings: AppSettings, logger: Logger) throws -> any EventBroker {
        switch settings.brokerKind {
        case .memory:
            return InMemoryBroker()
        case .redis:
            return try RedisBroker(url: settings.brokerURL!, logger: logger)
        case .amqp:
            return try AMQPBroker(url: settings.brokerURL!, exchange: settings.amqpExchange, logger: logger)
        }
    }

    static func makeSessions(settings: AppSettings, logger: Logger) throws -> any SessionStore {
        switch settings.sessionsKind {
        case .memory:
            return InMemorySessionStore()
        case .redis:
            return try RedisSessionStore(url: settings.sessionsURL!)
        }
    }
}
