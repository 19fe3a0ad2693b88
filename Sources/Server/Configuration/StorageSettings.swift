import Configuration
import PostgresBackend
import SQLiteBackend

/// Where accounts, lots, bids and events live: all that `auction migrate` reads.
public enum StorageSettings: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable { case sqlite, postgres }

    case sqlite(path: String, synchronous: SQLiteSynchronous)
    case postgres(PostgresSettings)

    public var kind: Kind {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    init(reading config: SettingsReader) throws(SettingsError) {
        switch try config.choice("storage.kind", as: Kind.self) {
        case .sqlite:
            self = .sqlite(
                path: try config.string("storage.sqlite.path"),
                synchronous: try config.choice("storage.sqlite.synchronous"))
        case .postgres:
            self = .postgres(try PostgresSettings(reading: config))
        }
    }
}

public struct PostgresSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var database: String
    public var sslMode: PostgresSSLMode
    /// The CA file trusted under `verify-full`; nil trusts the system's CAs.
    public var sslRootCert: String?

    init(reading config: SettingsReader) throws(SettingsError) {
        host = try config.string("storage.postgres.host")
        port = try config.int("storage.postgres.port", in: 1...65535)
        user = try config.requiredSecret("storage.postgres.user")
        password = try config.requiredSecret("storage.postgres.password")
        database = try config.string("storage.postgres.database")
        sslMode = try config.choice("storage.postgres.sslMode")
        sslRootCert = config.reader.string(forKey: "storage.postgres.sslRootCert").flatMap { $0.isEmpty ? nil : $0 }
        if let sslRootCert, let problem = PostgresStore.Configuration.problem(withRootCertificateFile: sslRootCert) {
            throw config.error("storage.postgres.sslRootCert", "names \(sslRootCert), which \(problem)")
        }
    }

    /// The store's configuration: where, who, and TLS.
    public var storeConfiguration: PostgresStore.Configuration {
        PostgresStore.Configuration(
            host: host, port: port, username: user, password: password, database: database,
            sslMode: sslMode, sslRootCert: sslRootCert)
    }
}

extension PostgresSSLMode: SettingChoice {}

/// The setting is written in lower case (`full`), SQLite's pragma in upper case.
extension SQLiteSynchronous: SettingChoice {
    static func parse(setting text: String) -> SQLiteSynchronous? { SQLiteSynchronous(rawValue: text.uppercased()) }
    var settingText: String { rawValue.lowercased() }
}
