import AuctionSupport
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Where the database is and how long a call may take.
    public struct Configuration: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        /// How long any one store call may take, connecting included, before it fails
        /// with `AuctionError.unavailable`. Also the server's `statement_timeout`.
        public var queryTimeout: Duration
        /// The schema the tables live in (the connections' `search_path`); nil keeps
        /// the server's default. Tests use it to give each store an empty schema.
        public var schema: String?
        /// The most connections the pool opens.
        public var maximumConnections: Int
        /// TLS to the server (see `PostgresSSLMode`).
        public var sslMode: PostgresSSLMode
        /// The PEM file of the CAs trusted under `verify-full`; nil trusts the system's.
        public var sslRootCert: String?

        public init(
            host: String = "localhost", port: Int = 5432, username: String, password: String?,
            database: String, queryTimeout: Duration = .seconds(5),
            schema: String? = nil, maximumConnections: Int = 20,
            sslMode: PostgresSSLMode = .disable, sslRootCert: String? = nil
        ) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.queryTimeout = queryTimeout
            self.schema = schema
            self.maximumConnections = maximumConnections
            self.sslMode = sslMode
            self.sslRootCert = sslRootCert
        }

        /// Reads `postgres://user:password@host:port/database` (`postgresql://` too).
        /// The port defaults to 5432 and the database to the user's name.
        public init(url: URL) throws(InvalidURL) {
            guard let scheme = url.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
                throw InvalidURL(reason: "the scheme must be postgres://")
            }
            guard let host = url.host(percentEncoded: false), !host.isEmpty else {
                throw InvalidURL(reason: "it names no host")
            }
            guard let username = url.user(percentEncoded: false), !username.isEmpty else {
                throw InvalidURL(reason: "it names no user")
            }
            let path = url.path(percentEncoded: false).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            self.init(
                host: host, port: url.port ?? 5432, username: username,
                password: url.password(percentEncoded: false), database: path.isEmpty ? username : path
            )
        }

        /// Why a PostgreSQL URL was refused. Never repeats the URL, which may hold a password.
        public struct InvalidURL: Error, Sendable, Equatable, CustomStringConvertible {
            public let reason: String
            public var description: String { "invalid PostgreSQL URL: \(reason)" }
        }

        /// The pool's configuration: bounded connects, and the server-side timeout
        /// matching ours so that the server drops work the client gave up on.
        var clientConfiguration: PostgresClient.Configuration {
            var configuration = PostgresClient.Configuration(
                host: host, port: port, username: username, password: password, database: database,
                tls: tlsConfiguration.map { .require($0) } ?? .disable
            )
            configuration.options.connectTimeout = queryTimeout
            configuration.options.maximumConnections = maximumConnections
            // At least 1: a zero `statement_timeout` would mean none.
            var parameters = [
                ("statement_timeout", "\(max(1, queryTimeout.milliseconds))"),
                // The prepared statements (the bid's read) are planned once per connection:
                // left to choose, PostgreSQL kept planning each call for its lot id (3.7 ms a plan).
                ("plan_cache_mode", "force_generic_plan"),
            ]
            if let schema { parameters.append(("search_path", schema)) }
            configuration.options.additionalStartupParameters = parameters
            return configuration
        }
    }
}
