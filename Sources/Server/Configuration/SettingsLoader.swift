import Configuration
import Foundation
import SystemPackage

/// Reads `AppSettings` from, in order of precedence: command-line flags, environment
/// variables (the names swift-configuration derives, then the original service's
/// aliases), `config/<APP_SETTINGS>.json`, and the defaults of the environment.
public struct SettingsLoader: Sendable {
    /// The original service's variable names, kept as aliases of the keys.
    static let aliases: [String: String] = [
        "PGHOST": "storage.postgres.host",
        "PGPORT": "storage.postgres.port",
        "PGUSER": "storage.postgres.user",
        "PGPASSWORD": "storage.postgres.password",
        "PGDATABASE": "storage.postgres.database",
        "JWT_SECRET_KEY": "jwt.secret",
        "TOKEN_EXPIRATION_IN_MINUTES": "jwt.expirationMinutes",
    ]

    public var environmentVariables: [String: String]
    /// Values given as flags (`--host`, `--port`, `--role`), keyed by setting key.
    public var flags: [String: String]
    public var configDirectory: String

    public init(
        environmentVariables: [String: String] = ProcessInfo.processInfo.environment,
        flags: [String: String] = [:],
        configDirectory: String? = nil
    ) {
        self.environmentVariables = environmentVariables
        self.flags = flags
        self.configDirectory = configDirectory ?? environmentVariables["CONFIG_DIR"] ?? "config"
    }

    public func load() async throws -> AppSettings {
        let environmentName = environmentVariables["APP_SETTINGS"] ?? "dev"
        guard let environment = AppSettings.Environment(rawValue: environmentName) else {
            throw SettingsError(
                key: "APP_SETTINGS", environmentVariable: "APP_SETTINGS",
                problem: "must be dev or prod, got '\(environmentName)'")
        }
        let filePath = "\(configDirectory)/\(environment.rawValue).json"
        let file: FileProvider<JSONSnapshot>
        do {
            file = try await FileProvider<JSONSnapshot>(filePath: FilePath(filePath), allowMissing: true)
        } catch {
            throw SettingsError(
                key: "APP_SETTINGS", environmentVariable: "APP_SETTINGS",
                problem: "names \(filePath), which is not valid JSON: \(error)")
        }
        var aliasValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (variable, key) in Self.aliases {
            if let value = environmentVariables[variable] {
                aliasValues[AbsoluteConfigKey(stringLiteral: key)] = ConfigValue(.string(value), isSecret: true)
            }
        }
        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in flags {
            flagValues[AbsoluteConfigKey(stringLiteral: key)] = ConfigValue(.string(value), isSecret: false)
        }
        let reader = ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: flagValues),
            EnvironmentVariablesProvider(environmentVariables: environmentVariables, secretsSpecifier: .all),
            InMemoryProvider(name: "aliases", values: aliasValues),
            file,
        ])
        return try SettingsParser(reader: reader, environment: environment).parse()
    }
}
