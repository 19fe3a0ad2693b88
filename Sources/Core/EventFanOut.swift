import Foundation
import Synchronization

/// The local subscribers of a broker: each gets its own unbounded stream, fed in
/// the order events are delivered (brokers deliver from one receiving thread, so
/// no reordering and no drops). Ending a stream's iteration removes it.
public final class EventFanOut: Sendable {
    private struct State {
        var subscribers: [UUID: AsyncStream<EventRecord>.Continuation] = [:]
        var finished = false
    }

    private let state = Mutex(State())

    public init() {}

    public var count: Int { state.withLock { $0.subscribers.count } }

    public func subscribe() -> AsyncStream<EventRecord> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: EventRecord.self, bufferingPolicy: .unbounded)
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        let finished = state.withLock { state in
            if !state.finished { state.subscribers[id] = continuation }
            return state.finished
        }
        if finished { continuation.finish() }
        return stream
    }

    public func deliver(_ event: EventRecord) {
        let continuations = state.withLock { Array($0.subscribers.values) }
        for continuation in continuations { continuation.yield(event) }
    }

    /// Ends every subscriber's stream, and those of later subscriptions.
    public func finishAll() {
        let continuations = state.withLock { state in
            defer { state.subscribers.removeAll() }
            state.finished = true
            return Array(state.subscribers.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
