import NIOSSL
import PostgresNIO

/// How the store talks TLS to PostgreSQL, named as libpq's `sslmode`:
/// `disable` (plain TCP), `require` (encrypted, the certificate not checked),
/// `verify-full` (encrypted, the certificate signed by a trusted CA and naming the host).
public enum PostgresSSLMode: String, Sendable, CaseIterable, Codable {
    case disable
    case require
    case verifyFull = "verify-full"
}

extension PostgresStore.Configuration {
    /// NIOSSL's client configuration for `sslMode`; nil when TLS is off. With
    /// `verify-full` the trusted CAs are `sslRootCert`'s, else the system's.
    var tlsConfiguration: TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable:
            return nil
        case .require:
            tls.certificateVerification = .none
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            if let sslRootCert { tls.trustRoots = .file(sslRootCert) }
        }
        return tls
    }

    /// Why `path` cannot serve as the CA file (`nil` when it holds PEM certificates),
    /// so that a bad file stops the start instead of failing every connection.
    public static func problem(withRootCertificateFile path: String) -> String? {
        do {
            return try NIOSSLCertificate.fromPEMFile(path).isEmpty ? "holds no PEM certificate" : nil
        } catch {
            return "cannot be read as PEM certificates (\(error))"
        }
    }
}
