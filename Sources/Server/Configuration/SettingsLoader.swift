import Configuration
import Foundation
import SystemPackage

/// Reads the settings from, in order of precedence: command-line flags,
/// environment variables (the names swift-configuration derives, then the
/// original service's aliases), `config/<APP_SETTINGS>.json`, and `SettingsDefaults`.
public struct SettingsLoader: Sendable {
    /// The original service's variable names, kept as aliases of the keys.
    static let aliases: [String: String] = [
        "PGHOST": "storage.postgres.host",
        "PGPORT": "storage.postgres.port",
        "PGUSER": "storage.postgres.user",
        "PGPASSWORD": "storage.postgres.password",
        "PGDATABASE": "storage.postgres.database",
        "PGSSLMODE": "storage.postgres.sslMode",
        "PGSSLROOTCERT": "storage.postgres.sslRootCert",
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

    /// Everything `auction serve` needs.
    public func load() async throws -> AppSettings {
        let (reader, profile) = try await makeReader()
        return try AppSettings(reading: reader, profile: profile)
    }

    /// Only the storage, all that `auction migrate` needs (no JWT secret, broker or sessions).
    public func loadStorage() async throws -> StorageSettings {
        try StorageSettings(reading: try await makeReader().reader)
    }

    /// Only the log settings, for the commands that need no more than storage.
    public func loadLog() async throws -> LogSettings {
        try LogSettings(reading: try await makeReader().reader)
    }

    /// The defaults with `values` over them, for tests (no environment, no file).
    static func settings(overriding values: [AbsoluteConfigKey: ConfigValue]) throws -> AppSettings {
        let reader = ConfigReader(providers: [InMemoryProvider(name: "overrides", values: values), SettingsDefaults.provider])
        return try AppSettings(reading: SettingsReader(reader: reader), profile: .dev)
    }

    private func makeReader() async throws -> (reader: SettingsReader, profile: AppSettings.Profile) {
        let named = environmentVariables["APP_SETTINGS"]
        guard let profile = AppSettings.Profile(rawValue: named ?? "dev") else {
            throw Self.appSettingsError("must be dev or prod, got '\(named ?? "")'")
        }
        let filePath = "\(configDirectory)/\(profile.rawValue).json"
        // A file that APP_SETTINGS names must be there; dev without APP_SETTINGS runs on the defaults.
        if named != nil, !FileManager.default.fileExists(atPath: filePath) {
            throw Self.appSettingsError("names \(filePath), which does not exist (set CONFIG_DIR to its folder)")
        }
        let file: FileProvider<JSONSnapshot>
        do {
            file = try await FileProvider<JSONSnapshot>(filePath: FilePath(filePath), allowMissing: named == nil)
        } catch {
            throw Self.appSettingsError("names \(filePath), which is not valid JSON: \(error)")
        }
        // Flags and aliases are given to the library as the variables of their
        // keys, so that it converts their text as it does the environment's.
        let flagVariables = flags.map { (Self.environmentName(of: $0.key), $0.value) }
        let aliasVariables = environmentVariables.compactMap { variable, value in
            Self.aliases[variable].map { (Self.environmentName(of: $0), value) }
        }
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(environmentVariables: Dictionary(flagVariables) { first, _ in first }),
            EnvironmentVariablesProvider(environmentVariables: environmentVariables, secretsSpecifier: .all),
            EnvironmentVariablesProvider(
                environmentVariables: Dictionary(aliasVariables) { first, _ in first }, secretsSpecifier: .all),
            file,
            SettingsDefaults.provider,
        ])
        return (SettingsReader(reader: reader), profile)
    }

    private static func appSettingsError(_ problem: String) -> SettingsError {
        SettingsError(key: "APP_SETTINGS", environmentVariable: "APP_SETTINGS", problem: problem)
    }

    /// The variable swift-configuration reads for a key: `jwt.expirationMinutes` is `JWT_EXPIRATION_MINUTES`.
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

    static func aliases(of key: String) -> [String] {
        aliases.filter { $0.value == key }.map(\.key).sorted()
    }
}
