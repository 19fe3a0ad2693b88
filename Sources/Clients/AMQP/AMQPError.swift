/// What went wrong talking to RabbitMQ.
public enum AMQPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL cannot be used.
    case invalidURL(String)
    /// The TCP connection or the login failed.
    case connectFailed(String)
    /// The server closed the connection or the channel (reply code and text).
    case closedByServer(code: Int, text: String)
    /// The socket failed, or an operation or heartbeat timed out; the connection is gone.
    case connectionLost(String)
    /// The server did not confirm a publish in time.
    case confirmTimeout
    /// The server refused (nacked) a publish.
    case publishRejected
    /// The connection was closed by its owner.
    case closed

    public var description: String {
        switch self {
        case .invalidURL(let why): "invalid AMQP URL: \(why)"
        case .connectFailed(let why): "cannot connect to RabbitMQ: \(why)"
        case .closedByServer(let code, let text): "RabbitMQ closed the connection: \(code) \(text)"
        case .connectionLost(let why): "RabbitMQ connection lost: \(why)"
        case .confirmTimeout: "RabbitMQ did not confirm the publish in time"
        case .publishRejected: "RabbitMQ rejected the publish"
        case .closed: "the RabbitMQ connection is closed"
        }
    }
}
