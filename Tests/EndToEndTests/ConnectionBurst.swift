import Foundation
import Synchronization
import TestSupport
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
        try? LocalSocket.connectedSocket(port: port, receiveTimeout: 1)
    }
}
