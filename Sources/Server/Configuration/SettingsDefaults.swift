import Configuration

/// The default of every setting that has one, in this one place: the last of the
/// loader's providers. They are the development values; `config/prod.json` names
/// what production changes. The README's settings table lists the same.
enum SettingsDefaults {
    static let values: [AbsoluteConfigKey: ConfigValue] = [
        "http.host": "127.0.0.1",
        "http.port": 8000,
        "http.headerTimeoutMs": 10000,
        "health.timeoutMs": 2000,
        "http.trustedProxies": "",
        "http.corsOrigins": "",
        "server.role": "all",
        "storage.kind": "sqlite",
        "storage.sqlite.path": "auction.sqlite",
        "storage.sqlite.synchronous": "full",
        "storage.autoMigrate": true,
        "storage.postgres.host": "localhost",
        "storage.postgres.port": 5432,
        "storage.postgres.database": "auction",
        "storage.postgres.sslMode": "disable",
        "broker.kind": "memory",
        "broker.amqp.exchange": "auction.events",
        "sessions.kind": "memory",
        "jwt.secret": ConfigValue(.string(JWTSettings.devSecret), isSecret: true),
        "jwt.algorithm": "HS256",
        "jwt.expirationMinutes": 30,
        "auth.bcryptCost": 10,
        "hub.socketBufferLimit": 1024,
        "hub.resyncIntervalMs": 1000,
        "hub.pingIntervalMs": 30000,
        "hub.socketsPerAddress": 1000,
        "closer.intervalMs": 1000,
        "limits.enabled": true,
        "limits.loginFailuresPerUsername": 10,
        "limits.loginFailureWindowSeconds": 900,
        "limits.loginsPerAddressPerMinute": 30,
        "limits.registrationsPerAddressPerMinute": 10,
        "limits.bidsPerUserPerSecond": 20,
        "idempotency.purgeIntervalMs": 3_600_000,
        "log.level": "info",
        "log.format": "text",
        "telegram.apiURL": "https://api.telegram.org",
        "telegram.events": "bid_placed,lot_status_changed,lot_extended,lot_closed",
    ]

    static let provider = InMemoryProvider(name: "defaults", values: values)
}
