import AuctionCore
import Synchronization

/// Limits of a single process: each key's log of request times, oldest first.
/// Memory stays bounded under a flood of distinct keys: logs whose every entry
/// left its window are swept out, and past `capacity` keys the least recently
/// used logs are dropped (they are the ones nearest to expiring anyway).
public final class InMemoryRateLimiter: RateLimiter {
    private struct Log {
        var window: Duration
        /// Request times (since the limiter's origin), ascending.
        var times: [Duration]
    }

    private struct State {
        var logs: [String: Log] = [:]
        var lastSweep: Duration = .zero
    }

    private let capacity: Int
    private let sweepInterval: Duration
    private let now: @Sendable () -> Duration
    private let state = Mutex(State())

    /// - Parameters:
    ///   - capacity: the most keys held at once.
    ///   - sweepInterval: how often expired logs are swept out.
    ///   - now: the time since any fixed origin (a monotonic clock; tests give their own).
    public init(
        capacity: Int = 100_000, sweepInterval: Duration = .seconds(10),
        now: (@Sendable () -> Duration)? = nil
    ) {
        precondition(capacity > 0, "a limiter holds at least one key")
        self.capacity = capacity
        self.sweepInterval = sweepInterval
        if let now {
            self.now = now
        } else {
            let origin = ContinuousClock.now
            self.now = { ContinuousClock.now - origin }
        }
    }

    public func run() async throws {}

    public func acquire(_ key: String, limit: RateLimit) async throws -> RateDecision {
        let now = self.now()
        return state.withLock { state in
            sweepIfDue(&state, now: now)
            var log = state.logs.removeValue(forKey: key) ?? Log(window: limit.window, times: [])
            log.window = limit.window
            if let kept = log.times.firstIndex(where: { $0 > now - limit.window }) {
                log.times.removeFirst(kept)
            } else {
                log.times.removeAll()
            }
            defer { if !log.times.isEmpty { state.logs[key] = log } }
            if log.times.count < limit.count {
                log.times.append(now)
                return .allowed
            }
            return .refused(retryAfter: log.times[log.times.count - limit.count] + limit.window - now)
        }
    }

    public func release(_ key: String, limit: RateLimit) async throws {
        state.withLock { state in
            guard var log = state.logs.removeValue(forKey: key) else { return }
            _ = log.times.popLast()
            if !log.times.isEmpty { state.logs[key] = log }
        }
    }

    public func ping() async throws {}

    /// Keys held, expired ones included until they are swept.
    package var count: Int { state.withLock { $0.logs.count } }

    private func sweepIfDue(_ state: inout State, now: Duration) {
        guard now - state.lastSweep >= sweepInterval || state.logs.count >= capacity else { return }
        state.lastSweep = now
        state.logs = state.logs.filter { _, log in log.times.last.map { $0 > now - log.window } ?? false }
        guard state.logs.count >= capacity else { return }
        // Still full of live logs: drop the tenth used longest ago, so that this
        // sort runs once per tenth of the capacity of new keys, not once per key.
        let excess = state.logs.count - capacity * 9 / 10
        let oldest = state.logs.sorted { ($0.value.times.last ?? .zero) < ($1.value.times.last ?? .zero) }.prefix(excess)
        for (key, _) in oldest { state.logs.removeValue(forKey: key) }
    }
}
