import AuctionCore
import Foundation
import Synchronization

/// The local subscribers of a broker: each gets its own unbounded stream, fed
/// in the order events arrive (one feeding thread at a time, so no reordering,
/// and no drops). Ending a stream's iteration removes it.
final class EventFanOut: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<EventRecord>.Continuation]>([:])

    var count: Int { subscribers.withLock { $0.count } }

    func subscribe() -> AsyncStream<EventRecord> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: EventRecord.self, bufferingPolicy: .unbounded)
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    func deliver(_ event: EventRecord) {
        let continuations = subscribers.withLock { Array($0.values) }
        for continuation in continuations { continuation.yield(event) }
    }

    /// Ends every subscriber's stream.
    func finishAll() {
        let continuations = subscribers.withLock { subscribers in
            defer { subscribers.removeAll() }
            return Array(subscribers.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
