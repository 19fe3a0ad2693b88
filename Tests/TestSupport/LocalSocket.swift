import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Plain sockets for tests: a free port, and a server that never answers.
public enum LocalSocket {
    public struct Failure: Error {}

    /// A TCP port on 127.0.0.1 that nothing listens on (right now).
    public static func freePort() throws -> Int {
        let descriptor = try boundSocket()
        defer { close(descriptor) }
        return try port(of: descriptor)
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

    static func boundSocket() throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure() }
        var address = loopback(port: 0)
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

    static func port(of descriptor: Int32) throws -> Int {
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

