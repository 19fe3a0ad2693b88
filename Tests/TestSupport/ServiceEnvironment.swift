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
    /// `redis://127.0.0.1:port`
    public static func redisURL() throws -> URL { try url("TEST_REDIS_URL") }
    /// `amqp://user:password@127.0.0.1:port/vhost`
    public static func amqpURL() throws -> URL { try url("TEST_AMQP_URL") }

    private static func url(_ variable: String) throws -> URL {
        guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty,
              let url = URL(string: text)
        else { throw Missing(variable: variable) }
        return url
    }
}
