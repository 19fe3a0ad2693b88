/// Counts requests against limits of "at most `count` in any `window`" (a
/// sliding log): in one process, or on a server every node shares so that a
/// limit holds cluster-wide. Keys are the caller's (`login:alice`, `bids:42`).
public protocol RateLimiter: Sendable {
    /// Runs the limiter's connections until cancelled; returns at once when there is nothing to run.
    func run() async throws
    /// Counts one request of `key` when fewer than `limit.count` were counted in
    /// the last `limit.window`; otherwise counts nothing and says how long until
    /// the oldest of them leaves the window.
    func acquire(_ key: String, limit: RateLimit) async throws -> RateDecision
    /// Takes back the latest request counted for `key` (a login that turned out
    /// right is no failure); nothing when none is counted.
    func release(_ key: String, limit: RateLimit) async throws
    /// Answers when the limiter does (for readiness checks).
    func ping() async throws
}

/// At most `count` requests in any `window`.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    public let count: Int
    public let window: Duration

    public init(count: Int, window: Duration) {
        precondition(count > 0 && window > .zero, "a limit allows at least one request in a positive window")
        self.count = count
        self.window = window
    }

    public var description: String { "\(count) per \(window)" }
}

/// What a limiter answers to one request.
public enum RateDecision: Sendable, Equatable {
    case allowed
    /// Over the limit: one more request is allowed after this long.
    case refused(retryAfter: Duration)
}
