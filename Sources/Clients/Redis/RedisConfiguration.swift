import Foundation

/// Where a Redis server is and how long to wait for it.
public struct RedisConfiguration: Sendable, Equatable {
    public static let defaultPort = 6379

    public var host: String
    public var port: Int
    /// An ACL user (Redis 6+); nil for the legacy `AUTH password`.
    public var username: String?
    /// Sent with AUTH right after connecting; nil when the server needs none.
    public var password: String?
    /// Chosen with SELECT right after connecting when not 0.
    public var database: Int
    /// How long a connection attempt may take.
    public var connectTimeout: Duration
    /// How long a command may wait for its reply (also bounds reads and writes).
    public var commandTimeout: Duration

    public init(
        host: String = "127.0.0.1", port: Int = RedisConfiguration.defaultPort, username: String? = nil,
        password: String? = nil, database: Int = 0, connectTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(2)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    /// Reads `redis://[[user]:password@]host[:port][/db]`. The password and user
    /// may be percent-encoded; the port defaults to 6379 and the database to 0.
    public init(url text: String) throws(RedisError) {
        guard let url = URL(string: text) else { throw .invalidURL("'\(text)' is not a URL") }
        try self.init(url: url)
    }

    public init(url: URL) throws(RedisError) {
        self.init()
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
            throw .invalidURL("'\(url.absoluteString)' is not a URL")
        }
        guard components.scheme?.lowercased() == "redis" else {
            throw .invalidURL("the scheme must be redis:// (got '\(components.scheme ?? "")')")
        }
        var host = components.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalidURL("the host is missing") }
        self.host = host
        if let port = components.port {
            guard (1...65_535).contains(port) else { throw .invalidURL("the port must be 1 to 65535") }
            self.port = port
        }
        let user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        if let password, !password.isEmpty {
            self.password = password
            self.username = user.flatMap { $0.isEmpty ? nil : $0 }
        } else if let user, !user.isEmpty {
            throw .invalidURL("a user name needs a password (redis://user:password@host)")
        }
        let path = components.percentEncodedPath
        if !path.isEmpty, path != "/" {
            let number = path.dropFirst()
            guard path.hasPrefix("/"), let database = Int(number), database >= 0, number.allSatisfy(\.isNumber)
            else { throw .invalidURL("the path must be a database number such as /0 (got '\(path)')") }
            self.database = database
        }
    }
}
