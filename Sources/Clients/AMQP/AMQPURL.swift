import Foundation

/// Where a RabbitMQ server is and how to log in: `amqp://user:pass@host:port/vhost`,
/// or over TLS `amqps://user:pass@host:port/vhost?cacertfile=/ca.pem&verify=verify_peer`.
///
/// Defaults follow the AMQP URI spec as RabbitMQ documents it: guest/guest,
/// port 5672, vhost "/" when the path is absent or just "/". The vhost is the
/// path without its leading slash, percent-decoded (`%2F` is "/", so
/// `amqp://host/%2Fprod` names the vhost "/prod"). `amqps://` defaults to port
/// 5671 and takes the query parameters RabbitMQ's own URIs use: `cacertfile` (the
/// PEM file of the trusted CAs, default Debian's bundle) and `verify` (`verify_peer`,
/// the default: the certificate is checked and must name the host; `verify_none`).
public struct AMQPURL: Sendable, Equatable, CustomStringConvertible {
    /// TLS for `amqps://`.
    public struct TLS: Sendable, Equatable {
        /// The system's CAs on Debian (package `ca-certificates`): rabbitmq-c loads no default.
        public static let systemCAFile = "/etc/ssl/certs/ca-certificates.crt"

        public var caCertificateFile: String
        /// Whether the server's certificate must be signed by a trusted CA and name the host.
        public var verifyPeer: Bool

        public init(caCertificateFile: String = systemCAFile, verifyPeer: Bool = true) {
            self.caCertificateFile = caCertificateFile
            self.verifyPeer = verifyPeer
        }
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var vhost: String
    /// nil for plain `amqp://`.
    public var tls: TLS?

    public init(host: String = "127.0.0.1", port: Int? = nil, user: String = "guest",
                password: String = "guest", vhost: String = "/", tls: TLS? = nil) {
        self.host = host
        self.port = port ?? (tls == nil ? 5672 : 5671)
        self.user = user
        self.password = password
        self.vhost = vhost
        self.tls = tls
    }

    public init(_ url: URL) throws(AMQPError) {
        try self.init(parsing: url.absoluteString)
    }

    public init(parsing text: String) throws(AMQPError) {
        guard let components = URLComponents(string: text) else {
            throw .invalidURL("\(text) is not a URL")
        }
        let scheme = components.scheme?.lowercased()
        guard scheme == "amqp" || scheme == "amqps" else {
            throw .invalidURL("the URL must start with amqp:// or amqps://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidURL("the URL names no host")
        }
        let tls = try Self.tls(scheme == "amqps", query: components.queryItems ?? [])
        let port = components.port ?? (tls == nil ? 5672 : 5671)
        guard (1...65535).contains(port) else { throw .invalidURL("port \(port) is out of range") }

        // `percentEncodedPath` keeps `%2F` apart from a real "/" separator.
        var path = Substring(components.percentEncodedPath)
        if path.hasPrefix("/") { path = path.dropFirst() }
        let vhost: String
        if path.isEmpty {
            vhost = "/"
        } else {
            guard !path.contains("/") else {
                throw .invalidURL("the vhost must be one path segment (write a / inside it as %2F)")
            }
            guard let decoded = String(path).removingPercentEncoding else {
                throw .invalidURL("the vhost is not valid percent-encoding")
            }
            vhost = decoded
        }
        self.init(
            host: host,
            port: port,
            user: components.user ?? "guest",
            password: components.password ?? "guest",
            vhost: vhost,
            tls: tls
        )
    }

    /// The TLS options of the query (`cacertfile`, `verify`), which only `amqps://` may have.
    private static func tls(_ secure: Bool, query: [URLQueryItem]) throws(AMQPError) -> TLS? {
        guard secure else {
            guard query.isEmpty else { throw .invalidURL("query parameters (cacertfile, verify) need amqps://") }
            return nil
        }
        var tls = TLS()
        for item in query {
            switch (item.name, item.value ?? "") {
            case ("cacertfile", let file) where !file.isEmpty: tls.caCertificateFile = file
            case ("verify", "verify_peer"): tls.verifyPeer = true
            case ("verify", "verify_none"): tls.verifyPeer = false
            case ("verify", let value): throw .invalidURL("verify must be verify_peer or verify_none, got '\(value)'")
            default: throw .invalidURL("unknown query parameter '\(item.name)' (amqps:// takes cacertfile and verify)")
            }
        }
        return tls
    }

    /// The URL without the password, for logs.
    public var description: String {
        let encodedVhost = vhost.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? vhost
        return "\(tls == nil ? "amqp" : "amqps")://\(user)@\(host):\(port)/\(encodedVhost)"
    }
}
