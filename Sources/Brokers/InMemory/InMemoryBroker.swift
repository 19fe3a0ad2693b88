import AuctionCore
import Synchronization

/// The event broker of a single process: publish hands the event to every local
/// subscriber, in order.
public final class InMemoryBroker: EventBroker {
    private struct State {
        var subscribers: [Int: AsyncStream<EventRecord>.Continuation] = [:]
        var nextID = 0
        var finished = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Waits for cancellation (there is nothing to connect), then ends every
    /// subscriber's stream, like the brokers that have connections do.
    public func run() async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        let continuations = state.withLock { state in
            defer { state.subscribers.removeAll() }
            state.finished = true
            return Array(state.subscribers.values)
        }
        // Outside the lock: finishing calls onTermination, which takes it.
        for continuation in continuations { continuation.finish() }
    }

    public func publish(_ event: EventRecord) async throws {
        // Yielding under the lock keeps one order for every subscriber, even
        // with concurrent publishers. (Yield never calls back into us.)
        state.withLock { state in
            for continuation in state.subscribers.values { continuation.yield(event) }
        }
    }

    public func subscribe() async -> AsyncStream<EventRecord> {
        let (stream, continuation) = AsyncStream.makeStream(of: EventRecord.self, bufferingPolicy: .unbounded)
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

    public func ping() async throws {}

    /// How many local subscriptions are live.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }
}
