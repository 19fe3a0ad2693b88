import AuctionSupport
import CRabbitMQ
#if canImport(Glibc)
import Glibc
#endif

/// One rabbitmq-c connection with its channel 1.
///
/// rabbitmq-c connections are not thread-safe, so a session is confined to the
/// thread of the `AMQPConnection` that made it: it is not `Sendable`, and the C
/// handle never leaves this class. Once an error leaves the connection in an
/// unknown state the session is `broken` and only good for destroying.
final class AMQPSession {
    /// What `nextFrame` read.
    enum Incoming {
        case delivery(AMQPDelivery)
        case ack(tag: UInt64, multiple: Bool)
        case nack(tag: UInt64, multiple: Bool)
        case other
    }

    static let channel: amqp_channel_t = 1

    private let state: amqp_connection_state_t
    private(set) var failure: AMQPError?

    var isBroken: Bool { failure != nil }

    /// Connects, logs in (PLAIN) and opens channel 1, each step bounded in time.
    init(options: AMQPConnectionOptions) throws(AMQPError) {
        guard let state = amqp_new_connection() else { throw .connectFailed("out of memory") }
        self.state = state
        // From here on a throw runs deinit, which destroys the connection.
        let socket = try Self.makeSocket(state, tls: options.url.tls)
        var connectTimeout = timeval(options.connectTimeout)
        let opened = amqp_socket_open_noblock(socket, options.url.host, Int32(options.url.port), &connectTimeout)
        guard opened == AMQP_STATUS_OK.rawValue else {
            throw .connectFailed("\(options.url.host):\(options.url.port): \(Self.describe(status: opened))")
        }
        setUserTimeout(options.operationTimeout + options.heartbeat)
        var handshakeTimeout = timeval(options.connectTimeout)
        amqp_set_handshake_timeout(state, &handshakeTimeout)
        var rpcTimeout = timeval(options.operationTimeout)
        amqp_set_rpc_timeout(state, &rpcTimeout)
        let heartbeat = Int32(max(0, options.heartbeat.components.seconds))
        let login = crabbitmq_login_plain(
            state, options.url.vhost, 0, 131_072, heartbeat, options.url.user, options.url.password)
        do {
            try check(login, "login")
            amqp_channel_open(state, Self.channel)
            try check(amqp_get_rpc_reply(state), "channel.open")
        } catch {
            throw AMQPError.connectFailed(error.description)
        }
    }

    deinit {
        amqp_destroy_connection(state)
    }

    /// A TCP socket, or for `amqps://` an OpenSSL one trusting the URL's CA file.
    private static func makeSocket(
        _ state: amqp_connection_state_t, tls: AMQPURL.TLS?
    ) throws(AMQPError) -> OpaquePointer {
        guard let tls else {
            guard let socket = amqp_tcp_socket_new(state) else { throw .connectFailed("cannot create a socket") }
            return socket
        }
        guard let socket = amqp_ssl_socket_new(state) else { throw .connectFailed("cannot create a TLS socket") }
        let loaded = amqp_ssl_socket_set_cacert(socket, tls.caCertificateFile)
        guard loaded == AMQP_STATUS_OK.rawValue else {
            throw .connectFailed("the CA file \(tls.caCertificateFile) cannot be loaded: \(describe(status: loaded))")
        }
        amqp_ssl_socket_set_verify_peer(socket, tls.verifyPeer ? 1 : 0)
        amqp_ssl_socket_set_verify_hostname(socket, tls.verifyPeer ? 1 : 0)
        return socket
    }

    // MARK: Topology

    func declareExchange(_ name: String, type: String, durable: Bool, passive: Bool = false) throws(AMQPError) {
        withBytes(name) { nameBytes in
            withBytes(type) { typeBytes in
                _ = amqp_exchange_declare(
                    state, Self.channel, nameBytes, typeBytes, passive ? 1 : 0, durable ? 1 : 0, 0, 0,
                    amqp_empty_table)
            }
        }
        try check(amqp_get_rpc_reply(state), "exchange.declare \(name)")
    }

    /// Declares a queue; an empty name asks the server for one. Returns the name.
    func declareQueue(_ name: String, durable: Bool, exclusive: Bool, autoDelete: Bool) throws(AMQPError) -> String {
        let ok = withBytes(name) { nameBytes in
            amqp_queue_declare(
                state, Self.channel, nameBytes, 0, durable ? 1 : 0, exclusive ? 1 : 0, autoDelete ? 1 : 0,
                amqp_empty_table)
        }
        try check(amqp_get_rpc_reply(state), "queue.declare")
        guard let ok else { throw fail(.connectionLost("queue.declare returned nothing")) }
        return Self.string(ok.pointee.queue)
    }

    func bindQueue(_ queue: String, exchange: String, routingKey: String) throws(AMQPError) {
        withBytes(queue) { queueBytes in
            withBytes(exchange) { exchangeBytes in
                withBytes(routingKey) { keyBytes in
                    _ = amqp_queue_bind(state, Self.channel, queueBytes, exchangeBytes, keyBytes, amqp_empty_table)
                }
            }
        }
        try check(amqp_get_rpc_reply(state), "queue.bind \(queue) \(routingKey)")
    }

    func selectConfirms() throws(AMQPError) {
        amqp_confirm_select(state, Self.channel)
        try check(amqp_get_rpc_reply(state), "confirm.select")
    }

    /// Starts a consumer on the queue; deliveries then come out of `nextFrame`.
    func consume(queue: String, noAck: Bool) throws(AMQPError) {
        withBytes(queue) { queueBytes in
            _ = amqp_basic_consume(state, Self.channel, queueBytes, amqp_empty_bytes, 0, noAck ? 1 : 0, 1, amqp_empty_table)
        }
        try check(amqp_get_rpc_reply(state), "basic.consume \(queue)")
    }

    // MARK: Messages

    /// Sends a transient message. With confirms selected, its delivery tag is the
    /// count of publishes on the channel so far (the caller keeps that count).
    func publish(exchange: String, routingKey: String, body: [UInt8], contentType: String) throws(AMQPError) {
        let status = withBytes(exchange) { exchangeBytes in
            withBytes(routingKey) { keyBytes in
                withBytes(contentType) { typeBytes in
                    body.withUnsafeBytes { raw in
                        var properties = amqp_basic_properties_t()
                        properties._flags = crabbitmq_content_type_flag | crabbitmq_delivery_mode_flag
                        properties.content_type = typeBytes
                        // Transient: the store's event log is the durable copy.
                        properties.delivery_mode = 1
                        let bodyBytes = amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(mutating: raw.baseAddress))
                        return amqp_basic_publish(state, Self.channel, exchangeBytes, keyBytes, 0, 0, &properties, bodyBytes)
                    }
                }
            }
        }
        guard status == AMQP_STATUS_OK.rawValue else {
            throw fail(.connectionLost("basic.publish: \(Self.describe(status: status))"))
        }
    }

    /// Waits up to `timeout` for the next frame (serving heartbeats meanwhile).
    /// Nil when nothing came. Throws, and breaks the session, when the server
    /// closes the connection or channel, cancels the consumer, or the socket fails.
    func nextFrame(timeout: Duration) throws(AMQPError) -> Incoming? {
        defer { amqp_maybe_release_buffers(state) }
        var frame = amqp_frame_t()
        var wait = timeval(timeout)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &wait)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
        guard status == AMQP_STATUS_OK.rawValue else {
            throw fail(.connectionLost(Self.describe(status: status)))
        }
        guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { return .other }
        let method = frame.payload.method
        switch method.id {
        case crabbitmq_basic_deliver_method:
            let deliver = method.decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            let exchange = Self.string(deliver.exchange)
            let routingKey = Self.string(deliver.routing_key)
            var message = amqp_message_t()
            try check(amqp_read_message(state, frame.channel, &message, 0), "reading a delivery")
            defer { amqp_destroy_message(&message) }
            let body = [UInt8](UnsafeRawBufferPointer(start: message.body.bytes, count: message.body.len))
            return .delivery(AMQPDelivery(exchange: exchange, routingKey: routingKey, body: body))
        case crabbitmq_basic_ack_method:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            return .ack(tag: ack.delivery_tag, multiple: ack.multiple != 0)
        case crabbitmq_basic_nack_method:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            return .nack(tag: nack.delivery_tag, multiple: nack.multiple != 0)
        case crabbitmq_connection_close_method:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            var closeOk = amqp_connection_close_ok_t()
            _ = amqp_send_method(state, 0, crabbitmq_connection_close_ok_method, &closeOk)
            throw fail(.closedByServer(code: Int(close.reply_code), text: Self.string(close.reply_text)))
        case crabbitmq_channel_close_method:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            throw fail(.closedByServer(code: Int(close.reply_code), text: Self.string(close.reply_text)))
        case crabbitmq_basic_cancel_method:
            throw fail(.connectionLost("the server cancelled the consumer"))
        default:
            return .other
        }
    }

    /// Says goodbye to the server (bounded by the RPC timeout) unless the session is broken.
    func close() {
        guard !isBroken else { return }
        _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
        failure = .closed
    }

    // MARK: Helpers

    private func check(_ reply: amqp_rpc_reply_t, _ context: String) throws(AMQPError) {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            throw fail(.connectionLost("\(context): \(Self.describe(status: reply.library_error))"))
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if reply.reply.id == crabbitmq_connection_close_method {
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                var closeOk = amqp_connection_close_ok_t()
                _ = amqp_send_method(state, 0, crabbitmq_connection_close_ok_method, &closeOk)
                throw fail(.closedByServer(code: Int(close.reply_code), text: "\(context): \(Self.string(close.reply_text))"))
            }
            if reply.reply.id == crabbitmq_channel_close_method {
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                throw fail(.closedByServer(code: Int(close.reply_code), text: "\(context): \(Self.string(close.reply_text))"))
            }
            throw fail(.connectionLost("\(context): unexpected server method \(reply.reply.id)"))
        default:
            throw fail(.connectionLost("\(context): no reply"))
        }
    }

    private func fail(_ error: AMQPError) -> AMQPError {
        if failure == nil { failure = error }
        return error
    }

    /// Bounds how long sent data may stay unacknowledged by the peer: without it a
    /// write to a vanished server could block for the kernel's ~15 minute retry.
    private func setUserTimeout(_ duration: Duration) {
        #if canImport(Glibc)
        let fd = amqp_get_sockfd(state)
        guard fd >= 0 else { return }
        var milliseconds = UInt32(clamping: duration.milliseconds)
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_USER_TIMEOUT, &milliseconds, socklen_t(MemoryLayout<UInt32>.size))
        #endif
    }

    private func withBytes<R>(_ text: String, _ body: (amqp_bytes_t) -> R) -> R {
        var utf8 = Array(text.utf8)
        let count = utf8.count
        return utf8.withUnsafeMutableBytes { raw in body(amqp_bytes_t(len: count, bytes: raw.baseAddress)) }
    }

    static func string(_ bytes: amqp_bytes_t) -> String {
        guard let start = bytes.bytes, bytes.len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: start, count: bytes.len), as: UTF8.self)
    }

    static func describe(status: Int32) -> String {
        String(cString: amqp_error_string2(status))
    }
}

/// Timeouts for rabbitmq-c, converted by the one `TimevalConvertible` conversion.
extension timeval: TimevalConvertible {}
