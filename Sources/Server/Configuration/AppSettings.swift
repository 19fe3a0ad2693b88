import Foundation

/// What `auction serve` runs on, validated. Read by `SettingsLoader`, whose
/// `SettingsDefaults` hold every default; tests start from `AppSettings.testing`.
public struct AppSettings: Sendable {
    /// The profile named by `APP_SETTINGS`: which file of `config/` is read, and how strict the checks are.
    public enum Profile: String, Sendable, CaseIterable { case dev, prod }
    /// Which routes a process serves: both, the HTTP API only, or the WebSockets only.
    public enum Role: String, Sendable, CaseIterable { case all, api, gateway }

    public var profile: Profile
    public var host: String
    public var port: Int
    public var role: Role
    /// How long a connection may take to send a complete request head, from its
    /// start or its last response (milliseconds); a slower one is closed.
    public var headerTimeoutMilliseconds: Int
    /// How long `/readyz` and `auction check` wait for each dependency's answer (milliseconds).
    public var healthTimeoutMilliseconds: Int
    /// The proxies whose `X-Forwarded-For` names the client (addresses or CIDR ranges).
    var trustedProxies: TrustedProxies
    /// The browser origins given CORS headers (none by default).
    public var corsOrigins: [String]

    public var storage: StorageSettings
    /// Apply migrations on start (dev); otherwise an out-of-date schema stops the start.
    public var autoMigrate: Bool
    public var broker: BrokerSettings
    public var sessions: SessionsSettings

    public var jwt: JWTSettings
    /// bcrypt's cost factor (4...31); each step doubles the work of a login.
    public var bcryptCost: Int

    /// Events a socket may have queued before it counts as too slow and is closed.
    public var socketBufferLimit: Int
    /// How often the hub compares each watched lot with the event log (milliseconds).
    public var resyncIntervalMilliseconds: Int
    /// How often every socket is pinged (milliseconds); one that left the previous
    /// ping unanswered is closed. Below a proxy's read timeout, it keeps idle sockets open.
    public var pingIntervalMilliseconds: Int
    /// Lot sockets one client address may hold open; past it an upgrade is refused with 429.
    public var socketsPerAddress: Int
    /// How often timed lots are checked for their end (milliseconds).
    public var closerIntervalMilliseconds: Int
    public var limits: LimitSettings
    /// How often idempotency keys older than 24 hours are deleted (milliseconds).
    public var idempotencyPurgeIntervalMilliseconds: Int
    public var log: LogSettings
    /// The Telegram notifier; nil when off.
    public var telegram: TelegramSettings?

    init(reading config: SettingsReader, profile: Profile) throws(SettingsError) {
        self.profile = profile
        host = try config.string("http.host")
        port = try config.int("http.port", in: 0...65535)
        headerTimeoutMilliseconds = try config.int("http.headerTimeoutMs", in: 100...600_000)
        role = try config.choice("server.role")
        healthTimeoutMilliseconds = try config.int("health.timeoutMs", in: 100...600_000)
        let proxies = try config.list("http.trustedProxies")
        do {
            trustedProxies = try TrustedProxies(entries: proxies)
        } catch {
            throw config.error("http.trustedProxies", "must list addresses or CIDR ranges, got '\(error.text)'")
        }
        corsOrigins = try config.list("http.corsOrigins")
        for origin in corsOrigins where !CORSPolicy.isOrigin(origin) {
            throw config.error("http.corsOrigins", "must list origins such as https://example.com, got '\(origin)'")
        }
        storage = try StorageSettings(reading: config)
        autoMigrate = try config.bool("storage.autoMigrate")
        broker = try BrokerSettings(reading: config)
        sessions = try SessionsSettings(reading: config)
        jwt = try JWTSettings(reading: config, profile: profile)
        bcryptCost = try config.int("auth.bcryptCost", in: 4...31)
        socketBufferLimit = try config.int("hub.socketBufferLimit", in: 16...1_000_000)
        resyncIntervalMilliseconds = try config.int("hub.resyncIntervalMs", in: 50...600_000)
        pingIntervalMilliseconds = try config.int("hub.pingIntervalMs", in: 100...600_000)
        socketsPerAddress = try config.int("hub.socketsPerAddress", in: 1...10_000_000)
        closerIntervalMilliseconds = try config.int("closer.intervalMs", in: 50...600_000)
        limits = try LimitSettings(reading: config)
        idempotencyPurgeIntervalMilliseconds = try config.int("idempotency.purgeIntervalMs", in: 1000...86_400_000)
        log = try LogSettings(reading: config)
        telegram = try TelegramSettings.read(from: config)
    }

    /// The settings for running the tests: the defaults on the given SQLite file,
    /// the fastest bcrypt, any free port, and no rate limits (tests sign up many
    /// users from one address; the limits' own tests switch them on). The header
    /// timeout, which also ends idle keep-alive connections, is ten minutes:
    /// HummingbirdTesting's live client keeps one connection and never reconnects,
    /// and a loaded machine can leave it idle for more than the 10 s default. The
    /// readiness checks wait a minute (2 s was exceeded at a load average of 30).
    public static func testing(sqlitePath: String) throws -> AppSettings {
        try SettingsLoader.settings(overriding: [
            "storage.sqlite.path": .init(.string(sqlitePath), isSecret: false),
            "auth.bcryptCost": 4,
            "http.port": 0,
            "http.headerTimeoutMs": 600_000,
            "health.timeoutMs": 60_000,
            "limits.enabled": false,
        ])
    }
}
