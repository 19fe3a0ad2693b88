import Synchronization

/// One read for every caller that asks for the same key while it is in flight
/// (Go's singleflight, which Centrifugo uses for the same reason): when thousands
/// of sockets reconnect at once, the store sees one read per lot, not one per
/// socket. An error reaches the callers that waited for it and is not kept: the
/// next caller reads again. A value may be kept for `retention` after its read
/// (a replay window), for callers whose `fresh` accepts it.
final class Singleflight<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private enum Entry {
        case flight(Task<Value, any Error>, callers: Int)
        case kept(Value, until: ContinuousClock.Instant)
    }

    private let retention: Duration
    private let entries = Mutex<[Key: Entry]>([:])

    init(retention: Duration = .zero) {
        self.retention = retention
    }

    /// The value of the read in flight (or kept) for `key`, or of `read`, started
    /// now. `fresh` rejects a shared value that cannot serve this caller (a read
    /// that started before what the caller needs was written): then it reads again.
    func value(
        for key: Key, fresh: @escaping @Sendable (Value) -> Bool = { _ in true },
        _ read: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let now = ContinuousClock.now
        let found: (kept: Value?, flight: Task<Value, any Error>?) = entries.withLock { entries in
            switch entries[key] {
            case .flight(let flight, let callers):
                entries[key] = .flight(flight, callers: callers + 1)
                return (nil, flight)
            case .kept(let value, let until) where until > now && fresh(value):
                return (value, nil)
            default:
                return (nil, nil)
            }
        }
        if let kept = found.kept { return kept }
        if let flight = found.flight {
            let value = try await flight.value
            if fresh(value) { return value }
        }
        // Nothing to share, or what was shared is too old: this caller's own read,
        // which later callers may join.
        let (flight, own) = entries.withLock { entries in
            if case .flight(let flight, let callers) = entries[key] {
                entries[key] = .flight(flight, callers: callers + 1)
                return (flight, false)
            }
            let flight = start(key, read)
            entries[key] = .flight(flight, callers: 1)
            return (flight, true)
        }
        let value = try await flight.value
        return own || fresh(value) ? value : try await read()
    }

    /// The callers of the read in flight for `key` (0: none), for tests.
    func callers(of key: Key) -> Int {
        entries.withLock { if case .flight(_, let callers) = $0[key] { callers } else { 0 } }
    }

    /// The read, which replaces its entry with what it read (or removes it, on an
    /// error) once done. Called with the lock held, so the entry is stored first.
    private func start(_ key: Key, _ read: @escaping @Sendable () async throws -> Value) -> Task<Value, any Error> {
        Task {
            do {
                let value = try await read()
                finish(key, keeping: value)
                return value
            } catch {
                finish(key, keeping: nil)
                throw error
            }
        }
    }

    private func finish(_ key: Key, keeping value: Value?) {
        entries.withLock { entries in
            if let value, retention > .zero {
                entries[key] = .kept(value, until: ContinuousClock.now + retention)
                // Forget what has expired, so the keys of a day do not pile up.
                if entries.count > 1024 {
                    let now = ContinuousClock.now
                    entries = entries.filter { if case .kept(_, let until) = $0.value { until > now } else { true } }
                }
            } else {
                entries[key] = nil
            }
        }
    }
}
