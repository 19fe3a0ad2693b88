import Foundation

/// Where a RabbitMQ server is and how to log in: `amqp://user:pass@host:port/vhost`.
///
/// Defaults follow the AMQP URI spec as RabbitMQ documents it: guest/guest,
/// port 5672, vhost "/" when the path is absent or just "/". The vhost is the
/// path without its leading slash, percent-decoded (`%2F` is "/", so
/// `amqp://host/%2Fprod` names the vhost "/prod").
public struct AMQPURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var vhost: String

    public init(host: String = "127.0.0.1", port: Int = 5672, user: String = "guest",
                password: String = "guest", vhost: String = "/") {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.vhost = vhost
    }

    public init(_ url: URL) throws(AMQPError) {
        try self.init(parsing: url.absoluteString)
    }

    public init(parsing text: String) throws(AMQPError) {
        guard let components = URLComponents(string: text) else {
            throw .invalidURL("\(text) is not a URL")
        }
        guard components.scheme?.lowercased() == "amqp" else {
            throw .invalidURL("the URL must start with amqp:// (amqps is not supported)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidURL("the URL names no host")
        }
        let port = components.port ?? 5672
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
            vhost: vhost
        )
    }

    /// The URL without the password, for logs.
    public var description: String {
        let encodedVhost = vhost.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? vhost
        return "amqp://\(user)@\(host):\(port)/\(encodedVhost)"
    }
}
