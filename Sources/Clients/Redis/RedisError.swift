/// Why a Redis operation failed.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL is not `redis://[[user]:password@]host[:port][/db]`.
    case invalidURL(String)
    /// No connection could be made (refused, unreachable, connect timeout, AUTH or SELECT refused).
    case connectionFailed(String)
    /// An open connection failed (closed by the server, reset, I/O error).
    case connectionLost(String)
    /// The server did not answer within the command timeout.
    case timedOut
    /// The pool or subscriber was shut down.
    case shutDown

    public var description: String {
        switch self {
        case .invalidURL(let reason): "invalid Redis URL: \(reason)"
        case .connectionFailed(let reason): "cannot connect to Redis: \(reason)"
        case .connectionLost(let reason): "Redis connection lost: \(reason)"
        case .timedOut: "Redis did not answer in time"
        case .shutDown: "the Redis client was shut down"
        }
    }
}
