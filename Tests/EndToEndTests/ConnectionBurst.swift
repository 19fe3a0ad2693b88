import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Opens TCP connections to a port one after another, as fast as the system
/// allows, and holds them open, until the port refuses one or `stop()`: a
/// crowd arriving while a server shuts down.
final class ConnectionBurst: Sendable {
    private let descriptors = Mutex<[Int32]>([])
    private let stopped = Mutex(false)
    private let port: Int
    private let limit: Int

    init(port: Int, limit: Int = 400) {
        self.port = port
        self.limit = limit
    }

    var opened: Int { descriptors.withLock { $0.count } }
    func stop() { stopped.withLock { $0 = true } }

    /// Connects on a thread of its own (blocking calls); returns when refused, stopped or at `limit`.
    func run() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                while self.opened < self.limit, !self.stopped.withLock({ $0 }), let fd = self.connectOnce() {
                    self.descriptors.withLock { $0.append(fd) }
                }
                continuation.resume()
            }
        }
    }

    /// Closes every connection opened.
    func close() {
        for fd in descriptors.withLock({ $0 }) { Glibc.close(fd) }
        descriptors.withLock { $0 = [] }
    }

    private func connectOnce() -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            Glibc.close(fd)
            return nil
        }
        return fd
    }
}
