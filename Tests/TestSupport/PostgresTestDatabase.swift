import Foundation
import Logging
import PostgresBackend
import PostgresNIO

/// Schemas of the test database (`TEST_POSTGRES_URL`): each test that needs a
/// PostgreSQL store gets an empty schema of its own.
public enum PostgresTestDatabase {
    public static let logger: Logger = {
        var logger = Logger(label: "test.postgres")
        logger.logLevel = .warning
        return logger
    }()

    /// The configuration of `TEST_POSTGRES_URL` (throws when it is not set).
    public static func configuration() throws -> PostgresStore.Configuration {
        try PostgresStore.Configuration(url: ServiceEnvironment.postgresURL())
    }

    /// A new empty schema in the database of `configuration`; returns its name.
    public static func createSchema(in configuration: PostgresStore.Configuration) async throws -> String {
        // A generated identifier of [a-z0-9_] only: safe to write into the SQL.
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await withAdminConnection(configuration) { connection in
            _ = try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(name)"), logger: logger)
        }
        return name
    }

    public static func dropSchema(_ name: String, in configuration: PostgresStore.Configuration) async throws {
        try await withAdminConnection(configuration) { connection in
            _ = try await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(name) CASCADE"), logger: logger)
        }
    }

    /// One plain connection (no pool to run) for set-up and direct reads.
    public static func withAdminConnection<Value>(
        _ configuration: PostgresStore.Configuration, schema: String? = nil,
        _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        var connectionConfiguration = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: .disable
        )
        if let schema {
            connectionConfiguration.options.additionalStartupParameters = [("search_path", schema)]
        }
        let connection = try await PostgresConnection.connect(
            configuration: connectionConfiguration, id: 1, logger: logger
        )
        do {
            let value = try await body(connection)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

