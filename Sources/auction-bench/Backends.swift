import ArgumentParser
import AuctionServer
import Foundation
import PostgresBackend
import SQLiteBackend

// The bench's choices are the server's own settings kinds, so a kind added to
// the server is one the bench can name.
typealias StorageKind = StorageSettings.Kind
typealias BrokerKind = BrokerSettings.Kind
typealias SessionsKind = SessionsSettings.Kind

extension StorageSettings.Kind: ExpressibleByArgument {}
extension BrokerSettings.Kind: ExpressibleByArgument {}
extension SessionsSettings.Kind: ExpressibleByArgument {}

/// Named in lower case on the command line and in the report, as in the settings.
extension SQLiteSynchronous: ExpressibleByArgument, Codable {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
    public var defaultValueDescription: String { rawValue.lowercased() }
    public static var allValueStrings: [String] { allCases.map { $0.rawValue.lowercased() } }
}

/// A PostgreSQL server, read from a `postgres://user:password@host:port/database` URL.
struct PostgresTarget: Codable, Sendable {
    var host: String
    var port: Int
    var user: String
    var password = ""
    var database: String

    /// The password stays out of the JSON report.
    enum CodingKeys: String, CodingKey {
        case host, port, user, database
    }

    /// Read by the store's own parser, so the bench accepts what the server does.
    init?(url text: String) {
        guard let url = URL(string: text), let parsed = try? PostgresStore.Configuration(url: url) else { return nil }
        host = parsed.host
        port = parsed.port
        user = parsed.username
        password = parsed.password ?? ""
        database = parsed.database
    }
}

/// The storage, broker and sessions the server runs on, as named on the command line.
struct BackendChoice: Codable, Sendable {
    var storage: StorageKind
    var sqliteSynchronous: SQLiteSynchronous
    var postgres: PostgresTarget?
    var broker: BrokerKind
    var brokerURL: String?
    var sessions: SessionsKind
    var sessionsURL: String?

    /// The server's environment for these choices (see ARCHITECTURE.md, Configuration).
    func environment(sqlitePath: String) -> [String: String] {
        var env: [String: String] = [
            "STORAGE_KIND": storage.rawValue,
            "BROKER_KIND": broker.rawValue,
            "SESSIONS_KIND": sessions.rawValue,
            // The load comes from one address and bids faster than a person: it measures the server, not its limits.
            "LIMITS_ENABLED": "false",
            // The bench's keep-alive connections wait idle while its accounts are made; the
            // 10 s default closed them ("I/O on closed channel" in two debug runs).
            "HTTP_HEADER_TIMEOUT_MS": "600000",
        ]
        switch storage {
        case .sqlite:
            env["STORAGE_SQLITE_PATH"] = sqlitePath
            env["STORAGE_SQLITE_SYNCHRONOUS"] = sqliteSynchronous.rawValue.lowercased()
        case .postgres:
            if let postgres {
                env["PGHOST"] = postgres.host
                env["PGPORT"] = String(postgres.port)
                env["PGUSER"] = postgres.user
                env["PGPASSWORD"] = postgres.password
                env["PGDATABASE"] = postgres.database
            }
        }
        if let brokerURL { env["BROKER_URL"] = brokerURL }
        if let sessionsURL { env["SESSIONS_URL"] = sessionsURL }
        return env
    }

    var label: String {
        let storageText = storage == .sqlite ? "sqlite (synchronous=\(sqliteSynchronous.rawValue.lowercased()))" : "postgres"
        return "storage \(storageText), broker \(broker.rawValue), sessions \(sessions.rawValue)"
    }
}
