import Synchronization

/// Hands every value to every current subscriber, each on its own unbounded
/// stream. Ending a stream's iteration unsubscribes it.
///
/// Values are yielded under the lock, so every subscriber sees one order even
/// when several tasks yield at once (a snapshot yielded outside the lock could
/// interleave two yielders differently for two subscribers). `yield` on a
/// continuation never calls back into us; `finish` does (`onTermination`), so
/// it runs outside the lock.
public final class Broadcast<Element: Sendable>: Sendable {
    private struct State {
        var subscribers: [Int: AsyncStream<Element>.Continuation] = [:]
        var nextID = 0
        var finished = false
    }

    private let state = Mutex(State())

    public init() {}

    /// How many subscriptions are live.
    public var count: Int { state.withLock { $0.subscribers.count } }

    /// The values yielded from now on; a stream that ends at once after `finish()`.
    public func subscribe() -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream.makeStream(of: Element.self, bufferingPolicy: .unbounded)
        let id = state.withLock { state -> Int? in
            guard !state.finished else { return nil }
            state.nextID += 1
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    public func yield(_ value: Element) {
        state.withLock { state in
            for continuation in state.subscribers.values { continuation.yield(value) }
        }
    }

    /// Ends every subscriber's stream, and those of later subscriptions.
    public func finish() {
        let continuations = state.withLock { state in
            defer { state.subscribers.removeAll() }
            state.finished = true
            return Array(state.subscribers.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
