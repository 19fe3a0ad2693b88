import NIOCore
import Synchronization

/// The lot sockets each client address holds open, against a cap: one address
/// opening thousands of sockets is refused (429) before its upgrades, not served.
final class SocketsPerAddress: Sendable {
    let cap: Int
    /// Whose `X-Forwarded-For` names the client (behind nginx, every socket comes from it).
    let proxies: TrustedProxies
    private let open = Mutex<[String: Int]>([:])

    init(cap: Int, proxies: TrustedProxies = .none) {
        self.cap = cap
        self.proxies = proxies
    }

    /// Takes a place for `address` until `closed` completes; false, taking
    /// nothing, when the address holds `cap` places already.
    func admit(_ address: String, until closed: EventLoopFuture<Void>) -> Bool {
        let admitted = open.withLock { counts in
            guard counts[address, default: 0] < cap else { return false }
            counts[address, default: 0] += 1
            return true
        }
        if admitted { closed.whenComplete { _ in self.release(address) } }
        return admitted
    }

    /// Places held by `address` now.
    func count(of address: String) -> Int {
        open.withLock { $0[address, default: 0] }
    }

    private func release(_ address: String) {
        open.withLock { counts in
            let left = counts[address, default: 1] - 1
            counts[address] = left > 0 ? left : nil
        }
    }
}
