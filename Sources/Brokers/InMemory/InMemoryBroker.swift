import AuctionCore
import Synchronization

/// The event broker of a single process: publish hands the event to every local
/// subscriber, in order.
public final class InMemoryBroker: EventBroker {
    private let subscribers = Mutex<[Int: AsyncStream<EventRecord>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    public func run() async throws {
        // Nothing to connect: wait for cancellation.
        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
    }

    public func publish(_ event: EventRecord) async throws {
        // Yielding under the lock keeps one order for every subscriber.
        subscribers.withLock { subscribers in
            for continuation in subscribers.values { continuation.yield(event) }
        }
    }

    public func subscribe() async -> AsyncStream<EventRecord> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<EventRecord>.makeStream()
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    public func ping() async throws {}
}
