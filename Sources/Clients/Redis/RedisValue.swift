import CHiredis

/// A reply from Redis, copied out of hiredis's reply object.
public enum RedisValue: Sendable, Equatable, Hashable {
    /// A bulk string, decoded as UTF-8 (invalid bytes become U+FFFD).
    case string(String)
    case integer(Int64)
    case array([RedisValue])
    /// A nil bulk string or nil array (a missing key, say).
    case null
    /// A simple status such as `OK` or `PONG`.
    case status(String)
    /// An error reply (`ERR ...`, `WRONGTYPE ...`): the command reached the server and was refused.
    case error(String)

    /// The text of a string or status reply.
    public var text: String? {
        switch self {
        case .string(let text), .status(let text): text
        default: nil
        }
    }

    /// The value of an integer reply.
    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// Copies a reply tree; the caller still frees it.
    init(reply: UnsafePointer<redisReply>) {
        let reply = reply.pointee
        switch reply.type {
        case REDIS_REPLY_STRING: self = .string(Self.text(of: reply))
        case REDIS_REPLY_STATUS: self = .status(Self.text(of: reply))
        case REDIS_REPLY_ERROR: self = .error(Self.text(of: reply))
        case REDIS_REPLY_INTEGER: self = .integer(Int64(reply.integer))
        case REDIS_REPLY_NIL: self = .null
        case REDIS_REPLY_ARRAY:
            self = .array((0..<Int(reply.elements)).map { index in
                guard let element = reply.element[index] else { return .null }
                return RedisValue(reply: element)
            })
        default:
            // Newer hiredis versions add RESP3 types; RESP2 (what we speak) never sends them.
            self = reply.str == nil ? .null : .string(Self.text(of: reply))
        }
    }

    private static func text(of reply: redisReply) -> String {
        guard let bytes = reply.str else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: Int(reply.len)), as: UTF8.self)
    }
}
