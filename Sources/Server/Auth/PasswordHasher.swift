import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's thread pool: a hash takes tens of milliseconds, which
/// must never block an event loop.
struct PasswordHasher: Sendable {
    let cost: UInt8
    let threadPool: NIOThreadPool

    init(cost: Int, threadPool: NIOThreadPool = .singleton) {
        self.cost = UInt8(cost)
        self.threadPool = threadPool
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await threadPool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await threadPool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Spends the time of a verification without a user, so that a login for an
    /// unknown name takes as long as a wrong password (no account enumeration):
    /// a hash at the configured cost, on the pool, costs what a verification does.
    func verifyAgainstNothing(_ password: String) async throws {
        _ = try await hash(password)
    }
}
