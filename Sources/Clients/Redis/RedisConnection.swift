import AuctionSupport
import CHiredis
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One hiredis connection, used with blocking calls bounded by the configured
/// timeouts. Not Sendable on purpose: it stays on the thread that opened it
/// (a `RedisWorker` or the subscriber's thread), and its `redisContext` never
/// leaves this class.
final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>
    /// Set once a call failed: hiredis contexts cannot be used after an error.
    private(set) var isBroken = false
    /// Whether the last failure was the server closing the connection (an idle
    /// connection after a server restart, say): a retry on a new one may succeed.
    private(set) var closedByPeer = false

    /// Connects, then sends AUTH and SELECT when configured. Blocks up to the timeouts.
    init(configuration: RedisConfiguration) throws(RedisError) {
        let connectTimeout = timeval(configuration.connectTimeout)
        guard let context = redisConnectWithTimeout(configuration.host, Int32(configuration.port), connectTimeout)
        else { throw .connectionFailed("hiredis could not allocate a context") }
        if context.pointee.err != 0 {
            let reason = Self.errorText(context)
            redisFree(context)
            throw .connectionFailed("\(configuration.host):\(configuration.port): \(reason)")
        }
        self.context = context
        // Bounds every read and write, so a server that stops answering cannot hang us.
        redisSetTimeout(context, timeval(configuration.commandTimeout))
        redisEnableKeepAlive(context)
        if let password = configuration.password {
            let auth = configuration.username.map { ["AUTH", $0, password] } ?? ["AUTH", password]
            try handshake(auth, what: "AUTH")
        }
        if configuration.database != 0 {
            try handshake(["SELECT", String(configuration.database)], what: "SELECT")
        }
    }

    deinit {
        redisFree(context)
    }

    private func handshake(_ arguments: [String], what: String) throws(RedisError) {
        let reply: RedisValue
        do {
            reply = try command(arguments)
        } catch {
            throw .connectionFailed("\(what): \(error)")
        }
        if case .error(let message) = reply { throw .connectionFailed("\(what) refused: \(message)") }
    }

    /// Sends a command and waits for its reply.
    func command(_ arguments: [String]) throws(RedisError) -> RedisValue {
        guard !isBroken else { throw .connectionLost("the connection failed before") }
        let raw = Self.withArgv(arguments) { argc, argv, lengths in
            redisCommandArgv(context, argc, argv, lengths)
        }
        guard let raw else { throw failure() }
        defer { freeReplyObject(raw) }
        return RedisValue(reply: raw.assumingMemoryBound(to: redisReply.self))
    }

    /// Queues a command and writes it out without waiting for a reply (pub/sub).
    func send(_ arguments: [String]) throws(RedisError) {
        guard !isBroken else { throw .connectionLost("the connection failed before") }
        let status = Self.withArgv(arguments) { argc, argv, lengths in
            redisAppendCommandArgv(context, argc, argv, lengths)
        }
        guard status == REDIS_OK else { throw failure() }
        var done: Int32 = 0
        while done == 0 {
            guard redisBufferWrite(context, &done) == REDIS_OK else { throw failure() }
        }
    }

    /// The next reply, waiting at most `timeout` for data; nil when none came.
    /// Unlike a blocking read, running out of time leaves the connection usable.
    func nextReply(waitingAtMost timeout: Duration) throws(RedisError) -> RedisValue? {
        guard !isBroken else { throw .connectionLost("the connection failed before") }
        if let reply = try bufferedReply() { return reply }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(clamping: timeout.milliseconds))
        if ready < 0 {
            if errno == EINTR { return nil }
            isBroken = true
            throw .connectionLost(String(cString: strerror(errno)))
        }
        if ready == 0 { return nil }
        guard redisBufferRead(context) == REDIS_OK else { throw failure() }
        return try bufferedReply()
    }

    private func bufferedReply() throws(RedisError) -> RedisValue? {
        var raw: UnsafeMutableRawPointer?
        guard redisGetReplyFromReader(context, &raw) == REDIS_OK else { throw failure() }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return RedisValue(reply: raw.assumingMemoryBound(to: redisReply.self))
    }

    /// Marks the connection broken and describes hiredis's error.
    private func failure() -> RedisError {
        let timedOut = errno == EAGAIN || errno == EWOULDBLOCK
        isBroken = true
        let code = context.pointee.err
        closedByPeer = code == REDIS_ERR_EOF || (code == REDIS_ERR_IO && (errno == ECONNRESET || errno == EPIPE))
        if code == REDIS_ERR_IO && timedOut { return .timedOut }
        return .connectionLost(code == 0 ? "unknown error" : Self.errorText(context))
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    /// Calls `body` with hiredis's argv form of `arguments` (binary-safe: explicit lengths).
    private static func withArgv<R>(
        _ arguments: [String],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        precondition(!arguments.isEmpty, "a Redis command needs at least its name")
        let bytes = arguments.map { Array($0.utf8) }
        let lengths = bytes.map(\.count)
        let storage = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, lengths.reduce(0, +)))
        defer { storage.deallocate() }
        var pointers: [UnsafePointer<CChar>?] = []
        pointers.reserveCapacity(bytes.count)
        var offset = 0
        for argument in bytes {
            argument.withUnsafeBytes { source in
                guard let base = source.baseAddress else { return }  // an empty argument
                UnsafeMutableRawPointer(storage + offset).copyMemory(from: base, byteCount: source.count)
            }
            pointers.append(UnsafePointer(storage + offset))
            offset += argument.count
        }
        return pointers.withUnsafeMutableBufferPointer { argv in
            lengths.withUnsafeBufferPointer { lengths in
                body(Int32(arguments.count), argv.baseAddress!, lengths.baseAddress!)
            }
        }
    }
}

/// Timeouts for hiredis, converted by the one `TimevalConvertible` conversion.
extension timeval: TimevalConvertible {}
