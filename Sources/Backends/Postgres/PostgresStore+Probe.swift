import AuctionSupport
import Logging
import NIOSSL
import PostgresNIO

extension PostgresStore {
    /// Opens one connection of its own (not the pool's), runs `SELECT 1` and closes
    /// it, for `auction check`: the pool retries a failed connect and reports only
    /// that no connection came, while this says why (a refused TLS certificate, a
    /// host name the certificate does not name, a rejected login).
    public static func probe(_ configuration: Configuration, logger: Logger) async throws {
        do {
            let tls: PostgresConnection.Configuration.TLS =
                try configuration.tlsConfiguration.map { .require(try NIOSSLContext(configuration: $0)) } ?? .disable
            var connectionConfiguration = PostgresConnection.Configuration(
                host: configuration.host, port: configuration.port, username: configuration.username,
                password: configuration.password, database: configuration.database, tls: tls)
            connectionConfiguration.options.connectTimeout = .milliseconds(configuration.queryTimeout.milliseconds)
            let connection = try await PostgresConnection.connect(
                configuration: connectionConfiguration, id: 0, logger: logger)
            do {
                _ = try await connection.query("SELECT 1", logger: logger).decode(Int32.self).all()
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        } catch {
            throw ConnectFailure(error, configuration: configuration)
        }
    }

    /// Why a probe failed, in one line a person can act on.
    public struct ConnectFailure: Error, Sendable, CustomStringConvertible {
        public let description: String

        init(_ error: any Error, configuration: Configuration) {
            description = Self.describe(error, configuration)
        }

        private static func describe(_ error: any Error, _ configuration: Configuration) -> String {
            let trusted = configuration.sslRootCert.map { "the CA file \($0)" } ?? "the system's CAs"
            switch error {
            case let error as PSQLError:
                if error.code == .sslUnsupported {
                    return "the server does not accept TLS (sslmode \(configuration.sslMode.rawValue))"
                }
                if let message = error.serverInfo?[.message] {
                    return "the server refused: \(message)"
                }
                if let underlying = error.underlying { return describe(underlying, configuration) }
                return "\(error.code)"
            case let error as NIOSSLExtraError where error == .failedToValidateHostname:
                return "TLS: the server's certificate does not name the host \(configuration.host)"
            case NIOSSLError.handshakeFailed(let reason) where "\(reason)".contains("CERTIFICATE_VERIFY_FAILED"):
                return "TLS: the server's certificate is not signed by a CA in \(trusted)"
            case let error as NIOSSLError:
                return "TLS: \(error)"
            default:
                return "\(error)"
            }
        }
    }
}
