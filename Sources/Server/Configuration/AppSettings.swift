import Foundation

/// Every setting the server reads, validated. Built from a `ConfigReader` by
/// `SettingsLoader`; tests build it directly.
public struct AppSettings: Sendable {
    public enum Environment: String, Sendable, CaseIterable { case dev, prod }
    public enum StorageKind: String, Sendable, CaseIterable { case sqlite, postgres }
    public enum BrokerKind: String, Sendable, CaseIterable { case memory, redis, amqp }
    public enum SessionsKind: String, Sendable, CaseIterable { case memory, redis }
    public enum JWTAlgorithm: String, Sendable, CaseIterable {
        case HS256, HS384, HS512
        /// HMAC keys shorter than the hash output weaken it; JWTKit refuses them.
        public var minimumKeyBytes: Int {
            switch self {
            case .HS256: 32
            case .HS384: 48
            case .HS512: 64
            }
        }
    }
    /// Which routes a process serves: both, the HTTP API only, or the WebSockets only.
    public enum Role: String, Sendable, CaseIterable { case all, api, gateway }
    public enum SQLiteSynchronous: String, Sendable, CaseIterable { case full, normal }

    public struct Postgres: Sendable {
        public var host = "localhost"
        public var port = 5432
        public var user = ""
        public var password = ""
        public var database = "auction"
        public init() {}
    }

    public var environment: Environment = .dev
    public var host = "127.0.0.1"
    public var port = 8000
    public var role: Role = .all

    public var storageKind: StorageKind = .sqlite
    public var sqlitePath = "auction.sqlite"
    public var sqliteSynchronous: SQLiteSynchronous = .full
    public var postgres = Postgres()
    /// Apply migrations on start (dev); otherwise an out-of-date schema stops the start.
    public var autoMigrate = true

    public var brokerKind: BrokerKind = .memory
    public var brokerURL: URL?
    public var amqpExchange = "auction.events"
    public var sessionsKind: SessionsKind = .memory
    public var sessionsURL: URL?

    public var jwtSecret = AppSettings.devSecret
    public var jwtAlgorithm: JWTAlgorithm = .HS256
    public var tokenLifetimeMinutes = 30
    /// bcrypt's cost factor (4...31); each step doubles the work of a login.
    public var bcryptCost = 10

    /// Events a socket may have queued before it counts as too slow and is closed.
    public var socketBufferLimit = 1024
    /// How often the hub compares each watched lot with the event log (milliseconds).
    public var resyncIntervalMilliseconds = 1000
    /// How often timed lots are checked for their end (milliseconds).
    public var closerIntervalMilliseconds = 1000

    /// The development secret: usable in dev only, refused in prod.
    public static let devSecret = "dev-only-secret-change-me-0123456789abcdef-0123456789abcdef-0123456789"

    public init() {}

    /// The settings for running the tests: an in-memory-like SQLite file, fast bcrypt.
    public static func testing(sqlitePath: String) -> AppSettings {
        var settings = AppSettings()
        settings.sqlitePath = sqlitePath
        settings.bcryptCost = 4
        settings.port = 0
        return settings
    }
}
