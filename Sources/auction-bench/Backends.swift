import ArgumentParser
import Foundation
import PostgresBackend

enum StorageKind: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    case sqlite, postgres
}

enum BrokerKind: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    case memory, redis, amqp
}

enum SessionsKind: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    case memory, redis
}

enum SQLiteSyncMode: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
    case full, normal
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
    var sqliteSynchronous: SQLiteSyncMode
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
        ]
        switch storage {
        case .sqlite:
            env["STORAGE_SQLITE_PATH"] = sqlitePath
            env["STORAGE_SQLITE_SYNCHRONOUS"] = sqliteSynchronous.rawValue
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
        let storageText = storage == .sqlite ? "sqlite (synchronous=\(sqliteSynchronous.rawValue))" : "postgres"
        return "storage \(storageText), broker \(broker.rawValue), sessions \(sessions.rawValue)"
    }
}
