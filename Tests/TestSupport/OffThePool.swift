import Foundation

/// Runs blocking work (a socket read, a child process waited for) on a thread of
/// its own: a blocking call on the cooperative pool, which has one thread per
/// core, stalls every other test beside it, and the in-process server too.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
