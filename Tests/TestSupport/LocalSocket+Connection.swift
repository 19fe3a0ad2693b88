import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension LocalSocket {
    /// A TCP socket connected to 127.0.0.1:`port` whose reads give up after `receiveTimeout` seconds.
    public static func connectedSocket(port: Int, receiveTimeout: Int) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure() }
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw Failure()
        }
        return descriptor
    }

    /// One raw TCP connection to 127.0.0.1, for what HTTP clients hide: several
    /// requests, then a WebSocket upgrade, on the same connection. Blocking calls
    /// run on a thread of their own (a blocking read must not hold a cooperative
    /// thread that the in-process server may need); a read gives up after 10 s.
    /// One call at a time.
    public final class Connection: @unchecked Sendable {
        public struct Closed: Error {}

        /// An HTTP response: its head (status line and headers) and body.
        public struct Response: Sendable {
            public let head: String
            public let body: String
        }

        /// A frame from the server (servers do not mask).
        public struct Frame: Sendable {
            public let opcode: UInt8
            public let payload: [UInt8]
            public var text: String { String(decoding: payload, as: UTF8.self) }
        }

        private let descriptor: Int32
        private var unread: [UInt8] = []

        /// `receiveTimeout`: how long a read waits, in seconds (a bound that only a hung server reaches).
        public init(port: Int, receiveTimeout: Int = 10) throws {
            descriptor = try LocalSocket.connectedSocket(port: port, receiveTimeout: receiveTimeout)
        }

        deinit { close(descriptor) }

        public func send(_ text: String) async throws {
            try await send(Array(text.utf8))
        }

        /// Sends a text frame, masked as a client must.
        public func sendText(_ text: String) async throws {
            let payload = Array(text.utf8)
            precondition(payload.count < 126, "short frames only")
            let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
            let masked = payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
            try await send([0x81, 0x80 | UInt8(payload.count)] + mask + masked)
        }

        /// Reads one response: the head, and a body of its Content-Length.
        public func readResponse() async throws -> Response {
            try await offThePool {
                let separator = Array("\r\n\r\n".utf8)
                var end: Int?
                while end == nil {
                    end = self.unread.indices.first { self.unread[$0...].starts(with: separator) }
                    if end == nil { try self.receive() }
                }
                let head = String(decoding: self.unread[..<end!], as: UTF8.self)
                self.unread.removeFirst(end! + separator.count)
                let length = head.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
                return Response(head: head, body: String(decoding: try self.take(length), as: UTF8.self))
            }
        }

        /// Reads one WebSocket frame.
        public func readFrame() async throws -> Frame {
            try await offThePool {
                let start = try self.take(2)
                var length = Int(start[1] & 0x7F)
                if length >= 126 {
                    length = try self.take(length == 126 ? 2 : 8).reduce(0) { $0 << 8 | Int($1) }
                }
                return Frame(opcode: start[0] & 0x0F, payload: try self.take(length))
            }
        }

        /// Whether the server has closed the connection (reading finds its end).
        public func readsEnd() async throws -> Bool {
            try await offThePool {
                do {
                    while true { try self.receive() }
                } catch is Closed {
                    return true
                }
            }
        }

        private func send(_ bytes: [UInt8]) async throws {
            try await offThePool {
                guard Glibc.send(self.descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
                    throw Failure()
                }
            }
        }

        private func take(_ count: Int) throws -> [UInt8] {
            while unread.count < count { try receive() }
            let bytes = Array(unread[..<count])
            unread.removeFirst(count)
            return bytes
        }

        /// Reads what has arrived; throws `Closed` at the end of the stream, `Failure` on a timeout.
        private func receive() throws {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { throw Closed() }
            guard count > 0 else { throw Failure() }
            unread += buffer[0..<count]
        }
    }
}
