import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Plain sockets for tests: a reserved port, and a server that never answers.
public enum LocalSocket {
    public struct Failure: Error {}

    /// A port on 127.0.0.1 held for as long as this value lives, for a child process
    /// to listen on. A port picked free and closed can be taken by anyone before the
    /// child binds it; this one stays bound (SO_REUSEADDR, never listening), so the
    /// kernel hands it to no other bind(0) or outgoing connection, while a child
    /// binding it with SO_REUSEADDR (nginx and redis-server do) can still listen on it,
    /// again after a restart. Until a child listens, connecting to it is refused.
    public final class Reserved: Sendable {
        public let port: Int
        private let descriptor: Int32

        public init() throws {
            let descriptor = try LocalSocket.boundSocket(reuseAddress: true)
            do { port = try LocalSocket.port(of: descriptor) } catch {
                close(descriptor)
                throw error
            }
            self.descriptor = descriptor
        }

        deinit { close(descriptor) }
    }

    /// Whether something accepts TCP connections on the port.
    public static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A listening socket that never accepts: connections complete (the kernel's
    /// backlog) but nothing is ever read or answered, like a hung server.
    public final class Silent {
        public let port: Int
        private let descriptor: Int32

        public init() throws {
            descriptor = try LocalSocket.boundSocket()
            guard listen(descriptor, 64) == 0 else { throw Failure() }
            port = try LocalSocket.port(of: descriptor)
        }

        public var url: URL { URL(string: "redis://127.0.0.1:\(port)")! }

        deinit { close(descriptor) }
    }

    /// A TCP socket bound to 127.0.0.1:`port` (0: one the kernel picks), not listening.
    public static func boundSocket(port: Int = 0, reuseAddress: Bool = false) throws -> Int32 {
        // CLOEXEC: a child must not inherit the reservation (it would outlive the test).
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure() }
        var one: Int32 = 1
        if reuseAddress,
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) != 0
        {
            close(descriptor)
            throw Failure()
        }
        var address = loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            close(descriptor)
            throw Failure()
        }
        return descriptor
    }

    public static func port(of descriptor: Int32) throws -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard status == 0 else { throw Failure() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

