import Foundation

/// Where the test servers are. `scripts/test` starts PostgreSQL, Redis and
/// RabbitMQ on free loopback ports and exports their URLs; a test that needs one
/// fails (never skips) when its URL is missing.
public enum ServiceEnvironment {
    public struct Missing: Error, CustomStringConvertible {
        public let variable: String
        public var description: String {
            "\(variable) is not set: run the tests with scripts/test, which starts the server they need"
        }
    }

    /// `postgres://user:password@127.0.0.1:port/database`
    public static func postgresURL() throws -> URL { try url("TEST_POSTGRES_URL") }
    /// The PEM file of the CA that signed the test PostgreSQL's certificate (which names `localhost`).
    public static func postgresCA() throws -> String { try text("TEST_POSTGRES_CA") }
    /// A CA that signed nothing the test servers present.
    public static func postgresOtherCA() throws -> String { try text("TEST_POSTGRES_OTHER_CA") }
    /// The test PostgreSQL's database that refuses connections without TLS.
    public static let postgresTLSOnlyDatabase = "auction_tls_only"
    /// `redis://127.0.0.1:port`
    public static func redisURL() throws -> URL { try url("TEST_REDIS_URL") }
    /// `amqp://user:password@127.0.0.1:port/vhost`
    public static func amqpURL() throws -> URL { try url("TEST_AMQP_URL") }
    /// `amqps://user:password@localhost:port/`: the same node's TLS listener.
    public static func amqpsURL() throws -> URL { try url("TEST_AMQPS_URL") }
    /// The PEM file of the CA that signed the TLS listener's certificate (which names `localhost`).
    public static func amqpCA() throws -> String { try text("TEST_AMQP_CA") }
    /// A CA that signed nothing the test servers present.
    public static func amqpOtherCA() throws -> String { try text("TEST_AMQP_OTHER_CA") }

    private static func text(_ variable: String) throws -> String {
        guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { throw Missing(variable: variable) }
        return text
    }

    private static func url(_ variable: String) throws -> URL {
        guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty,
              let url = URL(string: text)
        else { throw Missing(variable: variable) }
        return url
    }
}
