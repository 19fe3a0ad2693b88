import Configuration
import Foundation

/// Turns raw configuration values into validated `AppSettings`, naming the key and
/// its environment variable in the one line of any error.
struct SettingsParser {
    let reader: ConfigReader
    let environment: AppSettings.Environment

    func parse() throws -> AppSettings {
        var s = AppSettings()
        let prod = environment == .prod
        s.environment = environment
        s.host = raw("http.host") ?? (prod ? "0.0.0.0" : "127.0.0.1")
        s.port = try integer("http.port", in: 0...65535) ?? 8000
        s.role = try choice("server.role") ?? .all

        s.storageKind = try choice("storage.kind") ?? (prod ? .postgres : .sqlite)
        s.sqlitePath = raw("storage.sqlite.path") ?? "auction.sqlite"
        s.sqliteSynchronous = try choice("storage.sqlite.synchronous") ?? .full
        s.autoMigrate = try boolean("storage.autoMigrate") ?? !prod
        s.postgres.host = raw("storage.postgres.host") ?? "localhost"
        s.postgres.port = try integer("storage.postgres.port", in: 1...65535) ?? 5432
        s.postgres.database = raw("storage.postgres.database") ?? "auction"
        if s.storageKind == .postgres {
            s.postgres.user = try required("storage.postgres.user", alias: "PGUSER")
            s.postgres.password = try required("storage.postgres.password", alias: "PGPASSWORD")
        }

        s.brokerKind = try choice("broker.kind") ?? (prod ? .redis : .memory)
        s.brokerURL = try url("broker.url") ?? (prod ? URL(string: "redis://127.0.0.1:6379") : nil)
        s.amqpExchange = raw("broker.amqp.exchange") ?? "auction.events"
        if s.brokerKind != .memory {
            guard let brokerURL = s.brokerURL else {
                throw missing("broker.url", problem: "is required when broker.kind is \(s.brokerKind.rawValue)")
            }
            let expected = s.brokerKind == .redis ? ["redis"] : ["amqp"]
            guard expected.contains(brokerURL.scheme ?? "") else {
                throw missing("broker.url", problem: "must be a \(expected[0]):// URL for broker.kind \(s.brokerKind.rawValue)")
            }
        }
        s.sessionsKind = try choice("sessions.kind") ?? (prod ? .redis : .memory)
        s.sessionsURL = try url("sessions.url") ?? (prod ? URL(string: "redis://127.0.0.1:6379") : nil)
        if s.sessionsKind == .redis, s.sessionsURL?.scheme != "redis" {
            throw missing("sessions.url", problem: "must be a redis:// URL when sessions.kind is redis")
        }

        s.jwtAlgorithm = try choice("jwt.algorithm") ?? .HS256
        if let secret = raw("jwt.secret", secret: true) {
            if prod && secret == AppSettings.devSecret {
                throw missing("jwt.secret", alias: "JWT_SECRET_KEY", problem: "is the development value, which prod refuses")
            }
            let minimum = s.jwtAlgorithm.minimumKeyBytes
            guard secret.utf8.count >= minimum else {
                throw missing(
                    "jwt.secret", alias: "JWT_SECRET_KEY",
                    problem: "must be at least \(minimum) bytes long for \(s.jwtAlgorithm.rawValue)")
            }
            s.jwtSecret = secret
        } else if prod {
            throw missing("jwt.secret", alias: "JWT_SECRET_KEY", problem: "is required in prod")
        }
        s.tokenLifetimeMinutes =
            try integer("jwt.expirationMinutes", in: 1...525_600, alias: "TOKEN_EXPIRATION_IN_MINUTES") ?? 30
        s.bcryptCost = try integer("auth.bcryptCost", in: 4...31) ?? 10
        s.socketBufferLimit = try integer("hub.socketBufferLimit", in: 16...1_000_000) ?? 1024
        s.resyncIntervalMilliseconds = try integer("hub.resyncIntervalMs", in: 50...600_000) ?? 1000
        s.closerIntervalMilliseconds = try integer("closer.intervalMs", in: 50...600_000) ?? 1000
        return s
    }

    // MARK: - Reading one value

    static func environmentName(of key: String) -> String {
        var out = ""
        var previous: Character?
        for character in key {
            if character == "." {
                out += "_"
            } else {
                if let previous, previous.isLowercase, character.isUppercase { out += "_" }
                out += character.uppercased()
            }
            previous = character
        }
        return out
    }

    /// The value as text, whatever type the source gave it (JSON files give numbers).
    private func raw(_ key: String, secret: Bool = false) -> String? {
        let configKey = ConfigKey(key)
        if let text = reader.string(forKey: configKey, isSecret: secret) { return text }
        if let number = reader.int(forKey: configKey, isSecret: secret) { return String(number) }
        if let flag = reader.bool(forKey: configKey, isSecret: secret) { return String(flag) }
        return nil
    }

    private func missing(_ key: String, alias: String? = nil, problem: String) -> SettingsError {
        let variable = [Self.environmentName(of: key), alias].compactMap { $0 }.joined(separator: " or ")
        return SettingsError(key: key, environmentVariable: variable, problem: problem)
    }

    private func required(_ key: String, alias: String) throws -> String {
        guard let value = raw(key, secret: true), !value.isEmpty else {
            throw missing(key, alias: alias, problem: "is required")
        }
        return value
    }

    private func integer(_ key: String, in range: ClosedRange<Int>, alias: String? = nil) throws -> Int? {
        guard let text = raw(key) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw missing(
                key, alias: alias,
                problem: "must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }

    private func boolean(_ key: String) throws -> Bool? {
        guard let text = raw(key) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw missing(key, problem: "must be true or false, got '\(text)'")
        }
    }

    private func choice<T: RawRepresentable & CaseIterable>(_ key: String) throws -> T? where T.RawValue == String {
        guard let text = raw(key) else { return nil }
        guard let value = T(rawValue: text) else {
            let options = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw missing(key, problem: "must be one of \(options), got '\(text)'")
        }
        return value
    }

    private func url(_ key: String) throws -> URL? {
        guard let text = raw(key, secret: true) else { return nil }
        guard let url = URL(string: text), url.scheme != nil, url.host != nil else {
            throw missing(key, problem: "must be a URL such as redis://127.0.0.1:6379")
        }
        return url
    }
}
