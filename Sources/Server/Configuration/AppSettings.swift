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
    /// How often timed lots are checked for their end (milliseconds).
    public var closerIntervalMilliseconds: Int
    /// How often idempotency keys older than 24 hours are deleted (milliseconds).
    public var idempotencyPurgeIntervalMilliseconds: Int
    public var log: LogSettings

    init(reading config: SettingsReader, profile: Profile) throws(SettingsError) {
        self.profile = profile
        host = try config.string("http.host")
        port = try config.int("http.port", in: 0...65535)
        role = try config.choice("server.role")
        storage = try StorageSettings(reading: config)
        autoMigrate = try config.bool("storage.autoMigrate")
        broker = try BrokerSettings(reading: config)
        sessions = try SessionsSettings(reading: config)
        jwt = try JWTSettings(reading: config, profile: profile)
        bcryptCost = try config.int("auth.bcryptCost", in: 4...31)
        socketBufferLimit = try config.int("hub.socketBufferLimit", in: 16...1_000_000)
        resyncIntervalMilliseconds = try config.int("hub.resyncIntervalMs", in: 50...600_000)
        pingIntervalMilliseconds = try config.int("hub.pingIntervalMs", in: 100...600_000)
        closerIntervalMilliseconds = try config.int("closer.intervalMs", in: 50...600_000)
        idempotencyPurgeIntervalMilliseconds = try config.int("idempotency.purgeIntervalMs", in: 1000...86_400_000)
        log = try LogSettings(reading: config)
    }

    /// The settings for running the tests: the defaults on the given SQLite file,
    /// the fastest bcrypt, and any free port.
    public static func testing(sqlitePath: String) throws -> AppSettings {
        try SettingsLoader.settings(overriding: [
            "storage.sqlite.path": .init(.string(sqlitePath), isSecret: false),
            "auth.bcryptCost": 4,
            "http.port": 0,
        ])
    }
}
