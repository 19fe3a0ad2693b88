import AuctionCore
import PostgresNIO

extension PostgresStore {
    /// Applies every migration not yet recorded, each in its own transaction.
    ///
    /// Each transaction first takes an advisory lock scoped to the current schema,
    /// so two processes migrating at once take turns: the second finds the
    /// version recorded and skips it.
    /// A migration may rewrite a table, so it is allowed far longer than a query
    /// (and lifts `statement_timeout` for its own transaction).
    public func migrate() async throws {
        // A server that is down fails here, within the query timeout.
        try await ping()
        let timeout = max(configuration.queryTimeout, Self.migrationTimeout)
        for migration in PostgresMigrations.all {
            try await perform(timeout: timeout) { client, logger in
                try await client.withConnection { connection in
                    try await connection.transaction(logger: logger) { connection in
                        try await Self.apply(migration, on: connection, logger: logger)
                    }
                }
            }
        }
    }

    public func isSchemaCurrent() async throws -> Bool {
        try await perform { client, logger in
            let exists = try await client.query(
                "SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger
            ).decode(Bool.self).all()
            guard exists.first == true else { return false }
            let applied = try await client.query(
                "SELECT version FROM schema_migrations", logger: logger
            ).decode(Int64.self).all()
            return Set(PostgresMigrations.all.map(\.version)).isSubset(of: applied)
        }
    }

    static let migrationTimeout = Duration.seconds(300)

    private static func apply(_ migration: PostgresMigration, on connection: PostgresConnection, logger: Logger) async throws {
        // 0x61756374 is "auct": the lock's class; the schema name picks the object.
        try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
        try await connection.query(
            "SELECT pg_advisory_xact_lock(1635083124, hashtext(COALESCE(current_schema(), '')))",
            logger: logger
        )
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        let recorded = try await connection.query(
            "SELECT count(*) FROM schema_migrations WHERE version = \(migration.version)", logger: logger
        ).decode(Int64.self).all()
        guard recorded.first == 0 else { return }
        logger.info("applying migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        for statement in migration.statements {
            try await connection.query(statement, logger: logger)
        }
        try await connection.query(
            "INSERT INTO schema_migrations (version) VALUES (\(migration.version))", logger: logger
        )
    }
}
